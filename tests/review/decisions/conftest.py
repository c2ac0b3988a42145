"""Fixtures of the decision tests: a batch whose publicity has run its course — shortlist confirmed by
the panel, notice published and its seven days over, no objection — city HRSS and city finance."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from applications.enums import ApplicationState
from review.decisions.services import decision_cosign, decision_draft_save, decision_initial
from review.panels.services import panel_close, panel_open_scoring, shortlist_confirm
from review.publicity.services import publicity_start
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import ApplicantUnitFactory, ApplicationFactory
from tests.factories import UserFactory
from tests.review.panels.conftest import make_panel, make_review_batch, score_all
from tests.review.publicity.conftest import settings_for

#: The notice was published this long ago: its seven days are over, nothing blocks the decision.
PUBLISHED_AGO = timedelta(days=10)


def make_publicity_batch(applications: int = 3, published_at=None, **kwargs):
    """A batch whose ``applications`` applications (units in several counties) went through the real
    stages: scored and shortlisted two days before its notice was published at ``published_at``
    (default: ten days ago, so the seven days are over and nothing blocks the decision)."""
    published_at = published_at or timezone.now() - PUBLISHED_AGO
    divisions = ("330602", "330603", "330681", "330604")
    with time_machine.travel(published_at - timedelta(days=2), tick=False):
        batch = make_review_batch(**kwargs)
        for index in range(applications):
            ApplicationFactory(
                batch=batch,
                unit=ApplicantUnitFactory(division=divisions[index % len(divisions)]),
                state=ApplicationState.UNDER_REVIEW,
            )
        manager = UserFactory(role=Role.CITY_HRSS)
        panel = panel_open_scoring(panel=make_panel(batch, applications=0), actor=manager)
        score_all(panel)
        panel = panel_close(panel=panel, actor=manager)
        shortlist_confirm(panel=panel, actor=manager, comment="同意评审组意见。")
    with time_machine.travel(published_at, tick=False):
        publicity_start(batch=batch, actor=manager, settings=settings_for(timezone.localdate()))
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
