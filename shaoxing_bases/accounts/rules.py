"""Role predicates shared by every app's rules.py."""

import rules

from .enums import Role


def _role_is(*roles: str):
    @rules.predicate
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

# The audit trail is read by the city and administrators only: it spans every county.
rules.add_perm("audit.view_trail", is_city_staff | is_admin)
