"""The decision's demo seeder: a batch the publicity stage left in publicity is decided through the
services, once; without one the seeder says so and does nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.enums import ApplicationState, BatchState
from applications.models import Application, Batch
from reporting.models import TrainingBase
from review.decisions.demo import seed_decisions
from review.decisions.enums import DecisionState
from review.decisions.models import Decision, OutboxMessage
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.demo import demo_batch_plans
from shaoxing_bases.notifications.models import Notification

from .conftest import make_publicity_batch

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_staff(make_user):
    return make_user(Role.CITY_HRSS, username="city_hrss"), make_user(
        Role.CITY_FINANCE, username="city_finance"
    )


def _concluded_plan():
    return next(plan for plan in demo_batch_plans() if plan.stage == BatchState.CONCLUDED)


def test_without_a_batch_in_publicity_the_seeder_does_nothing(demo_staff):
    assert seed_decisions() == ["认定发文：没有公示结束、待发文的批次。"]
    assert not Decision.objects.exists()


def test_the_concluded_batch_is_decided_once(demo_staff):
    plan = _concluded_plan()
    batch = make_publicity_batch(
        applications=2,
        year=plan.year,
        opens_at=plan.opens_at,
        submission_deadline=plan.submission_deadline,
        screening_deadline=plan.screening_deadline,
        scoring_deadline=plan.scoring_deadline,
        published_at=plan.scoring_deadline + timedelta(days=1),
    )
    members = [application.created_by for application in Application.objects.filter(batch=batch)]

    (line,) = seed_decisions()
    decision = Decision.objects.get(batch=batch)
    assert decision.state == DecisionState.ISSUED
    assert decision.document_number in line
    assert decision.issued_at < timezone.now()
    assert timezone.localdate(decision.issued_at).year == decision.decision_date.year
    batch.refresh_from_db()
    assert batch.state == BatchState.CONCLUDED
    assert set(Application.objects.filter(batch=batch).values_list("state", flat=True)) == {
        ApplicationState.APPROVED
    }
    assert TrainingBase.objects.filter(batch=batch).count() == 2
    assert not OutboxMessage.objects.filter(decision=decision, released_at__isnull=True).exists()
    assert all(Notification.objects.filter(recipient=member).exists() for member in members)

    assert seed_decisions() == [line]  # idempotent: nothing new
    assert Decision.objects.count() == 1
    assert Batch.objects.get(pk=batch.pk).training_bases.count() == 2
