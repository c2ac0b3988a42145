"""Bases made the way the decision makes them: an approved application, then `training_base_create`."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Batch
from reporting.models import TrainingBase
from reporting.services import training_base_create
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import ApplicantUnitFactory, ApplicationFactory, BatchFactory


def make_base(
    *,
    division: str = "330602",
    unit_type: str = "college",
    industry_code: str = "",
    sector: str = "",
    year: int | None = None,
    trainees: int | None = None,
    approved_days_ago: int = 400,
    specialties: tuple[str, ...] = ("数控车工",),
    unit=None,
) -> TrainingBase:
    unit = unit or ApplicantUnitFactory(division=division, unit_type=unit_type)
    approved_at = timezone.now() - timedelta(days=approved_days_ago)
    # One batch per year, as in the portal (and the unique year would refuse a second).
    year = year or timezone.localtime(approved_at).year
    batch = Batch.objects.filter(year=year).first() or BatchFactory(year=year)
    application = ApplicationFactory(unit=unit, batch=batch, state=ApplicationState.APPROVED)
    application.industry_code = industry_code
    application.sector = sector
    application.annual_trainees = trainees
    application.save(update_fields=["industry_code", "sector", "annual_trainees"])
    for name in specialties:
        application.specialties.create(name=name, equipment="实训设备")
    number = TrainingBase.objects.count() + 1
    return training_base_create(
        application=application,
        document_number=f"绍市人社发〔{timezone.localtime(approved_at).year}〕{number}号",
        approved_at=approved_at,
        actor=None,
    )


@pytest.fixture
def base(db):
    return make_base()


@pytest.fixture
def county_finance(make_user):
    return make_user(Role.COUNTY_FINANCE, username="yc_finance")


@pytest.fixture
def county_hrss(make_user):
    return make_user(Role.COUNTY_HRSS, username="yc_hrss")


@pytest.fixture
def other_county_hrss(make_user):
    return make_user(Role.COUNTY_HRSS, county_code="330603", username="kq_hrss")


@pytest.fixture
def other_county_finance(make_user):
    return make_user(Role.COUNTY_FINANCE, county_code="330603", username="kq_finance")


@pytest.fixture
def city_hrss(make_user):
    return make_user(Role.CITY_HRSS, username="sx_hrss")


@pytest.fixture
def city_finance(make_user):
    return make_user(Role.CITY_FINANCE, username="sx_finance")


@pytest.fixture
def unit_member(base, make_user):
    return make_user(Role.APPLICANT, unit=base.unit, username="base_unit")
