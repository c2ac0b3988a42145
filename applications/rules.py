"""Who may do what with units, batches and applications (django-rules, see shaoxing_bases/permissions.py).

Scope rule of the portal: an applicant acts on its own unit; county staff see their county's units
and the applications handed in there; city staff and administrators see the whole city. Which rows a
list shows is the selectors' job (``applications_visible_to``); these permissions say who may act,
and on which object.
"""

import rules

from shaoxing_bases.accounts.rules import (
    is_admin,
    is_applicant,
    is_city_hrss,
    is_city_wide,
    is_county_staff,
    same_region,
)
from shaoxing_bases.permissions import add_perm, scoped

from .enums import ApplicationState


@rules.predicate
def is_member_of_unit(user, unit) -> bool:
    return bool(unit is not None and user.is_authenticated and user.unit_id == unit.pk)


@rules.predicate
def is_member_of_applicant(user, application) -> bool:
    """A member of the unit that filed the application."""
    return bool(application is not None and user.is_authenticated and user.unit_id == application.unit_id)


def _unit_region(unit) -> int:
    return unit.region_id


def _application_region(application) -> int:
    return application.unit.region_id


is_county_staff_of_unit = is_county_staff & same_region(_unit_region)
is_county_staff_of_application = is_county_staff & same_region(_application_region)

# --- units ---------------------------------------------------------------------------------------
add_perm("applications.list_units", is_county_staff | is_city_wide)
add_perm(
    "applications.view_unit",
    (is_applicant & scoped(is_member_of_unit))
    | (is_county_staff & scoped(same_region(_unit_region)))
    | is_city_wide,
    scoped=True,
)
add_perm("applications.manage_unit", is_applicant & scoped(is_member_of_unit), scoped=True)


@rules.predicate
def has_handed_in(user, unit) -> bool:
    """The unit has handed in an application (drafts stay private). Lists annotate
    ``application_count`` (units_for_list), so asking per row costs no query there."""
    count = getattr(unit, "application_count", None)
    if count is not None:
        return count > 0
    return unit.applications.filter(state__in=ApplicationState.visible_to_county()).exists()


# PIPL (least data): the unit's people — legal representative, contact, phone, e-mail, accounts —
# are shown to its county only once the unit has applied there; until then the county sees that
# the organisation is registered, nothing about who runs it.
add_perm(
    "applications.view_unit_contacts",
    (is_applicant & scoped(is_member_of_unit))
    | (is_county_staff & scoped(same_region(_unit_region)) & scoped(has_handed_in))
    | is_city_wide,
    scoped=True,
)

# --- batches -------------------------------------------------------------------------------------
add_perm("applications.view_batches", is_city_wide)
add_perm("applications.manage_batches", is_city_hrss | is_admin)
add_perm("applications.export_applications", is_city_wide)

# --- applications --------------------------------------------------------------------------------
add_perm("applications.view_own_applications", is_applicant)
add_perm("applications.start_application", is_applicant)
add_perm(
    "applications.view_application",
    (is_applicant & scoped(is_member_of_applicant))
    | (is_county_staff & scoped(same_region(_application_region)))
    | is_city_wide,
    scoped=True,
)
for _action in ("edit", "submit", "recall", "withdraw"):
    add_perm(
        f"applications.{_action}_application",
        is_applicant & scoped(is_member_of_applicant),
        scoped=True,
    )
