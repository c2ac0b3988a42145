"""Celery wiring of the publicity stage: the notice's PDF, and the minute sweep that opens and
closes notices on time."""

from celery import shared_task

from shaoxing_bases.core.tasks import register_sweeper

from .services import publicity_render_pdf, publicity_sweep


@shared_task(
    name="review.render_publicity_notice",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def render_notice_pdf_task(*, publicity_id: int) -> None:
    """Render a published notice's PDF from its frozen HTML; a second run stores nothing."""
    publicity_render_pdf(publicity_id=publicity_id)


register_sweeper(publicity_sweep)
