"""The once-a-minute sweep that moves every due deadline (DESIGN section 8)."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)

# Each feature with deadlines registers a callable here (from its AppConfig.ready, through its
# tasks module); each takes rows with select_for_update(skip_locked=True) and moves them through
# its services, returning how many it moved.
DEADLINE_SWEEPERS: list = []


def register_sweeper(sweeper) -> None:
    if sweeper not in DEADLINE_SWEEPERS:
        DEADLINE_SWEEPERS.append(sweeper)


@shared_task(name="core.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> int:
    moved = 0
    for sweeper in DEADLINE_SWEEPERS:
        moved += sweeper() or 0
    logger.debug("deadline sweep moved %s rows", moved)
    return moved
