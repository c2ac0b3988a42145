"""Role predicates shared by every app's rules.py, and the permissions of the portal's own pages.

The only place (with the apps' own ``rules.py``) where a user's role is compared: views, templates,
selectors and services ask a named permission or one of these predicates instead.
"""

import rules

from shaoxing_bases.permissions import add_perm

from .enums import Role


def _role_is(*roles: str):
    @rules.predicate(name=f"role in {'/'.join(roles)}")
    def predicate(user) -> bool:
        return bool(user and user.is_authenticated and user.role in roles)

    return predicate


is_applicant = _role_is(Role.APPLICANT)
is_county_hrss = _role_is(Role.COUNTY_HRSS)
is_county_finance = _role_is(Role.COUNTY_FINANCE)
is_county_staff = _role_is(*Role.county_roles())
is_city_hrss = _role_is(Role.CITY_HRSS)
is_city_finance = _role_is(Role.CITY_FINANCE)
is_city_staff = _role_is(*Role.city_roles())
is_expert = _role_is(Role.EXPERT)
is_admin = _role_is(Role.ADMIN)
is_government_staff = _role_is(*Role.staff_roles())
#: City staff and administrators see every county.
is_city_wide = is_city_staff | is_admin


@rules.predicate
def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def same_region(region_of):
    """Predicate: the user works in the county `region_of(obj)` returns (a region id)."""

    @rules.predicate(name=f"same_region({region_of.__name__})")
    def predicate(user, obj) -> bool:
        return bool(obj is not None and user.is_authenticated and user.region_id == region_of(obj))

    return predicate


@rules.predicate
def works_in_region(user, region) -> bool:
    return bool(region is not None and user.is_authenticated and user.region_id == region.pk)


add_perm("core.view_dashboard", is_signed_in)
add_perm("core.use_admin_site", is_admin)
# The audit trail is read by the city and administrators only: it spans every county.
add_perm("audit.view_trail", is_city_wide)
# 账号解锁: the city bureau that runs the portal, and the administrators.
add_perm("accounts.unlock_accounts", is_city_hrss | is_admin)
