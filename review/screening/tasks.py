"""Celery wiring of the county screening: the letter task, and the minute sweep's reminders and
missing letters."""

import logging

from celery import shared_task

from shaoxing_bases.core.tasks import register_sweeper

from .services import recommendation_letter_render, recommendation_letters_sweep, screening_reminders_sweep

logger = logging.getLogger(__name__)


@shared_task(
    name="review.render_recommendation_letter",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def render_recommendation_letter_task(*, recommendation_id: int) -> None:
    """Render a submitted county list's 推荐函; the service re-checks under a row lock, so a second
    run stores no second letter."""
    recommendation_letter_render(recommendation_id=recommendation_id)


register_sweeper(screening_reminders_sweep)
# A letter whose task message was lost (broker down at the commit, worker lost) is rendered here.
register_sweeper(recommendation_letters_sweep)
