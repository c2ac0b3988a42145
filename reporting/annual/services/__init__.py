"""The annual reports' use cases: each checks its permission, locks, writes and audits in one
transaction (docs/architecture.md)."""

from ._common import deadline, last_day, opens_at, submission_refusal
from .archive import annual_report_archive_render, annual_report_archives_sweep
from .timers import annual_reporting_open, annual_reports_sweep
from .workflow import (
    annual_report_city_decide,
    annual_report_grant_late_window,
    annual_report_review,
    annual_report_section_update,
    annual_report_submit,
)

__all__ = [
    "annual_report_archive_render",
    "annual_report_archives_sweep",
    "annual_report_city_decide",
    "annual_report_grant_late_window",
    "annual_report_review",
    "annual_report_section_update",
    "annual_report_submit",
    "annual_reporting_open",
    "annual_reports_sweep",
    "deadline",
    "last_day",
    "opens_at",
    "submission_refusal",
]
