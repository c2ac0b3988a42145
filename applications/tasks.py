"""Celery wiring of the applications app: its deadlines join the minute sweep."""

from shaoxing_bases.core.tasks import register_sweeper

from .batches.services import batches_sweep

register_sweeper(batches_sweep)
