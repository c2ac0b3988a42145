"""The archive copy (存档PDF) of a county-approved report: rendered once, by a task, never under a lock."""

import hashlib
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shaoxing_bases.audit.services import audit_event

from ..enums import ReportState
from ..models import AnnualReport

logger = logging.getLogger(__name__)

ARCHIVED_STATES = (ReportState.COUNTY_APPROVED, ReportState.CITY_RECEIVED)
ARCHIVE_SWEEP_LIMIT = 20
#: A report approved this recently still has its own task on the way: the sweep leaves it alone.
ARCHIVE_GRACE = timedelta(minutes=2)


def annual_report_archive_render(*, report_id: int) -> bool:
    """Render and store the archive PDF of an approved report, once. Returns whether it stored one.

    Rendered with no lock held; the row is then locked and re-checked, so a second run (a redelivered
    task, the sweep's task) stores nothing. Side effects: the file, its SHA-256, an audit entry.
    """
    from ..documents import render_annual_report  # documents import the models

    report = (
        AnnualReport.objects.select_related("base", "base__unit", "base__region", "base__application__batch")
        .filter(pk=report_id, state__in=ARCHIVED_STATES)
        .first()
    )
    if report is None or report.archive:
        return False
    pdf = render_annual_report(report)
    with transaction.atomic():
        locked = AnnualReport.objects.select_for_update(of=("self",)).filter(pk=report_id).first()
        if locked is None or locked.archive or locked.state not in ARCHIVED_STATES:
            return False
        locked.archive.save("report.pdf", ContentFile(pdf), save=False)
        name = locked.archive.name
        try:
            locked.archive_sha256 = hashlib.sha256(pdf).hexdigest()
            locked.archive_rendered_at = timezone.now()
            locked.save(update_fields=["archive", "archive_sha256", "archive_rendered_at", "updated_at"])
            audit_event(
                actor=None,
                summary="生成年度报告存档PDF",
                obj=locked,
                detail={"sha256": locked.archive_sha256},
            )
        except Exception:
            locked.archive.storage.delete(name)  # no orphan file
            raise
    logger.info("rendered annual report archive %s (%s bytes)", report_id, len(pdf))
    return True


def annual_report_archives_sweep(now=None) -> int:
    """Enqueue the archive of approved reports that have none (their task's message was lost)."""
    from ..tasks import render_annual_report_archive_task

    now = now or timezone.now()
    missing = (
        AnnualReport.objects.filter(state__in=ARCHIVED_STATES)
        .filter(Q(county_reviewed_at__isnull=True) | Q(county_reviewed_at__lte=now - ARCHIVE_GRACE))
        .filter(Q(archive="") | Q(archive__isnull=True))
        .order_by("pk")
        .values_list("pk", flat=True)[:ARCHIVE_SWEEP_LIMIT]
    )
    enqueued = 0
    for report_id in list(missing):
        try:
            render_annual_report_archive_task.delay(report_id=report_id)
        except Exception:
            logger.exception("archive of annual report %s not enqueued; the next sweep retries", report_id)
            continue
        enqueued += 1
    return enqueued
