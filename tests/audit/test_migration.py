"""Upgrading a database whose trail was written with plain SHA-256 (migration 0005)."""

import hashlib
import io
import json

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from shaoxing_bases.audit.integrity import verify_chain

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("audit", "0004_entry_summary")]
AFTER = [("audit", "0005_keyed_chain_and_checkpoints")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def test_existing_sha256_entries_are_counted_left_unsigned_and_verify_after_a_seal():
    from django.core.management import call_command

    old = _migrate(BEFORE)
    Entry = old.get_model("audit", "AuditEntry")
    Head = old.get_model("audit", "AuditChainHead")
    previous = "0" * 64
    for index in range(3):
        created_at = timezone.now()
        payload = {
            "created_at": created_at.isoformat(),
            "actor": None,
            "username": f"old{index}",
            "action": "login",
            "outcome": "success",
            "ip": None,
            "path": "",
            "object": "",
            "detail": {},
        }
        entry_hash = hashlib.sha256(
            (previous + json.dumps(payload, ensure_ascii=False, sort_keys=True)).encode()
        ).hexdigest()
        Entry.objects.create(
            created_at=created_at,
            username=f"old{index}",
            action="login",
            outcome="success",
            previous_hash=previous,
            entry_hash=entry_hash,
        )
        previous = entry_hash
    Head.objects.update_or_create(pk=1, defaults={"last_hash": previous})

    new = _migrate(AFTER)
    head = new.get_model("audit", "AuditChainHead").objects.get()
    assert (head.entry_count, head.mac) == (3, "")
    assert head.last_entry_id == new.get_model("audit", "AuditEntry").objects.order_by("-id").first().pk

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())  # back to the current schema
    result = verify_chain()
    assert {problem.code for problem in result.problems} == {"legacy_unsealed", "head_unsigned"}
    assert result.sealable
    call_command("seal_audit_chain", "--reason", "升级后核对旧记录", "--yes", stdout=io.StringIO())
    assert verify_chain().ok
