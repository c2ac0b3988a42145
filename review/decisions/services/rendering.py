"""Rendering and storing the decision's PDFs, once each: rendered with no lock held, then stored under
a row lock only if none exists, so that a redelivered task or the sweep's task stores nothing."""

import hashlib
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.background import enqueue_after_commit

from ..enums import DecisionState
from ..models import ApprovalLetter, Decision

logger = logging.getLogger(__name__)

#: Documents issued this recently still have their own task on the way: the sweep leaves them alone.
RENDER_GRACE = timedelta(minutes=2)
RENDER_SWEEP_LIMIT = 20


def _store(locked, field: str, sha_field: str, stamp_field: str, pdf: bytes, summary: str) -> None:
    getattr(locked, field).save("document.pdf", ContentFile(pdf), save=False)
    name = getattr(locked, field).name
    try:
        setattr(locked, sha_field, hashlib.sha256(pdf).hexdigest())
        setattr(locked, stamp_field, timezone.now())
        locked.save(update_fields=[field, sha_field, stamp_field])
        audit_event(actor=None, summary=summary, obj=locked, detail={"sha256": getattr(locked, sha_field)})
    except Exception:
        getattr(locked, field).storage.delete(name)  # no orphan file
        raise


def _signed_bytes(issued) -> bytes:
    with issued.file.open("rb") as handle:
        return handle.read()


def decision_notice_render(*, decision_id: int) -> bool:
    """Issue (render, sign, archive: ``documents.signing.document_issue``) and store the decision's
    PDF, once. Returns whether it stored one now."""
    from ..documents import issue_decision_notice

    decision = (
        Decision.objects.select_related("batch").filter(pk=decision_id, state=DecisionState.ISSUED).first()
    )
    if decision is None or decision.pdf:
        return False
    pdf = _signed_bytes(issue_decision_notice(decision))
    with transaction.atomic():
        locked = Decision.objects.select_for_update().filter(pk=decision_id).first()
        if locked is None or locked.pdf:
            return False
        _store(locked, "pdf", "pdf_sha256", "pdf_rendered_at", pdf, "生成认定文件")
    logger.info("rendered decision notice %s (%s bytes)", decision_id, len(pdf))
    return True


def approval_letter_render(*, letter_id: int) -> bool:
    """Issue (render, sign, archive) and store one approval letter, once. Returns whether it stored one
    now."""
    from ..documents import issue_approval_letter

    letter = (
        ApprovalLetter.objects.select_related("decision__batch", "application__unit__region")
        .filter(pk=letter_id, decision__state=DecisionState.ISSUED)
        .first()
    )
    if letter is None or letter.pdf:
        return False
    pdf = _signed_bytes(issue_approval_letter(letter))
    with transaction.atomic():
        locked = ApprovalLetter.objects.select_for_update().filter(pk=letter_id).first()
        if locked is None or locked.pdf:
            return False
        _store(locked, "pdf", "pdf_sha256", "rendered_at", pdf, "生成认定通知书")
    return True


def decision_documents_sweep(now=None) -> int:
    """Enqueue the render of issued documents that have no PDF (their task's message was lost).
    Part of the minute sweep; the render runs in its own task. Returns how many it enqueued."""
    from ..tasks import render_approval_letter_task, render_decision_notice_task

    now = now or timezone.now()
    settled = Q(issued_at__lte=now - RENDER_GRACE)
    enqueued = 0
    decisions = Decision.objects.filter(settled, state=DecisionState.ISSUED).filter(
        Q(pdf="") | Q(pdf__isnull=True)
    )
    for decision_id in list(decisions.values_list("pk", flat=True)[:RENDER_SWEEP_LIMIT]):
        enqueue_after_commit(render_decision_notice_task, decision_id=decision_id)
        enqueued += 1
    letters = ApprovalLetter.objects.filter(
        decision__state=DecisionState.ISSUED, decision__issued_at__lte=now - RENDER_GRACE
    ).filter(Q(pdf="") | Q(pdf__isnull=True))
    for letter_id in list(letters.values_list("pk", flat=True)[:RENDER_SWEEP_LIMIT]):
        enqueue_after_commit(render_approval_letter_task, letter_id=letter_id)
        enqueued += 1
    return enqueued
