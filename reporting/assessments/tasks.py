"""Celery wiring of the assessments: the minute sweep's reminders before rectification deadlines."""

from shaoxing_bases.core.tasks import register_sweeper

from .services import rectification_reminders_sweep

register_sweeper(rectification_reminders_sweep)
