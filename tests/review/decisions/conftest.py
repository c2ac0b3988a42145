"""Fixtures of the decision tests: a batch in publicity with applications in publicity (moved there by
their own FSM transitions, as the publicity stage will), city HRSS and city finance."""

import pytest
from django.utils import timezone

from applications.enums import ApplicationState
from review.decisions.services import decision_cosign, decision_draft_save, decision_initial
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import ApplicantUnitFactory, ApplicationFactory
from tests.review.panels.conftest import make_review_batch


def make_publicity_batch(applications: int = 3, **kwargs):
    """A batch in publicity whose ``applications`` shortlisted applications were publicized."""
    batch = make_review_batch(**kwargs)
    divisions = ("330602", "330603", "330681", "330604")
    for index in range(applications):
        application = ApplicationFactory(
            batch=batch,
            unit=ApplicantUnitFactory(division=divisions[index % len(divisions)]),
            state=ApplicationState.SHORTLISTED,
        )
        application.publicize()
        application.save()
    batch.start_publicity()
    batch.save()
    batch.refresh_from_db()
    return batch


def draft(batch, actor):
    return decision_draft_save(batch=batch, actor=actor, **decision_initial(batch))


def cosigned(batch, hrss, finance):
    return decision_cosign(decision=draft(batch, hrss), actor=finance, comment="同意。")


@pytest.fixture
def city_hrss(make_user):
    return make_user(Role.CITY_HRSS, username="decision_city_hrss")


@pytest.fixture
def city_finance(make_user):
    return make_user(Role.CITY_FINANCE, username="decision_city_finance", email="finance@example.cn")


@pytest.fixture
def batch(db):
    return make_publicity_batch()


@pytest.fixture
def today():
    return timezone.localdate()
