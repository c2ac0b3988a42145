"""`audit_record_many`: bulk appends are chained, keyed and counted exactly like single ones."""

import pytest

from shaoxing_bases.audit.integrity import verify_chain
from shaoxing_bases.audit.models import AuditAction, AuditChainHead, AuditEntry, AuditOutcome
from shaoxing_bases.audit.services import audit_event, audit_record_many


def _records(count: int, actor=None):
    return (
        {
            "action": AuditAction.STATE_CHANGE,
            "outcome": AuditOutcome.SUCCESS,
            "actor": actor,
            "summary": f"批量记录{number}",
            "detail": {"number": number},
        }
        for number in range(count)
    )


@pytest.mark.django_db
def test_a_bulk_append_between_single_ones_keeps_the_chain_verifiable(make_user):
    user = make_user()
    audit_event(actor=user, summary="之前")

    written = audit_record_many(_records(7, user), chunk=3)  # three chunks: 3 + 3 + 1
    audit_event(actor=None, summary="之后")

    assert written == 7
    head = AuditChainHead.objects.get()
    newest = AuditEntry.objects.order_by("-id").first()
    assert head.entry_count == 9
    assert head.last_entry_id == newest.pk
    assert head.last_hash == newest.entry_hash
    assert AuditEntry.objects.filter(username=user.username, summary__startswith="批量").count() == 7
    assert verify_chain().ok


@pytest.mark.django_db
def test_a_tampered_bulk_entry_is_detected():
    audit_record_many(_records(4))
    entry = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=entry.pk).update(summary="改过")

    assert not verify_chain().ok


@pytest.mark.django_db
def test_an_empty_bulk_append_writes_nothing():
    assert audit_record_many([]) == 0
    assert AuditEntry.objects.count() == 0
    assert AuditChainHead.objects.get().is_genesis
