"""Celery wiring of the expert review: the minute sweep's scoring reminders."""

from shaoxing_bases.core.tasks import register_sweeper

from .services import scoring_reminders_sweep

register_sweeper(scoring_reminders_sweep)
