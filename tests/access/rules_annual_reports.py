"""Access rules of the annual-report pages (reporting/annual/urls.py, clause 6.3).

The base's own unit files its report; county HRSS reviews its county's reports (the matrix's county
users sit in 越城区, where the factories register units); city HRSS opens the year, receives and
grants late windows; city staff and administrators read and export (a large year's export as a
background job, started by a POST that goes on to the job page). The archive PDF answers 404 to
everyone outside its scope, like every official file.
"""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from applications.models import Batch
from reporting.annual.enums import ReportState
from reporting.annual.models import AnnualReport, AnnualReportingYear
from shaoxing_bases.accounts.enums import Role
from tests.access.matrix import CITY_AND_ADMIN, Rule
from tests.applications.factories import ApplicantUnitFactory, BatchFactory
from tests.reporting.annual.factories import FULL, make_base

APPLICANT = frozenset({Role.APPLICANT})
HRSS = frozenset({Role.COUNTY_HRSS})
CITY_HRSS = frozenset({Role.CITY_HRSS})
VIEWERS = frozenset({Role.APPLICANT, *Role.county_roles(), *CITY_AND_ADMIN})


def _report(state=ReportState.DRAFT, *, archive=False, **fields):
    def kwargs(user, users):
        unit = None
        if user is not None and user.role == Role.APPLICANT:
            # A unit of its own each time: one shared batch holds one application per unit.
            unit = ApplicantUnitFactory()
            user.unit = unit
            user.save(update_fields=["unit"])
        base = make_base(unit=unit, batch=Batch.objects.order_by("pk").first() or BatchFactory())
        report = AnnualReport.objects.create(base=base, year=timezone.localdate().year, **fields)
        if archive:
            report.archive.save("report.pdf", ContentFile(b"%PDF-1.7\n%%EOF\n"), save=True)
        AnnualReport.objects.filter(pk=report.pk).update(state=state)
        return {"pk": report.pk}

    return kwargs


def _section(user, users):
    return {**_report()(user, users), "section": "trainings"}


def _opened_year(user, users) -> dict:
    AnnualReportingYear.objects.get_or_create(year=timezone.localdate().year)
    return {}


def _late_date() -> str:
    return (timezone.localdate() + timedelta(days=20)).isoformat()


RULES: dict[str, Rule] = {
    "annual_reports:my_reports": Rule(APPLICANT),
    "annual_reports:county_queue": Rule(HRSS),
    "annual_reports:city_overview": Rule(CITY_AND_ADMIN),
    "annual_reports:export": Rule(CITY_AND_ADMIN),
    # Starts this year's export in the background (a job, audited) and goes on to the job's page.
    "annual_reports:export_start": Rule(
        CITY_AND_ADMIN,
        method="post",
        ok=302,
        kwargs=_opened_year,
        data={"year": str(timezone.localdate().year)},
        effect="done",
    ),
    # Opens this year's reporting (no base yet: the year is marked opened, and audited).
    "annual_reports:open_year": Rule(
        CITY_HRSS, method="post", ok=302, data={"year": str(timezone.localdate().year)}, effect="done"
    ),
    "annual_reports:detail": Rule(VIEWERS, kwargs=_report(ReportState.SUBMITTED)),
    "annual_reports:edit": Rule(APPLICANT, kwargs=_section),
    "annual_reports:submit": Rule(APPLICANT, method="post", ok=302, kwargs=_report(**FULL), effect="done"),
    "annual_reports:review": Rule(
        HRSS,
        method="post",
        ok=302,
        kwargs=_report(ReportState.SUBMITTED),
        data={"decision": "approve"},
        effect="done",
    ),
    "annual_reports:city_decide": Rule(
        CITY_HRSS,
        method="post",
        ok=302,
        kwargs=_report(ReportState.COUNTY_APPROVED),
        data={"decision": "receive"},
        effect="done",
    ),
    "annual_reports:grant_late": Rule(
        CITY_HRSS, method="post", ok=302, kwargs=_report(), data={"until": _late_date()}, effect="done"
    ),
    "annual_reports:archive": Rule(
        VIEWERS, denied=404, kwargs=_report(ReportState.COUNTY_APPROVED, archive=True)
    ),
}
