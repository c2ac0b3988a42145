"""Provincial scale of the training bases for `manage.py seed_scale` (bulk rows, after the review's
steps): at factor 1.0, 3,000 training bases with five years of funding records and of annual reports.

A base stands on each approved scale application, as the decision (发文) leaves it: those of the
concluded demo batch and of the earlier concluded batch `applications/scale.py` adds for them (four
years ago, the Measures' first year when seeded in 2026), with the decision's number when the
scale's decision lists it (`review/decisions/scale.py`). Every base has its "建立实训基地" audit
entry, as `reporting.services.training_base_create` writes it, appended through
`audit.services.audit_record_many` (chained and keyed like every other entry).

Funding records: one a year per base, from its approval year, recorded by its county's finance
bureau. Annual reports: from the approval year to this year (five years for the earlier batch's
bases), figures as the demo's; earlier years are received by the city (a few never filed: marked
overdue by the 1 January timer); this year's are in every state of the workflow.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationState, UnitType
from applications.models import Application
from applications.scale import _bulk
from shaoxing_bases.accounts.demo import COUNTY_SLUGS
from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_record_many
from shaoxing_bases.core.scale import register_scale

from .annual.checks import report_thresholds, threshold_notes
from .annual.demo import _figures
from .annual.enums import ReportState
from .annual.models import AnnualReport, AnnualReportingYear
from .enums import FundingPurpose
from .models import FundingRecord, TrainingBase

BASES_AT_FULL_SCALE = 3_000
#: Years of funding and of annual reports: this year and the four before it.
YEARS = 5
CHUNK = 5_000
#: This year's reports, round-robin: every state of the workflow, most not yet received.
CURRENT_STATES = (
    ReportState.DRAFT,
    ReportState.DRAFT,
    ReportState.SUBMITTED,
    ReportState.SUBMITTED,
    ReportState.RETURNED,
    ReportState.COUNTY_APPROVED,
    ReportState.COUNTY_APPROVED,
    ReportState.CITY_RECEIVED,
)
#: One earlier report in this many was never filed (overdue); the rest the city received.
NEVER_FILED_EVERY = 25
PURPOSES = tuple(FundingPurpose.values)


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A Shanghai moment, in UTC as the database gives it back (the audit hash covers its text)."""
    return timezone.make_aware(datetime(year, month, day, hour)).astimezone(UTC)


def _document_number(application: Application, year: int, number: int) -> str:
    """The number of the decision that lists the application, else one of the scale's own (a
    decision's numbers are per year; the scale's sit above any real one, 1000 and on)."""
    item = getattr(application, "decision_item", None)
    if item is not None and item.decision.document_number:
        return item.decision.document_number
    return f"绍市人社发〔{year}〕{1000 + number}号"


def _approved_at(application: Application, year: int) -> datetime:
    """When the decision that lists the application was issued, else the end of June."""
    item = getattr(application, "decision_item", None)
    if item is not None and item.decision.issued_at is not None:
        return item.decision.issued_at
    return _at(year, 6, 30, 15)


def _create_bases(applications: list[Application]) -> list[TrainingBase]:
    """A base for each approved application, numbered per year as the decisions number them."""
    numbers: dict[int, int] = {}
    bases = []
    for application in applications:
        year = application.batch.year
        numbers[year] = numbers.get(year, 0) + 1
        unit = application.unit
        specialties = (
            ""
            if unit.unit_type == UnitType.ENTERPRISE
            else "、".join(specialty.name for specialty in application.specialties.all())
        )
        bases.append(
            TrainingBase(
                application=application,
                unit=unit,
                batch=application.batch,
                region_id=unit.region_id,
                name=f"{unit.name}市级高技能人才公共实训基地",
                specialties=specialties,
                document_number=_document_number(application, year, numbers[year]),
                approved_at=_approved_at(application, year),
            )
        )
    bases = _bulk(TrainingBase, bases)
    audit_record_many(
        {
            "action": AuditAction.STATE_CHANGE,
            "outcome": AuditOutcome.SUCCESS,
            "actor": None,
            "created_at": base.approved_at,
            "object_repr": base.name,
            "summary": "建立实训基地",
            "detail": {
                "model": "reporting.TrainingBase",
                "pk": base.pk,
                "document_number": base.document_number,
                "scale": True,
            },
        }
        for base in bases
    )
    return bases


def _county_users(suffix: str) -> dict[int | None, User]:
    usernames = [f"{slug}_{suffix}" for slug in COUNTY_SLUGS.values()]
    return {user.region_id: user for user in User.objects.filter(username__in=usernames)}


def _funding(bases: list[TrainingBase], this_year: int) -> int:
    finance = _county_users("finance")
    fallback = User.objects.filter(username="city_finance").first() or User.objects.order_by("pk").first()
    records = []
    for base in bases:
        recorder = finance.get(base.region_id) or fallback
        for year in range(max(base.batch.year, this_year - YEARS + 1), this_year + 1):
            seed = (base.pk * 31 + year) % 50
            records.append(
                FundingRecord(
                    base=base,
                    year=year,
                    amount=Decimal(200_000 + seed * 10_000),
                    purpose=PURPOSES[(base.pk + year) % len(PURPOSES)],
                    document_reference=f"绍财社〔{year}〕{100 + base.pk % 900}号",
                    note=f"{year}年度实训基地建设经费",
                    recorded_by=recorder,
                )
            )
    return len(_bulk(FundingRecord, records, chunk=CHUNK))


def _report(
    base: TrainingBase, year: int, state: str, reviewer: User | None, city: User | None
) -> AnnualReport:
    report = AnnualReport(base=base, year=year, state=state)
    for values in _figures(base, year).values():
        for field, value in values.items():
            setattr(report, field, Decimal(str(value)) if field.startswith("funds_") else value)
    day = base.pk % 10
    if state == ReportState.DRAFT and year < timezone.localdate().year:
        report.overdue_at = _at(year + 1, 1, 1, 0)  # what the 1 January timer marks
    if state in ReportState.handed_in() or state == ReportState.RETURNED:
        report.submitted_at = _at(year, 12, 5 + day)
        report.threshold_notes = threshold_notes(report_thresholds(report))
        report.below_threshold = bool(report.threshold_notes)
    if state == ReportState.RETURNED:
        report.county_comment = "培训人数与台账不一致，请核实后重新提交。"
    if state in (ReportState.COUNTY_APPROVED, ReportState.CITY_RECEIVED):
        report.county_comment = "经审核，年度报告内容属实，同意报送。"
        report.county_reviewed_by = reviewer
        report.county_reviewed_at = _at(year, 12, 16 + day)
    if state == ReportState.CITY_RECEIVED:
        report.city_received_by = city
        report.city_received_at = _at(year, 12, 27 + day % 4)
    return report


def _reports(bases: list[TrainingBase], this_year: int) -> int:
    hrss = _county_users("hrss")
    city = User.objects.filter(username="city_hrss").first()
    first_year = this_year - YEARS + 1
    for year in range(first_year, this_year + 1):
        AnnualReportingYear.objects.get_or_create(year=year, defaults={"opened_at": _at(year, 12, 1, 0)})
    now = timezone.now()
    reports = []
    for index, base in enumerate(bases):
        for year in range(max(base.batch.year, first_year), this_year + 1):
            if year == this_year:
                state = CURRENT_STATES[index % len(CURRENT_STATES)]
            elif (base.pk + year) % NEVER_FILED_EVERY == 0:
                state = ReportState.DRAFT
            else:
                state = ReportState.CITY_RECEIVED
            report = _report(base, year, state, hrss.get(base.region_id), city)
            for moment in ("submitted_at", "county_reviewed_at", "city_received_at"):
                if (value := getattr(report, moment)) is not None and value > now:
                    # This year's December is still ahead: the steps happened in the last days.
                    setattr(report, moment, now - timedelta(days=3, hours=index % 48))
            reports.append(report)
    return len(_bulk(AnnualReport, reports, chunk=CHUNK))


@register_scale("bases", order=60)
def seed_scale_bases(factor: float) -> list[str]:
    """A base on each approved scale application (up to ``3,000 × factor``), funding and reports."""
    scale_bases = TrainingBase.objects.filter(unit__members__username__startswith="scale")
    if scale_bases.exists():
        return [f"实训基地：已有 {scale_bases.count()} 个规模基地"]
    this_year = timezone.localdate().year
    with transaction.atomic():
        approved = list(
            Application.objects.filter(
                state=ApplicationState.APPROVED,
                unit__members__username__startswith="scale",
                training_base__isnull=True,
            )
            .select_related("unit", "batch", "decision_item__decision")
            .prefetch_related("specialties")
            .order_by("batch__year", "pk")[: max(1, int(BASES_AT_FULL_SCALE * factor))]
        )
        if not approved:
            return ["实训基地：没有已认定的规模申报（请先运行 applications 步骤）"]
        bases = _create_bases(approved)
        funding = _funding(bases, this_year)
        reports = _reports(bases, this_year)
    years = sorted({application.batch.year for application in approved})
    return [
        f"实训基地：{len(bases)} 个（认定于 {'、'.join(map(str, years))} 年度）",
        f"经费支持记录：{funding} 条（{this_year - YEARS + 1}—{this_year} 年度）",
        f"年度报告：{reports} 份（{this_year}年度各状态均有）",
    ]
