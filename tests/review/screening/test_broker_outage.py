"""The broker is down when a decision or the list's report commits: the user sees the result, not a 500.

The commit has happened by then; the e-mails wait for a later notice and the letter for the minute
sweep. Transactional tests, so that ``on_commit`` runs inside the request as in production.
"""

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from applications.enums import ApplicationState
from review.screening.enums import RecommendationState
from review.screening.models import Recommendation
from review.screening.services import (
    recommendation_cosign,
    recommendation_entry_add,
    recommendation_request_cosign,
)
from review.screening.tasks import render_recommendation_letter_task
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.notifications.models import Notification
from shaoxing_bases.notifications.tasks import send_notification_email_task
from tests.factories import UserFactory, county_list_for, region

from .conftest import YUECHENG, make_screening_batch, make_submitted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def broker_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(send_notification_email_task, "delay", refuse)
    monkeypatch.setattr(render_recommendation_letter_task, "delay", refuse)
    return monkeypatch


@pytest.fixture
def county():
    return {
        "hrss": UserFactory(role=Role.COUNTY_HRSS, region=region(YUECHENG), username="outage_hrss"),
        "finance": UserFactory(role=Role.COUNTY_FINANCE, region=region(YUECHENG), username="outage_fin"),
        "city": UserFactory(role=Role.CITY_HRSS, username="outage_city"),
    }


def test_decision_committed_while_the_broker_is_down_is_shown_not_a_500(client, county, broker_down):
    application = make_submitted(make_screening_batch())
    member = UserFactory(role=Role.APPLICANT, unit=application.unit, username="outage_unit")
    client.force_login(county["hrss"])
    response = client.post(
        reverse("review:decide", args=[application.pk]),
        {"decision": "return", "reason": "请补充消防验收证明"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED
    assert Notification.objects.filter(recipient=member).exists()  # the inbox has it; the e-mail waits


def test_list_reported_while_the_broker_is_down_is_shown_and_the_sweep_renders_the_letter(
    client, county, broker_down
):
    batch = make_screening_batch()
    recommendation = county_list_for(batch=batch, region=region(YUECHENG))
    recommendation_entry_add(
        recommendation=recommendation,
        actor=county["hrss"],
        application=make_submitted(batch, state=ApplicationState.RECOMMENDED),
        opinion="同意推荐",
    )
    recommendation_request_cosign(recommendation=recommendation, actor=county["hrss"])
    recommendation_cosign(recommendation=recommendation, actor=county["finance"])
    client.force_login(county["hrss"])
    response = client.post(reverse("review:transition", args=[recommendation.pk, "submit"]))
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.state == RecommendationState.SUBMITTED_TO_CITY
    assert not recommendation.letter
    assert Notification.objects.filter(recipient=county["city"]).exists()
    # The lost message costs a few minutes: once the broker is back, the sweep enqueues the letter.
    from django.utils import timezone

    from review.screening.services import recommendation_letters_sweep
    from review.screening.services.letters import LETTER_GRACE

    later = timezone.now() + LETTER_GRACE
    assert recommendation_letters_sweep(now=later) == 0  # still down: nothing lost, tried next minute
    broker_down.undo()
    assert recommendation_letters_sweep(now=later) == 1
    assert Recommendation.objects.get(pk=recommendation.pk).letter
