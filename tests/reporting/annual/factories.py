"""Bases and reports for the annual-report tests, made through the services where they exist."""

from django.utils import timezone

from applications.enums import ApplicationState
from reporting.annual.models import AnnualReport
from reporting.services import training_base_create
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import ApplicantUnitFactory, ApplicationFactory
from tests.factories import UserFactory

FULL = {
    "trainees_total": 1600,
    "trainees_senior_worker": 300,
    "trainees_technician": 80,
    "trainees_senior_technician": 20,
    "evaluations": 1500,
    "work_summary": "全年开展技能提升培训。",
    "plan_summary": "明年扩大技师研修规模。",
}


def make_base(*, division: str = "330602", unit=None, approved_at=None, batch=None):
    """A base recognised from an approved application (of a new batch unless ``batch`` is given:
    the batch factory's years wrap after 75 batches)."""
    unit = unit or ApplicantUnitFactory(division=division)
    extra = {"batch": batch} if batch is not None else {}
    application = ApplicationFactory(unit=unit, state=ApplicationState.APPROVED, **extra)
    return training_base_create(
        application=application,
        document_number="绍市人社发〔2025〕3号",
        approved_at=approved_at or timezone.now() - timezone.timedelta(days=400),
        actor=None,
    )


def base_member(base):
    return UserFactory(role=Role.APPLICANT, unit=base.unit)


def make_report(base=None, *, year: int | None = None, state: str | None = None, **fields) -> AnnualReport:
    """A report row for set-up (the opening service is tested on its own); ``state`` forced."""
    base = base or make_base()
    report = AnnualReport.objects.create(base=base, year=year or timezone.localdate().year, **fields)
    if state:
        AnnualReport.objects.filter(pk=report.pk).update(state=state)
        report.refresh_from_db()
    return report
