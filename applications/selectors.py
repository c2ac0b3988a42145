"""Read queries of the applications app shared by every area: who sees which units and applications.

Scoped by the role predicates of ``shaoxing_bases.accounts.rules`` (the one place roles are
compared); a row outside these querysets answers 404 wherever it is looked up.
"""

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from shaoxing_bases.accounts.rules import is_applicant, is_city_wide, is_county_staff

from .enums import ApplicationState
from .models import ApplicantUnit, Application, PartnerEnterprise


def units_visible_to(user) -> QuerySet[ApplicantUnit]:
    units = ApplicantUnit.objects.select_related("region")
    if is_county_staff(user):
        return units.filter(region_id=user.region_id)
    if is_city_wide(user):
        return units
    if is_applicant(user) and user.unit_id:
        return units.filter(pk=user.unit_id)
    return units.none()


def applications_visible_to(user) -> QuerySet[Application]:
    """Every application the user may open; anything else answers 404. Drafts stay the unit's own."""
    applications = Application.objects.select_related("batch", "unit", "unit__region")
    handed_in = Q(state__in=ApplicationState.visible_to_county())
    if is_applicant(user):
        return applications.filter(unit_id=user.unit_id) if user.unit_id else applications.none()
    if is_county_staff(user):
        return applications.filter(handed_in, unit__region_id=user.region_id)
    if is_city_wide(user):
        return applications.filter(handed_in)
    return applications.none()


def application_for_check(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Prefetch what the eligibility check reads, so a list runs a fixed number of queries."""
    return queryset.prefetch_related("specialties", "partners", "fund_years")


def application_for_check_in_list(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """What the eligibility check reads, for a list of rows: the partner enterprises counted in SQL
    (the check needs only how many; twenty rows per application made a 50-row page load 1,000)."""
    partners = (
        PartnerEnterprise.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return queryset.prefetch_related("specialties", "fund_years").annotate(
        partner_count=Coalesce(Subquery(partners), 0)
    )
