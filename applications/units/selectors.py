"""Read queries of the unit pages, scoped through `applications.selectors`."""

from django.db.models import Count, Q, QuerySet

from shaoxing_bases.validators import normalize_credit_code

from ..enums import ApplicationState
from ..models import ApplicantUnit, Application
from ..selectors import applications_visible_to, units_visible_to


def units_for_list(user, *, q: str = "", unit_type: str = "", region=None) -> QuerySet[ApplicantUnit]:
    """Units the staff member may see, filtered, with the number of handed-in applications.

    Drafts stay private to the unit (as everywhere in the portal), so they are not counted.
    """
    units = units_visible_to(user).annotate(
        application_count=Count(
            "applications", filter=Q(applications__state__in=ApplicationState.visible_to_county())
        )
    )
    q = q.strip()
    if q:
        units = units.filter(Q(name__icontains=q) | Q(credit_code__icontains=normalize_credit_code(q)))
    if unit_type:
        units = units.filter(unit_type=unit_type)
    if region is not None:
        units = units.filter(region=region)
    return units.order_by("region__sort_order", "name", "pk")


def unit_members(unit: ApplicantUnit):
    return unit.members.order_by("date_joined", "pk")


def unit_applications(user, unit: ApplicantUnit) -> QuerySet[Application]:
    """The unit's applications the user may open (handed-in ones for staff), newest batch first."""
    return applications_visible_to(user).filter(unit=unit).order_by("-batch__year")
