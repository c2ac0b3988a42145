"""The one way to write the audit trail, its checkpoints and its seal."""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.utils import timezone

from .context import current_request_meta, request_meta
from .keys import current_key, signature_valid, verification_keys
from .keys import sign as keyed_sign
from .models import (
    GENESIS_HASH,
    LEGACY_KEY_ID,
    AuditAction,
    AuditChainHead,
    AuditCheckpoint,
    AuditEntry,
    AuditOutcome,
    CheckpointKind,
)

logger = logging.getLogger(__name__)
# Its own logger, so that operations can route checkpoints to storage outside the portal's host.
checkpoint_logger = logging.getLogger("shaoxing_bases.audit.checkpoint")

HEAD_DOMAIN = "audit-head"
CHECKPOINT_DOMAIN = "audit-checkpoint"


def head_is_trusted(head: AuditChainHead, keys: dict[str, bytes] | None = None) -> bool:
    """A head that verifies under its key, or the untouched head of an empty chain."""
    if head.is_genesis:
        return True
    keys = verification_keys() if keys is None else keys
    return signature_valid(keys, head.key_id, HEAD_DOMAIN, head.canonical_payload(), head.mac)


def _sign_head(head: AuditChainHead) -> None:
    key_id, key = current_key()
    head.key_id = key_id
    head.mac = keyed_sign(key, HEAD_DOMAIN, head.canonical_payload())


#: What a head whose signature failed its check carries from then on: never a valid signature, and
#: not the empty one of a head merely unsigned since the upgrade either.
HEAD_TAMPERED = "tampered"


def _advance_head(head: AuditChainHead, *, trusted: bool) -> None:
    """Save the head; sign it only when it was trustworthy before this change. Otherwise the next
    write would launder a truncation: a head with a wrong signature is marked HEAD_TAMPERED for good,
    an unsigned one stays unsigned, and verification keeps failing until an operator acts."""
    if trusted:
        _sign_head(head)
    else:
        head.key_id = ""
        head.mac = HEAD_TAMPERED if head.mac else ""
    head.save()


def _locked_head() -> AuditChainHead:
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    return head


@transaction.atomic
def audit_record(
    *,
    action: str,
    outcome: str,
    request=None,
    actor=None,
    username: str = "",
    object_repr: str = "",
    summary: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the keyed chain. Side effects: locks and advances the chain head.

    The client IP and path come from `request` when given, else from the request being handled
    (`AuditRequestContextMiddleware`), else they stay empty (tasks, the sweep, commands). Writing
    never fails because the chain was tampered with (the trail must go on); a head that fails its
    check is logged and left unsigned for `verify_audit_chain` to report.
    """
    head = _locked_head()
    trusted = head_is_trusted(head)
    if not trusted:
        logger.error("audit chain head failed its check: appending, leaving the head unsigned")
    key_id, key = current_key()
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    meta = request_meta(request) if request is not None else current_request_meta()
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=actor,
        username=username or (actor.get_username() if actor else ""),
        action=action,
        outcome=outcome,
        ip_address=meta.ip_address if meta else None,
        path=meta.path if meta else "",
        object_repr=object_repr[:200],
        summary=summary[:200],
        detail=detail or {},
        previous_hash=head.last_hash,
        key_id=key_id,
    )
    entry.entry_hash = entry.compute_hash(key)
    entry.save()
    head.last_hash = entry.entry_hash
    head.last_entry_id = entry.pk
    head.entry_count += 1
    _advance_head(head, trusted=trusted)
    return entry


@transaction.atomic
def audit_record_many(records: Iterable[dict], *, chunk: int = 2_000) -> int:
    """Append many entries to the keyed chain under one lock of the head (bulk loads: `seed_scale`).

    Each record holds the keyword arguments of `audit_record` minus `request` (``action``,
    ``outcome``, ``actor``, ``username``, ``object_repr``, ``summary``, ``detail``) and may add
    ``created_at``. The entries are chained, keyed and counted exactly as one `audit_record` call
    each would; only the head's lock and signature are taken once per call instead of once per
    entry. Side effects: the entries, the head advanced and re-signed. Returns how many were written.
    """
    head = _locked_head()
    trusted = head_is_trusted(head)
    if not trusted:
        logger.error("audit chain head failed its check: appending, leaving the head unsigned")
    key_id, key = current_key()
    meta = current_request_meta()
    written = 0
    buffer: list[AuditEntry] = []

    def flush() -> None:
        nonlocal written
        if not buffer:
            return
        AuditEntry.objects.bulk_create(buffer)
        head.last_entry_id = buffer[-1].pk
        written += len(buffer)
        buffer.clear()

    for record in records:
        actor = record.get("actor")
        if actor is not None and not getattr(actor, "is_authenticated", False):
            actor = None
        entry = AuditEntry(
            created_at=record.get("created_at") or timezone.now(),
            actor=actor,
            username=record.get("username") or (actor.get_username() if actor else ""),
            action=record["action"],
            outcome=record["outcome"],
            ip_address=meta.ip_address if meta else None,
            path=meta.path if meta else "",
            object_repr=record.get("object_repr", "")[:200],
            summary=record.get("summary", "")[:200],
            detail=record.get("detail") or {},
            previous_hash=head.last_hash,
            key_id=key_id,
        )
        entry.entry_hash = entry.compute_hash(key)
        head.last_hash = entry.entry_hash
        buffer.append(entry)
        if len(buffer) >= chunk:
            flush()
    flush()
    if written:
        head.entry_count += written
        _advance_head(head, trusted=trusted)
    return written


def audit_event(
    *,
    actor,
    summary: str,
    obj: models.Model | None = None,
    detail: dict | None = None,
    outcome: str = AuditOutcome.SUCCESS,
) -> AuditEntry:
    """One business action, written by the service that performed it inside its own transaction.

    `summary` says in Chinese what was done ("提交申报", "会签推荐名单"); `obj` is what it was done
    to (its text is shown, its model and id go into the detail); `actor` None means the system
    (the minute sweep, a task).
    """
    details = dict(detail or {})
    if obj is not None:
        details.setdefault("model", obj._meta.label)
        details.setdefault("pk", obj.pk)
    return audit_record(
        action=AuditAction.STATE_CHANGE,
        outcome=outcome,
        actor=actor,
        object_repr=str(obj) if obj is not None else "",
        summary=summary,
        detail=details,
    )


def audit_chain_breaks(entries: Iterable[AuditEntry]) -> list[int]:
    """Ids of entries whose HMAC or link to the previous entry does not match (oldest first).

    Legacy (SHA-256) entries are checked by their hash only; whether they may be legacy at all is
    `shaoxing_bases.audit.integrity.verify_chain`'s question.
    """
    keys = verification_keys()
    broken: list[int] = []
    previous = GENESIS_HASH
    for entry in entries:
        if entry.key_id == LEGACY_KEY_ID:
            expected = entry.compute_hash()
        else:
            key = keys.get(entry.key_id)
            expected = entry.compute_hash(key) if key is not None else ""
        if entry.previous_hash != previous or expected != entry.entry_hash:
            broken.append(entry.pk)
        previous = entry.entry_hash
    return broken


# --- checkpoints ----------------------------------------------------------------------------------


class CheckpointRefused(Exception):
    """The trail is not in a state a checkpoint may vouch for; the message says why (Chinese)."""


def _table_state() -> tuple[int, int | None, str]:
    """(count, last id, last hash) of the entries as stored."""
    count = AuditEntry.objects.count()
    last = AuditEntry.objects.order_by("-id").values_list("id", "entry_hash").first()
    return count, (last[0] if last else None), (last[1] if last else GENESIS_HASH)


def _append_checkpoint(head: AuditChainHead, *, kind: str, note: str) -> AuditCheckpoint:
    """Write a checkpoint of the (locked, consistent) head and chain it. Side effect: the head names
    it and is re-signed."""
    key_id, key = current_key()
    checkpoint = AuditCheckpoint(
        created_at=timezone.now(),
        kind=kind,
        entry_count=head.entry_count,
        last_entry_id=head.last_entry_id,
        head_hash=head.last_hash,
        note=note[:500],
        previous_mac=head.last_checkpoint_mac,
        key_id=key_id,
    )
    checkpoint.mac = keyed_sign(key, CHECKPOINT_DOMAIN, checkpoint.canonical_payload())
    checkpoint.save()
    head.last_checkpoint_mac = checkpoint.mac
    _advance_head(head, trusted=True)
    return checkpoint


def _announce(checkpoint: AuditCheckpoint) -> None:
    """Log the checkpoint and mail it to AUDIT_CHECKPOINT_RECIPIENTS: copies outside the database,
    which an attacker who rewrites the database cannot rewrite too."""
    checkpoint_logger.warning(
        "审计检查点 #%s %s 类型=%s 记录数=%s 末条ID=%s 链头=%s MAC=%s",
        checkpoint.pk,
        timezone.localtime(checkpoint.created_at).isoformat(timespec="seconds"),
        checkpoint.kind,
        checkpoint.entry_count,
        checkpoint.last_entry_id or 0,
        checkpoint.head_hash,
        checkpoint.mac,
    )
    recipients = [address for address in settings.AUDIT_CHECKPOINT_RECIPIENTS if address]
    if not recipients:
        return
    when = timezone.localtime(checkpoint.created_at)
    body = "\n".join(
        [
            f"{settings.PORTAL_NAME} 审计日志{checkpoint.get_kind_display()}",
            "",
            f"时间：{when:%Y-%m-%d %H:%M:%S}",
            f"记录数：{checkpoint.entry_count}",
            f"末条记录ID：{checkpoint.last_entry_id or 0}",
            f"链头：{checkpoint.head_hash}",
            f"检查点编号：{checkpoint.pk}",
            f"检查点签名：{checkpoint.mac}",
            *([f"说明：{checkpoint.note}"] if checkpoint.note else []),
            "",
            "请将本邮件保存在本系统以外（邮箱归档或打印存档）。核对审计日志时运行：",
            f"python manage.py verify_audit_chain --anchor {checkpoint.anchor}",
            "校验不通过即说明检查点之后审计日志被删除或改动，处置方法见运维手册（docs/operations.md）。",
        ]
    )
    try:
        send_mail(
            subject=f"【{settings.PORTAL_NAME}】审计日志检查点 {when:%Y-%m-%d}"
            f"（{checkpoint.entry_count} 条）",
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=recipients,
        )
    except Exception:
        # The checkpoint and its log line exist; a missing e-mail is an operations alarm, not a reason
        # to lose them.
        logger.exception("audit checkpoint %s: e-mail to the city failed", checkpoint.pk)


def _alarm(reason: str) -> None:
    logger.error("审计日志检查点未写入：%s", reason)
    recipients = [address for address in settings.AUDIT_CHECKPOINT_RECIPIENTS if address]
    if recipients:
        try:
            send_mail(
                subject=f"【{settings.PORTAL_NAME}】审计日志异常：检查点未写入",
                message=f"{reason}\n\n请按运维手册（docs/operations.md）“审计日志校验未通过”一节处置。",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=recipients,
            )
        except Exception:
            logger.exception("audit alarm e-mail failed")


def audit_checkpoint_write(*, kind: str = CheckpointKind.DAILY, note: str = "") -> AuditCheckpoint:
    """Write a checkpoint of the trail as it is now. Side effects: one AuditCheckpoint, the head
    re-signed, a log line and (when AUDIT_CHECKPOINT_RECIPIENTS is set) an e-mail, sent after commit.

    Refuses (`CheckpointRefused`, logged and mailed as an alarm) when the head fails its check or
    disagrees with the newest entries: a checkpoint must never vouch for a tampered state.
    """
    with transaction.atomic():
        head = _locked_head()
        if not head_is_trusted(head):
            reason = "审计链头未签名或签名不符（升级后尚未封存，或链头被改动）。"
            _alarm(reason)
            raise CheckpointRefused(reason)
        state = _table_state()
        if state != (head.entry_count, head.last_entry_id, head.last_hash):
            reason = (
                f"审计链头记录 {head.entry_count} 条、末条ID {head.last_entry_id or 0}，"
                f"表中实有 {state[0]} 条、末条ID {state[1] or 0}：最新的记录可能被删除或改动。"
            )
            _alarm(reason)
            raise CheckpointRefused(reason)
        checkpoint = _append_checkpoint(head, kind=kind, note=note)
    _announce(checkpoint)
    return checkpoint


def audit_daily_checkpoint() -> AuditCheckpoint | None:
    """The beat's daily checkpoint; a second run on the same day (Asia/Shanghai) writes nothing."""
    today = timezone.localdate()
    if AuditCheckpoint.objects.filter(kind=CheckpointKind.DAILY, created_at__date=today).exists():
        return None
    try:
        return audit_checkpoint_write(kind=CheckpointKind.DAILY)
    except CheckpointRefused:
        return None  # logged and mailed as an alarm


def audit_chain_seal(*, reason: str, actor=None) -> AuditCheckpoint:
    """Vouch for the trail as it stands after an operator checked it: sign the head from the
    entries as stored and write a seal checkpoint. Side effects: an audit entry "封存审计日志" with
    the reason, a seal checkpoint (logged and mailed). Entries written before keying (SHA-256) are
    accepted from then on up to the seal, and only those.

    The caller must have verified the trail first (`integrity.verify_chain` with only
    ``sealable`` problems); this signs whatever is stored.
    """
    with transaction.atomic():
        head = _locked_head()
        head.entry_count, head.last_entry_id, head.last_hash = _table_state()
        latest = AuditCheckpoint.objects.order_by("-id").values_list("mac", flat=True).first()
        head.last_checkpoint_mac = latest or ""
        _advance_head(head, trusted=True)
        audit_record(
            action=AuditAction.STATE_CHANGE,
            outcome=AuditOutcome.SUCCESS,
            actor=actor,
            summary="封存审计日志",
            detail={"reason": reason[:300]},
        )
        head.refresh_from_db()
        checkpoint = _append_checkpoint(head, kind=CheckpointKind.SEAL, note=reason)
    _announce(checkpoint)
    return checkpoint
