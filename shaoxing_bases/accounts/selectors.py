"""Who to tell: the active accounts behind a unit, a county bureau or a city bureau.

Services ask these instead of filtering users by role themselves (roles are compared only in the
rules modules and here, where a role is the very thing being looked up).
"""

from collections.abc import Iterable

from django.db.models import QuerySet

from .enums import Role
from .models import User


def _active() -> QuerySet[User]:
    return User.objects.filter(is_active=True)


def unit_members_of(unit_ids: Iterable[int] | int) -> QuerySet[User]:
    """The accounts of one unit (an id) or of several (ids)."""
    ids = [unit_ids] if isinstance(unit_ids, int) else list(unit_ids)
    return _active().filter(role=Role.APPLICANT, unit_id__in=ids)


def county_hrss_of(region_id: int) -> QuerySet[User]:
    return _active().filter(role=Role.COUNTY_HRSS, region_id=region_id)


def county_finance_of(region_id: int) -> QuerySet[User]:
    return _active().filter(role=Role.COUNTY_FINANCE, region_id=region_id)


def city_hrss_staff() -> QuerySet[User]:
    return _active().filter(role=Role.CITY_HRSS)


def city_finance_staff() -> QuerySet[User]:
    return _active().filter(role=Role.CITY_FINANCE)


def expert_accounts() -> QuerySet[User]:
    """The active expert accounts (评审专家), for linking the expert pool to sign-ins."""
    return _active().filter(role=Role.EXPERT)
