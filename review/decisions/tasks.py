"""Celery wiring of the decision: the PDF render tasks (idempotent, time-limited) and the sweep that
re-enqueues documents whose task was lost."""

from celery import shared_task
from django.conf import settings

from shaoxing_bases.core.tasks import register_sweeper

from .services import approval_letter_render, decision_documents_sweep, decision_notice_render

_RENDER_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": (OSError,),
    "retry_backoff": True,
    "max_retries": 5,
    # A render that hangs is killed (and retried by the sweep) instead of holding a worker.
    "soft_time_limit": settings.CELERY_TASK_SOFT_TIME_LIMIT,
    "time_limit": settings.CELERY_TASK_TIME_LIMIT,
}


@shared_task(name="review.render_decision_notice", **_RENDER_OPTIONS)
def render_decision_notice_task(*, decision_id: int) -> None:
    """Render the issued decision's PDF; the service re-checks under a row lock (one document)."""
    decision_notice_render(decision_id=decision_id)


@shared_task(name="review.render_approval_letter", **_RENDER_OPTIONS)
def render_approval_letter_task(*, letter_id: int) -> None:
    """Render one approval letter; a second run stores nothing."""
    approval_letter_render(letter_id=letter_id)


register_sweeper(decision_documents_sweep)
