"""Celery wiring of the annual reports: the archive PDF task, and the minute sweep's December timers
and missing archives."""

from celery import shared_task

from shaoxing_bases.core.tasks import register_sweeper

from .services import annual_report_archive_render, annual_report_archives_sweep, annual_reports_sweep


@shared_task(
    name="reporting.render_annual_report_archive",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def render_annual_report_archive_task(*, report_id: int) -> None:
    """Render an approved report's archive PDF; the service re-checks under a row lock."""
    annual_report_archive_render(report_id=report_id)


register_sweeper(annual_reports_sweep)
register_sweeper(annual_report_archives_sweep)
