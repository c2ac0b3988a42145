"""The reporting calendar (settings, in Asia/Shanghai) and the locks shared by the services."""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shaoxing_bases.core.exceptions import AlreadyHandled

from ..enums import ReportState
from ..models import AnnualReport


def _at(year: int, month_day: tuple[int, int]) -> datetime:
    month, day = month_day
    return timezone.make_aware(datetime(year, month, day))  # midnight, Asia/Shanghai


def opens_at(year: int) -> datetime:
    """When the 1 December timer opens the reporting of ``year``."""
    return _at(year, settings.ANNUAL_REPORT_OPENS)


def reminders_at(year: int) -> list[datetime]:
    return [_at(year, month_day) for month_day in settings.ANNUAL_REPORT_REMINDERS]


def deadline(year: int) -> datetime:
    """The end of the window (exclusive): 1 January of the next year, 00:00 Asia/Shanghai."""
    return _at(year + 1, settings.ANNUAL_REPORT_OVERDUE)


def last_day(year: int) -> date:
    """The last day reports of ``year`` are accepted, as people read it (31 December)."""
    return timezone.localtime(deadline(year) - timedelta(seconds=1)).date()


def local(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def submission_refusal(report: AnnualReport, now: datetime | None = None) -> str:
    """Why the base may not submit ``report`` now ("" when it may).

    The clock in the request decides (never whether a sweep has run): inside the year's window, or
    inside the late window the city granted. A report the county returned may always be handed in
    again: the county asked for it.
    """
    now = now or timezone.now()
    if report.state != ReportState.DRAFT:
        return ""  # a returned report goes back in whenever it is fixed; the rest the FSM decides
    if now < deadline(report.year):
        return ""
    if report.late_until is not None and now < report.late_until:
        return ""
    if report.late_until is not None:
        return (
            f"市人力社保局准予的补报期限已于 {local(report.late_until)} 截止，不能再提交。"
            "请联系市人力社保局。"
        )
    return (
        f"{report.year}年度报告的填报期限已于 {last_day(report.year):%Y年%-m月%-d日} 截止，"
        "不能再提交。如确需补报，请联系市人力社保局开通补报期限。"
    )


def lock_report(report: AnnualReport) -> AnnualReport:
    found = (
        AnnualReport.objects.select_for_update(of=("self",))
        .select_related("base", "base__unit", "base__region")
        .filter(pk=report.pk)
        .first()
    )
    if found is None:
        raise AlreadyHandled("该年度报告已不存在。")
    return found


def report_url(report: AnnualReport) -> str:
    return reverse("annual_reports:detail", args=[report.pk])
