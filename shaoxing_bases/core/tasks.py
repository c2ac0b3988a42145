"""The once-a-minute sweep that moves every due deadline (DESIGN section 8).

The registry and the isolation live in `shaoxing_bases.background` (a leaf every part of the
platform may import); they are re-exported here, where the apps have always registered.
"""

import logging

from celery import shared_task

from shaoxing_bases import background
from shaoxing_bases.background import (  # noqa: F401  (re-exported for the apps)
    DEADLINE_SWEEPERS,
    enqueue_after_commit,
    register_sweeper,
    run_sweeper,
)

logger = logging.getLogger(__name__)


@shared_task(name="core.sweep_deadlines", acks_late=True)
def sweep_deadlines() -> int:
    """Every registered sweeper in turn, each isolated (`run_sweeper`). Returns the rows moved."""
    moved = sum(run_sweeper(sweeper) for sweeper in list(background.DEADLINE_SWEEPERS))
    logger.debug("deadline sweep moved %s rows", moved)
    return moved


@shared_task(name="core.run_job", acks_late=True)
def run_job_task(*, job_id: int) -> bool:
    """One background job (`core.jobs`); a second delivery does nothing (`job_run` claims under lock)."""
    from .jobs import job_run

    return job_run(job_id=job_id)
