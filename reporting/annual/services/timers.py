"""Opening a reporting year and the December timers (minute sweep, DESIGN §8).

* ``opens`` (1 December): every active or rectifying base gets its report of the year (a draft)
  and a notice — ``annual_reporting_open``, which city HRSS may also call by hand, earlier; until
  the window ends, a base recognised later gets its report on the next sweep.
* ``reminders`` (15 and 25 December): bases whose report is still a draft are reminded.
* ``overdue`` (1 January): drafts without a running late window are marked overdue; the base, its
  county HRSS and the city HRSS are told (inbox + e-mail). A returned report is not overdue: it was
  handed in on time and goes back in whenever the base has fixed it.

Each effect leaves a stored marker in the transaction that performs it — the ``AnnualReportingYear``
row, one ``AnnualReportNotice`` per report and kind, ``overdue_at`` — and rows are taken with
``select_for_update(skip_locked=True)``, so a second sweep, or two at once, acts on nothing twice.
"""

import logging
from collections import defaultdict
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import city_hrss_staff, county_hrss_of, unit_members_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from ...enums import BaseState
from ...models import TrainingBase
from ..enums import NoticeKind, ReportState
from ..models import AnnualReport, AnnualReportingYear, AnnualReportNotice
from ._common import deadline, last_day, opens_at, reminders_at, report_url

logger = logging.getLogger(__name__)

#: Reports one sweep handles per step; the rest wait for the next minute.
SWEEP_BATCH = 500
REPORTING_STATES = (BaseState.ACTIVE, BaseState.RECTIFYING)
MIN_YEAR, MAX_YEAR = 2022, 2100


def _bases_without_report(year: int) -> QuerySet[TrainingBase]:
    """Bases that report for ``year`` (recognised before its window ends) and have no report yet."""
    return TrainingBase.objects.filter(state__in=REPORTING_STATES, approved_at__lt=deadline(year)).exclude(
        Exists(AnnualReport.objects.filter(base=OuterRef("pk"), year=year))
    )


def _notice(report: AnnualReport, kind: str) -> bool:
    """Store the marker of one message about ``report``; False when it was sent already."""
    try:
        with transaction.atomic():
            AnnualReportNotice.objects.create(report=report, kind=kind)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def annual_reporting_open(*, year: int, actor: User | None) -> int:
    """Open the reporting of ``year``: a draft report and a notice for every active or rectifying
    base that has none yet. Returns how many reports it opened.

    Called by the 1 December timer (``actor`` None) and by city HRSS by hand (earlier, or again to
    include a base recognised since). Side effects: the year's marker row, the drafts, one notice per
    base (inbox + e-mail), an audit entry.
    """
    if actor is not None:
        require_perm(actor, "reporting.open_annual_reporting")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": f"年度应在 {MIN_YEAR}—{MAX_YEAR} 之间。"})
    now = timezone.now()
    if actor is not None and year > timezone.localdate().year:
        raise ValidationError({"year": f"{year}年度尚未开始，只能开启本年度的报告填报。"})
    if actor is not None and now >= deadline(year):
        raise ValidationError(
            {"year": f"{year}年度的填报期限已过，不能再开启；个别基地补报请使用“准予补报”。"}
        )
    marker, _created = AnnualReportingYear.objects.select_for_update().get_or_create(
        year=year, defaults={"opened_by": actor}
    )
    bases = list(
        _bases_without_report(year).select_for_update(skip_locked=True, of=("self",)).select_related("unit")
    )
    if not bases:
        if actor is not None and not _created:
            raise AlreadyHandled(f"{year}年度报告填报已开启，所有实训基地均已有报告。")
        if _created:
            audit_event(actor=actor, summary=f"开启{year}年度报告填报", obj=marker, detail={"reports": 0})
        return 0
    reports = AnnualReport.objects.bulk_create(AnnualReport(base=base, year=year) for base in bases)
    AnnualReportNotice.objects.bulk_create(
        AnnualReportNotice(report=report, kind=NoticeKind.OPENED) for report in reports
    )
    audit_event(actor=actor, summary=f"开启{year}年度报告填报", obj=marker, detail={"reports": len(reports)})
    members: dict[int, list[User]] = defaultdict(list)
    for member in unit_members_of([base.unit_id for base in bases]):
        if member.unit_id is not None:
            members[member.unit_id].append(member)
    for report in reports:
        notify(
            recipients=members.get(report.base.unit_id, []),
            title=f"请填报{year}年度实训基地工作报告",
            body=(
                f"按《实施办法》六（三），实训基地每年12月报送当年工作开展情况及第二年工作计划。"
                f"请于 {last_day(year):%Y年%-m月%-d日} 前在线填报并提交属地人力社保部门审核。"
            ),
            url=report_url(report),
        )
    return len(reports)


def _reporting_year(now: datetime) -> int:
    """The year whose December ``now`` belongs to (or that it most recently followed)."""
    year = timezone.localtime(now).year
    return year if now >= opens_at(year) else year - 1


def _open_due(now: datetime) -> int:
    """From 1 December to the end of the window: open the year once, and afterwards give a base
    recognised meanwhile (or skipped because a decision held its row) its report on the next sweep."""
    year = _reporting_year(now)
    if not opens_at(year) <= now < deadline(year):
        return 0
    if AnnualReportingYear.objects.filter(year=year).exists() and not _bases_without_report(year).exists():
        return 0
    try:
        return annual_reporting_open(year=year, actor=None)
    except IntegrityError:  # a concurrent sweep created the year's row first: it opens, we do not
        return 0


def _reminders_due(now: datetime) -> int:
    year = _reporting_year(now)
    if now >= deadline(year):
        return 0
    passed = [moment for moment in reminders_at(year) if moment <= now]
    if not passed:
        return 0
    # A sweep that ran late sends the latest reminder only, never two at once.
    kind = (NoticeKind.REMINDER_1, NoticeKind.REMINDER_2)[min(len(passed), 2) - 1]
    sent = AnnualReportNotice.objects.filter(report=OuterRef("pk"), kind=kind)
    with transaction.atomic():
        due = list(
            AnnualReport.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(year=year, state=ReportState.DRAFT)
            .exclude(Exists(sent))
            .select_related("base")
            .order_by("pk")[:SWEEP_BATCH]
        )
        for report in due:
            _notice(report, kind)
            notify(
                recipients=unit_members_of(report.base.unit_id),
                title=f"{year}年度实训基地工作报告尚未提交",
                body=f"填报截止：{last_day(year):%Y年%-m月%-d日}。逾期未报将通报属地人力社保部门和市人力社保局。",
                url=report_url(report),
            )
        if due:
            audit_event(
                actor=None,
                summary=f"发送{year}年度报告催报提醒",
                detail={"kind": kind, "reports": len(due)},
            )
    return len(due)


def _overdue_due(now: datetime) -> int:
    """Mark the drafts whose window (and late window) has passed, and escalate them."""
    year_ended = _reporting_year(now) if now >= deadline(_reporting_year(now)) else _reporting_year(now) - 1
    with transaction.atomic():
        due = list(
            AnnualReport.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(year__lte=year_ended, state=ReportState.DRAFT, overdue_at__isnull=True)
            .filter(Q(late_until__isnull=True) | Q(late_until__lte=now))
            .select_related("base", "base__region")
            .order_by("pk")[:SWEEP_BATCH]
        )
        if not due:
            return 0
        by_county: dict[int, list[AnnualReport]] = defaultdict(list)
        for report in due:
            report.overdue_at = now
            by_county[report.base.region_id].append(report)
            _notice(report, NoticeKind.OVERDUE)
            notify(
                recipients=unit_members_of(report.base.unit_id),
                title=f"{report.year}年度实训基地工作报告已逾期",
                body="填报期限已过，报告未提交，已通报属地人力社保部门和市人力社保局。如需补报，请联系市人力社保局。",
                url=report_url(report),
            )
        AnnualReport.objects.bulk_update(due, ["overdue_at"])
        for region_id, reports in by_county.items():
            names = "、".join(f"{report.base.name}（{report.year}年度）" for report in reports)
            notify(
                recipients=county_hrss_of(region_id),
                title=f"本区县有 {len(reports)} 个实训基地年度报告逾期未报",
                body=f"逾期未报：{names}。",
                url=reverse("annual_reports:county_queue") + "?status=overdue",
            )
        counties = "；".join(
            f"{reports[0].base.region.name} {len(reports)} 个" for reports in by_county.values()
        )
        notify(
            recipients=city_hrss_staff(),
            title=f"{len(due)} 个实训基地年度报告逾期未报",
            body=f"逾期情况：{counties}。",
            url=reverse("annual_reports:city_overview") + f"?year={due[0].year}",
        )
        audit_event(actor=None, summary="年度报告逾期", detail={"reports": [report.pk for report in due]})
    return len(due)


def annual_reports_sweep(now: datetime | None = None) -> int:
    """The December timers, each acting once (see the module docstring). Returns rows moved."""
    now = now or timezone.now()
    return _open_due(now) + _reminders_due(now) + _overdue_due(now)
