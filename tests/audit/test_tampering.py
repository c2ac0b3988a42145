"""The audit trail proves its own completeness: each tampering found by the red-team pass is done
here with raw SQL, as someone with write access to the database (but not the server's environment,
so not the HMAC key) would, and `verify_audit_chain` must fail on it.

Before the keyed chain all four passed: deleting the newest rows (until the next write), truncating
and updating the head, deleting everything ("完整（共 0 条）") and rewriting with recomputed hashes.
"""

import hashlib
import logging

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection

from shaoxing_bases.audit.integrity import verify_chain
from shaoxing_bases.audit.models import (
    GENESIS_HASH,
    AuditAction,
    AuditChainHead,
    AuditCheckpoint,
    AuditEntry,
    AuditOutcome,
    CheckpointKind,
)
from shaoxing_bases.audit.services import (
    CheckpointRefused,
    audit_checkpoint_write,
    audit_daily_checkpoint,
    audit_record,
)

pytestmark = pytest.mark.django_db


def write(count: int, prefix: str = "u") -> list[AuditEntry]:
    return [
        audit_record(
            action=AuditAction.LOGIN_FAILED, outcome=AuditOutcome.FAILURE, username=f"{prefix}{index}"
        )
        for index in range(count)
    ]


def sql(statement: str, params=()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def verify(*anchors: str) -> str:
    """The command's message; CommandError's text when it fails."""
    from io import StringIO

    out = StringIO()
    args = [arg for anchor in anchors for arg in ("--anchor", anchor)]
    try:
        call_command("verify_audit_chain", *args, stdout=out)
    except CommandError as error:
        return f"FAILED {error}"
    return out.getvalue()


def problems() -> set[str]:
    return {problem.code for problem in verify_chain().problems}


def rehash_from(first_id: int, *, legacy: bool = False, change_username: str | None = None) -> None:
    """What an attacker without the key can do: edit a row and recompute every hash after it with
    plain SHA-256 (optionally claiming the rows are pre-key legacy rows), then fix the head."""
    previous = (
        AuditEntry.objects.filter(id__lt=first_id)
        .order_by("-id")
        .values_list("entry_hash", flat=True)
        .first()
        or GENESIS_HASH
    )
    for entry in AuditEntry.objects.filter(id__gte=first_id).order_by("id"):
        if change_username is not None and entry.pk == first_id:
            entry.username = change_username
        if legacy:
            entry.key_id = ""
        entry.previous_hash = previous
        entry.entry_hash = hashlib.sha256((previous + entry.canonical_payload()).encode()).hexdigest()
        sql(
            "UPDATE audit_auditentry SET username = %s, key_id = %s, previous_hash = %s, entry_hash = %s "
            "WHERE id = %s",
            [entry.username, entry.key_id, entry.previous_hash, entry.entry_hash, entry.pk],
        )
        previous = entry.entry_hash
    sql("UPDATE audit_auditchainhead SET last_hash = %s WHERE id = 1", [previous])


# --- the untouched trail --------------------------------------------------------------------------


def test_an_untouched_trail_verifies_with_its_checkpoints():
    write(3)
    checkpoint = audit_checkpoint_write()
    write(2)
    message = verify(checkpoint.anchor)
    assert "审计日志完整：共 5 条" in message
    assert "已核对 1 个检查点" in message
    assert "与 1 个外部留存检查点一致" in message


def test_entries_are_keyed_not_plain_sha256():
    (entry,) = write(1)
    plain = hashlib.sha256((entry.previous_hash + entry.canonical_payload()).encode()).hexdigest()
    assert entry.entry_hash != plain
    assert entry.key_id


# --- 1. the newest rows deleted -------------------------------------------------------------------


def test_tail_deletion_is_detected_at_once_and_after_the_next_write():
    entries = write(5)
    sql("DELETE FROM audit_auditentry WHERE id >= %s", [entries[3].pk])
    message = verify()
    assert message.startswith("FAILED")
    assert "审计链头记录 5 条" in message
    assert "表中实有 3 条" in message
    write(1)  # the trail goes on; the gap stays visible
    assert {"entry_broken", "head_mismatch"} & problems()


# --- 2. truncation plus an update of the head row -------------------------------------------------


def _truncate_to(entry: AuditEntry) -> None:
    sql("DELETE FROM audit_auditentry WHERE id > %s", [entry.pk])
    count = AuditEntry.objects.count()
    sql(
        "UPDATE audit_auditchainhead SET entry_count = %s, last_entry_id = %s, last_hash = %s WHERE id = 1",
        [count, entry.pk, entry.entry_hash],
    )


def test_truncation_with_the_head_updated_is_detected_by_the_heads_signature():
    entries = write(6)
    _truncate_to(entries[3])
    assert "head_mac" in problems()
    assert "审计链头签名不符" in verify()
    # The next write must not launder it: the head stays marked, the check keeps failing.
    write(2)
    assert "head_mac" in problems()
    assert AuditChainHead.objects.get().mac == "tampered"


def test_truncation_behind_a_checkpoint_is_detected_by_the_checkpoint():
    entries = write(4)
    audit_checkpoint_write()
    _truncate_to(entries[1])
    # Even with a head signature copied from an earlier state, the checkpoint says 4 entries existed.
    assert {"checkpoint_mismatch", "head_mac"} <= problems()
    assert "记录了 4 条、末条ID" in verify()


def test_a_restored_old_head_is_detected_by_the_checkpoint_and_its_copy_outside():
    entries = write(3)
    old_head = AuditChainHead.objects.values().get()  # a head row saved by the attacker earlier
    write(3)
    anchor = audit_checkpoint_write().anchor
    sql("DELETE FROM audit_auditentry WHERE id > %s", [entries[2].pk])
    sql(
        "UPDATE audit_auditchainhead SET entry_count = %s, last_entry_id = %s, last_hash = %s, "
        "last_checkpoint_mac = %s, key_id = %s, mac = %s WHERE id = 1",
        [old_head[name] for name in ("entry_count", "last_entry_id", "last_hash", "last_checkpoint_mac")]
        + [old_head["key_id"], old_head["mac"]],
    )
    assert {"checkpoint_mismatch", "checkpoint_missing"} <= problems()
    # With the checkpoint table emptied too the database is consistent again: only the copy kept
    # outside (log, e-mail) can tell, which is why the checkpoint is mailed to the city.
    sql("DELETE FROM audit_auditcheckpoint")
    assert verify_chain().ok
    assert "外部留存的检查点（6 条）记录了 6 条" in verify(anchor)


# --- 3. every entry deleted -----------------------------------------------------------------------


def test_deleting_every_entry_is_detected_by_the_head():
    write(4)
    sql("DELETE FROM audit_auditentry")
    message = verify()
    assert "完整" not in message
    assert "审计链头记录 4 条" in message


def test_deleting_every_entry_and_resetting_the_head_is_detected_by_the_checkpoints():
    write(4)
    checkpoint = audit_checkpoint_write()
    sql("DELETE FROM audit_auditentry")
    sql(
        "UPDATE audit_auditchainhead SET entry_count = 0, last_entry_id = NULL, last_hash = %s, "
        "last_checkpoint_mac = '', mac = '', key_id = '' WHERE id = 1",
        [GENESIS_HASH],
    )
    assert {"checkpoint_mismatch", "checkpoint_missing"} <= problems()
    assert f"记录了 {checkpoint.entry_count} 条" in verify()


def test_deleting_entries_head_and_checkpoints_is_detected_by_sign_ins_and_outside_copies(make_user, client):
    client.force_login(make_user())  # a sign-in: one entry
    write(2)
    anchor = audit_checkpoint_write().anchor
    sql("DELETE FROM audit_auditentry")
    sql("DELETE FROM audit_auditcheckpoint")
    sql("DELETE FROM audit_auditchainhead")
    assert problems() == {"empty_trail"}
    assert "已有用户登录过系统" in verify()
    assert "外部留存的检查点" in verify(anchor)


# --- 4. a rewrite with recomputed hashes ----------------------------------------------------------


def test_a_rewrite_with_recomputed_hashes_is_detected_by_the_hmac():
    entries = write(5)
    rehash_from(entries[1].pk, change_username="someone-else")
    assert "entry_broken" in problems()
    assert "哈希链断裂" in verify()


def test_a_rewrite_passed_off_as_pre_key_legacy_rows_is_detected():
    entries = write(5)
    rehash_from(entries[0].pk, legacy=True, change_username="someone-else")
    # Unsigned rows are accepted only up to a seal: here they are not sealed, and the head's
    # signature does not cover the rewritten last hash.
    assert {"legacy_unsealed", "head_mac"} <= problems()
    assert not verify_chain().sealable


def test_legacy_rows_forged_after_a_seal_cannot_be_sealed_away():
    entries = _legacy_trail(3)
    call_command("seal_audit_chain", "--reason", "升级后核对", "--yes", stdout=_null())
    write(3)
    rehash_from(entries[-1].pk + 2, legacy=True, change_username="someone-else")
    assert "legacy_forged" in problems()
    assert not verify_chain().sealable


# --- checkpoints themselves -----------------------------------------------------------------------


def test_an_edited_or_deleted_checkpoint_is_detected():
    write(2)
    first = audit_checkpoint_write()
    write(2)
    second = audit_checkpoint_write()
    sql("UPDATE audit_auditcheckpoint SET entry_count = 1 WHERE id = %s", [first.pk])
    assert "checkpoint_mac" in problems()
    sql("UPDATE audit_auditcheckpoint SET entry_count = 2 WHERE id = %s", [first.pk])
    assert verify_chain().ok
    sql("DELETE FROM audit_auditcheckpoint WHERE id = %s", [second.pk])
    assert "checkpoint_missing" in problems()


def test_a_checkpoint_is_refused_and_an_alarm_sent_when_the_head_fails(settings, caplog):
    settings.AUDIT_CHECKPOINT_RECIPIENTS = ["security@sxhrss.example.cn"]
    entries = write(3)
    _truncate_to(entries[0])
    with pytest.raises(CheckpointRefused):
        audit_checkpoint_write()
    assert not AuditCheckpoint.objects.exists()
    assert mail.outbox[-1].subject.endswith("审计日志异常：检查点未写入")
    assert "审计日志检查点未写入" in caplog.text


def test_a_checkpoint_is_refused_when_the_newest_rows_are_gone(settings):
    entries = write(3)
    sql("DELETE FROM audit_auditentry WHERE id = %s", [entries[-1].pk])
    with pytest.raises(CheckpointRefused, match="最新的记录可能被删除"):
        audit_checkpoint_write()


# --- the daily checkpoint -------------------------------------------------------------------------


def test_daily_checkpoint_is_logged_mailed_and_written_once_a_day(settings, caplog):
    from shaoxing_bases.audit.tasks import write_audit_checkpoint_task

    settings.AUDIT_CHECKPOINT_RECIPIENTS = ["security@sxhrss.example.cn"]
    write(3)
    with caplog.at_level(logging.INFO, logger="shaoxing_bases.audit.checkpoint"):
        first = write_audit_checkpoint_task.delay().get()
        assert write_audit_checkpoint_task.delay().get() is None  # the same day: nothing more
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.pk == first
    assert (checkpoint.kind, checkpoint.entry_count) == (CheckpointKind.DAILY, 3)
    assert f"记录数=3 末条ID={checkpoint.last_entry_id} 链头={checkpoint.head_hash}" in caplog.text
    (message,) = mail.outbox
    assert message.to == ["security@sxhrss.example.cn"]
    assert f"verify_audit_chain --anchor {checkpoint.anchor}" in message.body
    assert "3 条" in message.subject


def test_daily_checkpoint_is_in_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["audit-checkpoint"]
    assert entry["task"] == "audit.write_checkpoint"


def test_daily_checkpoint_without_recipients_only_logs():
    write(1)
    assert audit_daily_checkpoint() is not None
    assert mail.outbox == []


# --- entries from before the key, and key changes -------------------------------------------------


def _null():
    from io import StringIO

    return StringIO()


def _legacy_trail(count: int) -> list[AuditEntry]:
    """Entries as the SHA-256 version wrote them, and the head as migration 0005 leaves it."""
    from django.utils import timezone

    previous = GENESIS_HASH
    entries = []
    for index in range(count):
        entry = AuditEntry(
            created_at=timezone.now(),
            username=f"old{index}",
            action=AuditAction.LOGIN,
            outcome=AuditOutcome.SUCCESS,
            previous_hash=previous,
            key_id="",
        )
        entry.entry_hash = entry.compute_hash()
        entry.save()
        entries.append(entry)
        previous = entry.entry_hash
    AuditChainHead.objects.update_or_create(
        pk=1,
        defaults={"last_hash": previous, "entry_count": count, "last_entry_id": entries[-1].pk, "mac": ""},
    )
    return entries


def test_legacy_entries_must_be_sealed_explicitly_then_verify():
    _legacy_trail(3)
    write(1)  # the upgraded portal keeps writing, keyed, before anyone sealed
    assert problems() == {"legacy_unsealed", "head_unsigned"}
    assert "尚未封存" in verify()
    out = _null()
    call_command("seal_audit_chain", "--reason", "升级到带密钥的审计链，已核对旧记录", "--yes", stdout=out)
    assert "已封存" in out.getvalue()
    message = verify()
    assert "审计日志完整：共 5 条，其中 3 条为启用密钥前的旧记录（已封存）" in message
    seal = AuditCheckpoint.objects.get(kind=CheckpointKind.SEAL)
    assert seal.note.startswith("升级到带密钥的审计链")
    assert AuditEntry.objects.filter(summary="封存审计日志").exists()


def test_sealed_legacy_entries_rewritten_with_recomputed_hashes_are_detected():
    entries = _legacy_trail(3)
    call_command("seal_audit_chain", "--reason", "升级后核对", "--yes", stdout=_null())
    rehash_from(entries[0].pk, legacy=True, change_username="someone-else")
    assert {"checkpoint_mismatch"} <= problems()


def test_seal_refuses_a_broken_trail():
    entries = _legacy_trail(3)
    sql("UPDATE audit_auditentry SET username = 'x' WHERE id = %s", [entries[1].pk])
    with pytest.raises(CommandError, match="不能封存"):
        call_command("seal_audit_chain", "--reason", "试图掩盖", "--yes", stdout=_null())
    assert not AuditCheckpoint.objects.exists()


def test_a_changed_key_keeps_old_entries_verifiable_through_the_old_keys(settings):
    write(2)
    audit_checkpoint_write()
    old_key = settings.AUDIT_HMAC_KEY
    settings.AUDIT_HMAC_KEY = "a-new-audit-key-after-rotation-0123456789abcdef"
    settings.AUDIT_HMAC_OLD_KEYS = [old_key]
    write(2)
    audit_checkpoint_write()
    assert verify_chain().ok
    settings.AUDIT_HMAC_OLD_KEYS = []
    assert "unknown_key" in problems()


def test_anchor_must_be_well_formed():
    assert "FAILED" in verify("12:abc")
