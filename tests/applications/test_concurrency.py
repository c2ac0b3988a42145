"""Row locks of the applications services, across two database connections.

Needs PostgreSQL (SELECT … FOR UPDATE across connections); SQLite has no row locks and skips.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/applications_dev \
     .venv/bin/pytest tests/applications/test_concurrency.py
"""

import threading

import pytest
from django.db import DatabaseError, connection, transaction

from applications.models import ApplicantUnit, Batch
from applications.workflow import services
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE across connections); SQLite has none")


def test_locking_an_application_leaves_its_batch_and_unit_free():
    """A save or submission holds the application row only: the sweep (batch) and the unit profile
    (unit) must not wait on it."""
    _needs_postgresql()
    application = ApplicationFactory()
    locked = threading.Event()
    done = threading.Event()
    failures: list[str] = []

    def hold_the_application():
        try:
            with transaction.atomic():
                services.locked_application(application)
                locked.set()
                done.wait(timeout=10)
        finally:
            connection.close()

    def touch_batch_and_unit():
        try:
            locked.wait(timeout=10)
            for model, pk in ((Batch, application.batch_id), (ApplicantUnit, application.unit_id)):
                try:
                    with transaction.atomic():
                        model.objects.select_for_update(nowait=True).get(pk=pk)
                except DatabaseError:
                    failures.append(model.__name__)
        finally:
            done.set()
            connection.close()

    threads = [threading.Thread(target=hold_the_application), threading.Thread(target=touch_batch_and_unit)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert locked.is_set()
    assert failures == []
