"""Who may see units and export applications (django-rules).

Scope rule of the portal: an applicant sees its own unit; county staff see their county once the
unit has handed something in; city staff see the whole city. Views answer 404 outside the scope.
Applications themselves are scoped by `selectors.applications_visible_to` and the services' own
checks (member of the unit, editable state), so no permission here duplicates them.
"""

import rules

from shaoxing_bases.accounts.rules import is_admin, is_city_staff, is_county_staff


@rules.predicate
def is_member_of_unit(user, unit) -> bool:
    return bool(unit is not None and user.is_authenticated and user.unit_id == unit.pk)


@rules.predicate
def is_county_staff_of_unit(user, unit) -> bool:
    return bool(unit is not None and user.is_authenticated and user.region_id == unit.region_id)


rules.add_perm(
    "applications.view_unit",
    is_member_of_unit | (is_county_staff & is_county_staff_of_unit) | is_city_staff | is_admin,
)
rules.add_perm("applications.export_applications", is_city_staff | is_admin)
