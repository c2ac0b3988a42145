"""The broker is unreachable while a unit submits: the unit sees its submission, not a 500, and the
county's e-mail goes out once the broker is back, through the minute sweep, exactly once.

Not a monkeypatched ``delay``: Celery is pointed at a closed port with eager mode off, so the
publish really fails inside kombu. When REDIS_URL is set the e-mail then goes through the real
broker and a real worker; without it, eagerly.
"""

import socket
import time
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.celery import app as celery_app
from shaoxing_bases.core.tasks import sweep_deadlines
from shaoxing_bases.notifications.models import Notification
from shaoxing_bases.notifications.services import EMAIL_SWEEP_GRACE
from tests.applications.factories import ApplicationFactory, complete_application
from tests.factories import UserFactory

from .test_celery_worker import TASK_TIMEOUT, running_worker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens once the probe is closed


def _reset_connection_pools() -> None:
    # Celery keeps its producer pool for the configured URL; drop it so the next publish connects to
    # the URL set now.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Broker:
    def __init__(self):
        self.saved = {key: celery_app.conf[key] for key in ("broker_url", "task_always_eager")}

    def go_down(self) -> None:
        celery_app.conf.broker_url = f"redis://127.0.0.1:{_closed_port()}/0"
        celery_app.conf.task_always_eager = False
        _reset_connection_pools()

    def come_back(self) -> None:
        for key, value in self.saved.items():
            celery_app.conf[key] = value
        _reset_connection_pools()


@pytest.fixture
def broker():
    broker = Broker()
    broker.go_down()
    try:
        yield broker
    finally:
        broker.come_back()


def test_submission_while_the_broker_is_down_is_saved_shown_and_mailed_once_it_is_back(client, broker):
    application = complete_application(ApplicationFactory())
    county = UserFactory(role=Role.COUNTY_HRSS, region=application.unit.region, username="outage_county")
    client.force_login(application.created_by)

    started = time.monotonic()
    response = client.post(reverse("applications:submit", args=[application.pk]))
    publish_seconds = time.monotonic() - started

    assert response.status_code == 302, response.content.decode()[:500]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    notice = Notification.objects.get(recipient=county)
    assert notice.emailed_at is None
    assert notice.email_due_at is not None
    assert mail.outbox == []
    print(f"submit with the broker down answered in {publish_seconds:.2f}s")

    broker.come_back()
    due = timezone.now() + EMAIL_SWEEP_GRACE + timedelta(seconds=1)
    if settings.REDIS_URL:
        with running_worker(), time_machine.travel(due, tick=True):
            sweep_deadlines.delay()
            assert wait_for(lambda: len(mail.outbox) >= 1, TASK_TIMEOUT)
            sweep_deadlines.delay()  # a second sweep finds nothing due
            time.sleep(1)
    else:
        with time_machine.travel(due, tick=False):
            sweep_deadlines()
            sweep_deadlines()

    assert [message.to for message in mail.outbox] == [[county.email]]
    notice.refresh_from_db()
    assert notice.emailed_at is not None
    assert notice.email_due_at is None
