"""Background work that every part of the platform and every app shares, with no imports of its own
beyond Django (a leaf: anything may import it without making a cycle).

* The sweeper registry: each feature with deadlines or retryable work registers a callable
  (`register_sweeper`), and the once-a-minute `core.sweep_deadlines` runs them (`run_sweeper`),
  each in isolation.
* `enqueue_after_commit`, the one way to enqueue a task so that a broker outage never fails the
  request or the service that asked for it.
"""

import logging
from collections.abc import Callable
from functools import partial

from django.db import connection, transaction

logger = logging.getLogger(__name__)

# Each callable takes rows with select_for_update(skip_locked=True) and moves them through its
# services, returning how many it moved. A sweeper does light work only: anything slow (a PDF, an
# e-mail) it hands to its own task with `enqueue_after_commit`, so that one slow item neither holds
# the sweep's row locks nor eats the time limit of the sweep every other sweeper shares.
DEADLINE_SWEEPERS: list[Callable[[], int | None]] = []


def register_sweeper(sweeper: Callable[[], int | None]) -> None:
    if sweeper not in DEADLINE_SWEEPERS:
        DEADLINE_SWEEPERS.append(sweeper)


def _sweeper_name(sweeper: Callable) -> str:
    return f"{getattr(sweeper, '__module__', '?')}.{getattr(sweeper, '__qualname__', repr(sweeper))}"


def run_sweeper(sweeper: Callable[[], int | None]) -> int:
    """Run one sweeper so that its failure stays its own: logged, counted as 0, never raised.

    Outside a transaction (the worker) each sweeper commits row by row through its services, so a row
    that keeps failing does not roll back the rows before it; a connection the failure left unusable
    is closed so that the next sweeper reconnects. Inside a transaction (a test, a caller's atomic
    block) it runs in a savepoint, so that a failed query does not abort the transaction for the
    sweepers after it.
    """
    try:
        if connection.in_atomic_block:
            with transaction.atomic():
                return sweeper() or 0
        return sweeper() or 0
    except Exception:
        logger.exception(
            "sweeper %s failed; the other sweepers ran, it retries next minute", _sweeper_name(sweeper)
        )
        if not connection.in_atomic_block:
            connection.close_if_unusable_or_obsolete()
        return 0


def _send(task, kwargs: dict) -> None:
    try:
        task.delay(**kwargs)
    except Exception:
        # The change that asked for the task is committed; a sweep finds the work again.
        logger.exception("could not enqueue %s(%s); a sweep picks the work up later", task.name, kwargs)


def enqueue_after_commit(task, /, **kwargs) -> None:
    """Send ``task`` with ``kwargs`` once the current transaction commits (at once outside one).

    Never raises: when the broker is down the request or service that asked has already committed,
    so the failure is logged and the work is left to the sweep that owns it (e-mails: the
    notification sweep; letters: the letter sweep). Use it instead of ``delay_on_commit``, which
    lets a broker outage turn a saved change into a 500. ``robust=True`` keeps a failure inside the
    callback from stopping the other on-commit callbacks of the same transaction.
    """
    transaction.on_commit(partial(_send, task, kwargs), robust=True)
