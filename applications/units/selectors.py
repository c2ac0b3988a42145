"""Read queries of the unit pages, scoped through `applications.selectors`."""

from django.db.models import Count, Q, QuerySet

from shaoxing_bases.validators import normalize_credit_code

from ..enums import ApplicationState
from ..models import ApplicantUnit, Application
from ..selectors import applications_visible_to, units_visible_to


def units_for_list(user, *, q: str = "", unit_type: str = "", region=None) -> QuerySet[ApplicantUnit]:
    """Units the staff member may see, filtered. The page counts their applications afterwards, for
    its own rows only (`with_application_counts`): counting for every unit before sorting and keeping
    twenty read every application of the city."""
    units = units_visible_to(user)
    q = q.strip()
    if q:
        units = units.filter(Q(name__icontains=q) | Q(credit_code__icontains=normalize_credit_code(q)))
    if unit_type:
        units = units.filter(unit_type=unit_type)
    if region is not None:
        units = units.filter(region=region)
    return units.order_by("region__sort_order", "name", "pk")


def with_application_counts(units) -> list[ApplicantUnit]:
    """``units`` (one page) with ``application_count``: their handed-in applications, in one query.

    Drafts stay private to the unit (as everywhere in the portal), so they are not counted.
    """
    units = list(units)
    counts = dict(
        Application.objects.filter(
            unit_id__in=[unit.pk for unit in units], state__in=ApplicationState.visible_to_county()
        )
        .values_list("unit_id")
        .annotate(count=Count("pk"))
        .order_by()
    )
    for unit in units:
        unit.application_count = counts.get(unit.pk, 0)
    return units


def unit_members(unit: ApplicantUnit):
    return unit.members.order_by("date_joined", "pk")


def unit_applications(user, unit: ApplicantUnit) -> QuerySet[Application]:
    """The unit's applications the user may open (handed-in ones for staff), newest batch first."""
    return applications_visible_to(user).filter(unit=unit).order_by("-batch__year")
