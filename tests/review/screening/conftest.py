"""Fixtures of the county screening tests: a batch, county staff and handed-in applications."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.eligibility import NEEDS_JUDGEMENT
from applications.enums import ApplicationState, BatchState
from applications.indicators import application_check
from applications.models import Application
from review.screening.enums import JudgementOutcome
from review.screening.services import clause_judge
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import (
    ApplicantUnitFactory,
    ApplicationFactory,
    BatchFactory,
    complete_application,
)
from tests.factories import UserFactory

YUECHENG = "330602"
KEQIAO = "330603"


@pytest.fixture(autouse=True)
def _county_letter_settings(db):
    """Every county has set its letters' contact (a list cannot go out without it). A flushed
    database (transactional tests) gets its counties back first."""
    from shaoxing_bases.accounts.models import Region
    from shaoxing_bases.accounts.regions import ensure_shaoxing_counties

    ensure_shaoxing_counties()
    Region.objects.update(contact_name="王丽", contact_phone="0575-85120000")


@pytest.fixture
def batch(db):
    """An open batch: submissions until +10 days, county screening until +20 days."""
    return BatchFactory(state=BatchState.OPEN)


def make_screening_batch(**kwargs):
    """A batch whose submissions closed yesterday: county screening until +9 days."""
    return BatchFactory(state=BatchState.SCREENING, opens_at=timezone.now() - timedelta(days=12), **kwargs)


@pytest.fixture
def screening_batch(db):
    """A batch in county screening: submissions closed yesterday, screening until +9 days. The
    county's list can go to finance and to the city only once units can no longer hand anything in."""
    return make_screening_batch()


@pytest.fixture
def hrss(make_user):
    return make_user(Role.COUNTY_HRSS, YUECHENG, username="yc_hrss")


@pytest.fixture
def finance(make_user):
    return make_user(Role.COUNTY_FINANCE, YUECHENG, username="yc_finance")


@pytest.fixture
def other_hrss(make_user):
    return make_user(Role.COUNTY_HRSS, KEQIAO, username="kq_hrss")


@pytest.fixture
def other_finance(make_user):
    return make_user(Role.COUNTY_FINANCE, KEQIAO, username="kq_finance")


@pytest.fixture
def city_hrss(make_user):
    return make_user(Role.CITY_HRSS, username="city_hrss_user")


def make_submitted(
    batch, *, division: str = YUECHENG, unit_type: str = "college", state=ApplicationState.SUBMITTED
):
    """A complete application (every auto-check passes or needs judgement) handed in to the county.

    The state is put in place like the shared factories do (no transition log), so these tests do
    not depend on the unit's submission page.
    """
    unit = ApplicantUnitFactory(division=division, unit_type=unit_type)
    application = ApplicationFactory(batch=batch, unit=unit)
    if not batch.accepts_submissions():
        # Submissions have closed, so the unit's form no longer opens for a draft: fill it the way a
        # returned application is filled (open until the screening deadline).
        Application.objects.filter(pk=application.pk).update(state=ApplicationState.RETURNED)
        application.refresh_from_db()
    complete_application(application)
    Application.objects.filter(pk=application.pk).update(
        state=state, submitted_at=timezone.now() - timedelta(minutes=5)
    )
    application.refresh_from_db()
    return application


@pytest.fixture
def submitted(batch):
    """submitted(**kwargs) → a handed-in application in ``batch`` (越城区 by default)."""

    def make(**kwargs):
        return make_submitted(batch, **kwargs)

    return make


def judge_all(application, actor, outcome=JudgementOutcome.CONFIRMED):
    """Judge every 待评审判断 criterion of ``application``."""
    for result in application_check(application):
        if result.outcome == NEEDS_JUDGEMENT:
            clause_judge(
                application=application, actor=actor, key=result.key, outcome=outcome, note="已核对佐证材料"
            )


def needs_judgement_keys(application) -> list[str]:
    return [result.key for result in application_check(application) if result.outcome == NEEDS_JUDGEMENT]


@pytest.fixture
def unit_member():
    """unit_member(application) → an active applicant account of the application's unit."""

    def make(application):
        return UserFactory(role=Role.APPLICANT, unit=application.unit)

    return make
