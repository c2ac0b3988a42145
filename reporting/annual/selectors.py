"""Read queries of the annual reports, scoped to the user and free of N+1."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from shaoxing_bases.accounts.models import Region
from shaoxing_bases.accounts.rules import is_applicant, is_city_wide, is_county_staff

from .enums import QueueFilter, ReportState
from .models import AnnualReport, AnnualReportingYear


def _with_base(reports: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    return reports.select_related("base", "base__unit", "base__region")


def reports_visible_to(user) -> QuerySet[AnnualReport]:
    """The base's own reports to its unit, a county's to its staff, all to city staff and admins."""
    reports = _with_base(AnnualReport.objects.all())
    if is_city_wide(user):
        return reports
    if is_county_staff(user):
        return reports.filter(base__region_id=user.region_id)
    if is_applicant(user) and user.unit_id:
        return reports.filter(base__unit_id=user.unit_id)
    return reports.none()


def report_for_page(reports: QuerySet[AnnualReport]) -> QuerySet[AnnualReport]:
    """What the report page and the thresholds read (the base's application and its batch)."""
    return reports.select_related("base__application__batch", "county_reviewed_by", "city_received_by")


def years_with_reports() -> list[int]:
    opened = set(AnnualReportingYear.objects.values_list("year", flat=True))
    opened |= set(AnnualReport.objects.values_list("year", flat=True).distinct())
    return sorted(opened, reverse=True)


def year_from_query(raw: str | None, years: list[int]) -> int:
    """``?year=`` when it is a year with reports, else the newest such year, else this year."""
    if raw and raw.isdecimal() and int(raw) in years:
        return int(raw)
    return years[0] if years else timezone.localdate().year


def county_queue(user, *, year: int, status: str = "") -> QuerySet[AnnualReport]:
    """The county's reports of ``year``, filtered by the queue's tabs."""
    reports = reports_visible_to(user).filter(year=year)
    if status == QueueFilter.DUE:
        reports = reports.filter(state__in=ReportState.editable(), overdue_at__isnull=True)
    elif status == QueueFilter.SUBMITTED:
        reports = reports.filter(state=ReportState.SUBMITTED)
    elif status == QueueFilter.OVERDUE:
        reports = reports.filter(overdue_at__isnull=False).exclude(state__in=ReportState.handed_in())
    elif status == QueueFilter.FLAGGED:
        reports = reports.filter(below_threshold=True)
    elif status == QueueFilter.APPROVED:
        reports = reports.filter(state__in=(ReportState.COUNTY_APPROVED, ReportState.CITY_RECEIVED))
    return reports.order_by("state", "base__name", "pk")


@dataclass(frozen=True)
class CountyRow:
    region: Region
    total: int
    draft: int
    submitted: int
    approved: int
    received: int
    overdue: int
    flagged: int


def county_overview(year: int) -> list[CountyRow]:
    """Every county side by side for ``year``: one aggregate query, whatever the number of reports."""
    counts = {
        row["base__region"]: row
        for row in AnnualReport.objects.filter(year=year)
        .values("base__region")
        .annotate(
            total=Count("pk"),
            draft=Count("pk", filter=Q(state__in=ReportState.editable())),
            submitted=Count("pk", filter=Q(state=ReportState.SUBMITTED)),
            approved=Count("pk", filter=Q(state=ReportState.COUNTY_APPROVED)),
            received=Count("pk", filter=Q(state=ReportState.CITY_RECEIVED)),
            overdue=Count("pk", filter=Q(overdue_at__isnull=False) & Q(state__in=ReportState.editable())),
            flagged=Count("pk", filter=Q(below_threshold=True)),
        )
        .order_by()
    }
    rows = []
    for region in Region.objects.order_by("sort_order"):
        found = counts.get(region.pk, {})
        rows.append(
            CountyRow(
                region,
                *(
                    found.get(key, 0)
                    for key in ("total", "draft", "submitted", "approved", "received", "overdue", "flagged")
                ),
            )
        )
    return rows


def awaiting_city(year: int) -> QuerySet[AnnualReport]:
    return _with_base(AnnualReport.objects.filter(year=year, state=ReportState.COUNTY_APPROVED)).order_by(
        "county_reviewed_at", "pk"
    )


def overdue_reports(year: int) -> QuerySet[AnnualReport]:
    return _with_base(
        AnnualReport.objects.filter(year=year, overdue_at__isnull=False, state__in=ReportState.editable())
    ).order_by("base__region__sort_order", "base__name")
