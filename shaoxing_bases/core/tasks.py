"""The once-a-minute sweep that moves every due deadline (DESIGN section 8)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

# Each feature with deadlines appends a callable here; each takes rows with
# select_for_update(skip_locked=True) and moves them through its services.
DEADLINE_SWEEPERS: list = []


@shared_task(name="core.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> int:
    moved = 0
    for sweeper in DEADLINE_SWEEPERS:
        moved += sweeper() or 0
    logger.debug("deadline sweep moved %s rows", moved)
    return moved
