"""Dashboard panels of the annual reports: the base (its reports to file), county HRSS (due,
submitted, overdue, flagged) and the city (every county side by side)."""

from django.db.models import Count, Q

from shaoxing_bases.core.dashboard import Panel, register_panel

from . import rules  # noqa: F401  (registers the permissions the panels name)
from .enums import ReportState
from .selectors import county_overview, reports_visible_to, year_from_query, years_with_reports
from .services import last_day

PANEL_ROWS = 5


def _base(user) -> dict | None:
    reports = list(
        reports_visible_to(user).filter(state__in=ReportState.editable()).order_by("-year", "pk")[:PANEL_ROWS]
    )
    if not reports:
        return None
    return {"reports": [(report, last_day(report.year)) for report in reports]}


def _county(user) -> dict | None:
    years = years_with_reports()
    if not years:
        return None
    year = year_from_query(None, years)
    counts = (
        reports_visible_to(user)
        .filter(year=year)
        .aggregate(
            total=Count("pk"),
            due=Count("pk", filter=Q(state__in=ReportState.editable(), overdue_at__isnull=True)),
            submitted=Count("pk", filter=Q(state=ReportState.SUBMITTED)),
            overdue=Count("pk", filter=Q(state__in=ReportState.editable(), overdue_at__isnull=False)),
            flagged=Count("pk", filter=Q(below_threshold=True)),
        )
    )
    overdue = list(
        reports_visible_to(user)
        .filter(state__in=ReportState.editable(), overdue_at__isnull=False)
        .order_by("-year", "base__name")[:PANEL_ROWS]
    )
    return {"year": year, "deadline": last_day(year), "overdue_reports": overdue, **counts}


def _city(user) -> dict | None:
    years = years_with_reports()
    if not years:
        return None
    year = year_from_query(None, years)
    rows = county_overview(year)
    return {
        "year": year,
        "deadline": last_day(year),
        "rows": rows,
        "received": sum(row.received for row in rows),
        "awaiting": sum(row.approved for row in rows),
        "overdue": sum(row.overdue for row in rows),
        "total": sum(row.total for row in rows),
    }


register_panel(
    Panel(
        "annual_reports_base",
        "年度报告",
        "reporting.view_own_annual_reports",
        "reporting/annual/panels/base.html",
        _base,
        order=30,
    )
)
register_panel(
    Panel(
        "annual_reports_county",
        "实训基地年度报告",
        "reporting.review_annual_report",
        "reporting/annual/panels/county.html",
        _county,
        order=30,
    )
)
register_panel(
    Panel(
        "annual_reports_city",
        "各区县年度报告",
        "reporting.view_annual_overview",
        "reporting/annual/panels/city.html",
        _city,
        order=30,
    )
)
