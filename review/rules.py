"""Who may screen, assemble, co-sign and read the county recommendation (django-rules).

Scope rule: county staff act on their own county only; city staff and administrators read every
county. Views answer 404 for objects outside the scope (they query through `review.selectors`).
"""

import rules

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.rules import is_admin, is_city_staff, is_county_finance, is_county_hrss


def _same_region(user, obj) -> bool:
    return bool(obj is not None and user.is_authenticated and user.region_id == obj.region_id)


@rules.predicate
def is_county_hrss_of(user, recommendation) -> bool:
    """County HRSS of the recommendation's county (assembles and reports the list)."""
    return bool(
        user.is_authenticated and user.role == Role.COUNTY_HRSS and _same_region(user, recommendation)
    )


@rules.predicate
def is_county_finance_of(user, recommendation) -> bool:
    """County finance of the recommendation's county (co-signs, 会签)."""
    return bool(
        user.is_authenticated and user.role == Role.COUNTY_FINANCE and _same_region(user, recommendation)
    )


@rules.predicate
def is_county_staff_of(user, recommendation) -> bool:
    return bool(
        user.is_authenticated and user.role in Role.county_roles() and _same_region(user, recommendation)
    )


@rules.predicate
def is_screener_of_application(user, application) -> bool:
    """County HRSS of the applicant unit's county: the one who screens it (初审)."""
    return bool(
        application is not None
        and user.is_authenticated
        and user.role == Role.COUNTY_HRSS
        and user.region_id == application.unit.region_id
    )


rules.add_perm("review.view_queue", is_county_hrss)
rules.add_perm("review.screen_application", is_screener_of_application)
rules.add_perm("review.view_recommendation", is_county_staff_of | is_city_staff | is_admin)
rules.add_perm("review.edit_recommendation", is_county_hrss_of)
rules.add_perm("review.cosign_recommendation", is_county_finance_of)
rules.add_perm("review.view_city_overview", is_city_staff | is_admin)
rules.add_perm("review.work_on_recommendation", is_county_hrss | is_county_finance)
