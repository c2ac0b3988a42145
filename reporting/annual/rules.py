"""Who may file, review and receive the annual reports (clause 6.3).

The base's own unit fills and submits its report; county HRSS reviews its county's reports
(属地人力社保部门审核); city HRSS opens the reporting year, grants late windows and receives (备案);
city staff and administrators read everything and export it. See `shaoxing_bases/permissions.py`.
"""

import rules

from shaoxing_bases.accounts.rules import (
    is_applicant,
    is_city_hrss,
    is_city_wide,
    is_county_hrss,
    is_county_staff,
    same_region,
)
from shaoxing_bases.permissions import add_perm, scoped


@rules.predicate
def is_member_of_report_unit(user, report) -> bool:
    return bool(report is not None and user.is_authenticated and user.unit_id == report.base.unit_id)


def _report_region(report) -> int:
    return report.base.region_id


own_report = scoped(is_member_of_report_unit)
in_county_of_report = scoped(same_region(_report_region))

add_perm("reporting.view_own_annual_reports", is_applicant)
add_perm("reporting.edit_annual_report", is_applicant & own_report, scoped=True)
add_perm("reporting.submit_annual_report", is_applicant & own_report, scoped=True)
add_perm(
    "reporting.view_annual_report",
    (is_applicant & own_report) | (is_county_staff & in_county_of_report) | is_city_wide,
    scoped=True,
)
add_perm("reporting.review_annual_report", is_county_hrss & in_county_of_report, scoped=True)
add_perm("reporting.receive_annual_report", is_city_hrss, scoped=True)
add_perm("reporting.grant_annual_late_window", is_city_hrss, scoped=True)
add_perm("reporting.open_annual_reporting", is_city_hrss)
add_perm("reporting.view_annual_overview", is_city_wide)
add_perm("reporting.export_annual_reports", is_city_wide)
