"""Who may screen, assemble and co-sign the county recommendation (django-rules predicates).

The FSM transitions (``permission=``) and the services ask these. Scope rule: county staff act on
their own county only; city staff and administrators read every county. Views answer 404 for
objects outside the scope (they query through `review.selectors`) and check the role with
``role_required``; no ``review.*`` permission is registered, because nothing asks for one.
"""

import rules

from shaoxing_bases.accounts.enums import Role


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
def is_screener_of_application(user, application) -> bool:
    """County HRSS of the applicant unit's county: the one who screens it (初审)."""
    return bool(
        application is not None
        and user.is_authenticated
        and user.role == Role.COUNTY_HRSS
        and user.region_id == application.unit.region_id
    )
