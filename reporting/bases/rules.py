"""Who may see the training bases (clause 6.3: 属地人力社保部门与市人力社保局共管).

The public reads the list of active bases and the statistics (no login). Staff read the bases of
their scope: county staff their county's, the city and administrators all; a unit reads its own.
See `shaoxing_bases/permissions.py` for how views, templates and services ask these.
"""

import rules

from shaoxing_bases.accounts.rules import (
    is_applicant,
    is_city_wide,
    is_county_staff,
    is_government_staff,
    same_region,
)
from shaoxing_bases.permissions import add_perm, scoped


def base_region(base) -> int:
    return base.region_id


@rules.predicate
def is_member_of_base(user, base) -> bool:
    """A member of the unit that runs the base."""
    return bool(base is not None and user.is_authenticated and user.unit_id == base.unit_id)


is_county_staff_of_base = is_county_staff & scoped(same_region(base_region))

add_perm("reporting.list_bases", is_government_staff)
add_perm("reporting.view_own_bases", is_applicant)
add_perm(
    "reporting.view_base",
    is_city_wide | is_county_staff_of_base | (is_applicant & scoped(is_member_of_base)),
    scoped=True,
)
