"""Provincial scale of the training bases for `manage.py seed_scale` (bulk rows, after the review's
steps): at factor 1.0, 3,000 training bases with five years of funding records and of annual reports.

A base stands on an approved application, as the decision (发文) leaves it. The demo's batches hold
at most 2,100 scale applications each and only the concluded one has approved applications, so the
bases come from those approved scale applications and, for the rest, from an earlier concluded
batch of the scale data (the year four years ago, the Measures' first year when seeded in 2026):
its applications are bulk-created in the approved state, with every section of the form filled as
`applications/scale.py` fills them, and their "提交申报" audit entries. Every base has its
"建立实训基地" entry, as `reporting.services.training_base_create` writes it; entries are appended
through `audit.services.audit_record_many` (chained and keyed like every other entry).

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

from applications.enums import ApplicationState, BatchState, UnitType
from applications.models import Application, Batch
from applications.policy import CURRENT_POLICY_CODE
from applications.scale import _bulk, _filled, _seed_sections
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


def _base_batch(year: int, quota: int) -> Batch:
    """The earlier concluded batch the scale's bases come from (created once)."""
    batch = Batch.objects.filter(year=year).first()
    if batch is not None:
        return batch
    opens = _at(year, 3, 1, 9)
    return Batch.objects.create(
        year=year,
        title=f"{year}年度绍兴市市级高技能人才公共实训基地申报",
        policy_code=CURRENT_POLICY_CODE,
        opens_at=opens,
        submission_deadline=opens + timedelta(days=40),
        screening_deadline=opens + timedelta(days=60),
        scoring_deadline=opens + timedelta(days=80),
        quota=min(quota, 32_000),
        pass_mark=Decimal("70.00"),
        # A bulk row for the benchmark: the batch is concluded, no transition runs (the demo runs them).
        state=BatchState.CONCLUDED,
    )


def _approve_more(batch: Batch, count: int) -> list[Application]:
    """``count`` approved applications in ``batch`` from scale units without one there."""
    taken = set(Application.objects.filter(batch=batch).values_list("unit_id", flat=True))
    users = [
        user
        for user in User.objects.filter(username__startswith="scale", unit__isnull=False)
        .select_related("unit")
        .order_by("username")
        if user.unit_id not in taken
    ][:count]
    applications = []
    for index, user in enumerate(users):
        application = _filled(
            Application(batch=batch, unit=user.unit, created_by=user, state=ApplicationState.APPROVED)
        )
        application.submitted_at = application.first_submitted_at = batch.opens_at + timedelta(
            minutes=index % (60 * 24 * 30)
        )
        applications.append(application)
    applications = _bulk(Application, applications, chunk=2_000)
    by_unit = {user.unit_id: user for user in users}
    for start in range(0, len(applications), 1_000):
        _seed_sections(applications[start : start + 1_000], by_unit)
    audit_record_many(
        {
            "action": AuditAction.STATE_CHANGE,
            "outcome": AuditOutcome.SUCCESS,
            "actor": by_unit[application.unit_id],
            "created_at": application.submitted_at,
            "object_repr": f"{application.unit}（{batch.year}年度）",
            "summary": "提交申报",
            "detail": {"model": "applications.Application", "pk": application.pk, "scale": True},
        }
        for application in applications
    )
    return applications


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
                # A decision's number is per year; the scale's sit above any real one (1000 and on).
                document_number=f"绍市人社发〔{year}〕{1000 + numbers[year]}号",
                approved_at=_at(year, 6, 30, 15),
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
    """Bases on the approved scale applications (up to ``3,000 × factor``), funding and reports."""
    if TrainingBase.objects.filter(unit__members__username__startswith="scale").exists():
        have = TrainingBase.objects.filter(unit__members__username__startswith="scale").count()
        return [f"实训基地：已有 {have} 个规模基地"]
    this_year = timezone.localdate().year
    target = max(1, int(BASES_AT_FULL_SCALE * factor))
    with transaction.atomic():
        approved = list(
            Application.objects.filter(
                state=ApplicationState.APPROVED,
                unit__members__username__startswith="scale",
                training_base__isnull=True,
            )
            .select_related("unit", "batch")
            .order_by("batch__year", "pk")[:target]
        )
        if len(approved) < target:
            batch = _base_batch(this_year - YEARS + 1, target - len(approved))
            approved += _approve_more(batch, target - len(approved))
        approved = list(
            Application.objects.filter(pk__in=[a.pk for a in approved])
            .select_related("unit", "batch")
            .prefetch_related("specialties")
            .order_by("batch__year", "pk")
        )
        bases = _create_bases(approved)
        funding = _funding(bases, this_year)
        reports = _reports(bases, this_year)
    years = sorted({application.batch.year for application in approved})
    return [
        f"实训基地：{len(bases)} 个（认定于 {'、'.join(map(str, years))} 年度）",
        f"经费支持记录：{funding} 条（{this_year - YEARS + 1}—{this_year} 年度）",
        f"年度报告：{reports} 份（{this_year}年度各状态均有）",
    ]
