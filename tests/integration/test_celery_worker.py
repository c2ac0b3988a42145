"""The minute sweep through a REAL Celery worker and the configured broker (Redis).

The rest of the suite runs tasks eagerly; this test proves the wiring eager mode hides: the task is
registered under its name on the worker, the message crosses the broker, and the worker's own
database connection moves the batch. Runs only when REDIS_URL is set (CI, or locally with
``REDIS_URL=redis://127.0.0.1:6379/15``).
"""

import threading
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.result import EagerResult
from celery.signals import task_postrun, task_prerun
from django.conf import settings
from django.db import connections
from django.utils import timezone

from applications.enums import BatchState
from applications.models import Batch
from shaoxing_bases.celery import app as celery_app
from shaoxing_bases.core.tasks import sweep_deadlines
from tests.applications.factories import BatchFactory

needs_redis = pytest.mark.skipif(
    not settings.REDIS_URL, reason="REDIS_URL is not set: no broker for a real Celery worker"
)
pytestmark = needs_redis

BROKER_TIMEOUT = 5  # seconds to reach Redis before failing (not hanging)
TASK_TIMEOUT = 30  # seconds for the worker to pick up and finish the sweep


def _close_worker_connections(**kwargs):
    """The worker thread opens its own connections; close them so teardown can flush/drop the DB."""
    connections.close_all()


@contextmanager
def running_worker():
    """An in-process worker thread consuming from the configured broker, with eager mode off."""
    saved = {key: celery_app.conf[key] for key in ("task_always_eager", "worker_hijack_root_logger")}
    celery_app.conf.task_always_eager = False
    celery_app.conf.worker_hijack_root_logger = False  # leave pytest's logging alone
    task_postrun.connect(_close_worker_connections, weak=False)
    try:
        with celery_app.connection_for_write() as connection:
            connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
        celery_app.control.purge()  # stale messages of an earlier, interrupted run
        with start_worker(
            celery_app, perform_ping_check=False, loglevel="WARNING", shutdown_timeout=TASK_TIMEOUT
        ) as worker:
            yield worker
    finally:
        task_postrun.disconnect(_close_worker_connections)
        for key, value in saved.items():
            celery_app.conf[key] = value


@pytest.fixture
def real_worker():
    with running_worker() as worker:
        yield worker


def wait_for(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return predicate()


@pytest.mark.django_db(transaction=True)
def test_sweep_deadlines_runs_in_real_worker_and_opens_due_batch(real_worker):
    due = BatchFactory(opens_at=timezone.now() - timedelta(minutes=1))
    ran_in: list[str] = []

    def record_thread(sender=None, **kwargs):
        if sender is not None and sender.name == "core.sweep_deadlines":
            ran_in.append(threading.current_thread().name)

    task_prerun.connect(record_thread, weak=False)
    try:
        result = sweep_deadlines.delay()
        assert not isinstance(result, EagerResult)
        opened = wait_for(lambda: Batch.objects.get(pk=due.pk).state == BatchState.OPEN, TASK_TIMEOUT)
    finally:
        task_prerun.disconnect(record_thread)

    assert opened, f"the worker did not open the batch within {TASK_TIMEOUT}s"
    assert ran_in, "core.sweep_deadlines did not run in the worker"
    assert threading.current_thread().name not in ran_in  # ran in the worker thread, not here
