"""Read queries of the applications app, scoped to the user and free of N+1."""

from django.db.models import Q, QuerySet

from shaoxing_bases.accounts.enums import Role

from .enums import ApplicationState
from .models import ApplicantUnit, Application


def units_visible_to(user) -> QuerySet[ApplicantUnit]:
    units = ApplicantUnit.objects.select_related("region")
    if user.role in Role.county_roles():
        return units.filter(region_id=user.region_id)
    if user.role in (*Role.city_roles(), Role.ADMIN):
        return units
    if user.role == Role.APPLICANT and user.unit_id:
        return units.filter(pk=user.unit_id)
    return units.none()


def applications_visible_to(user) -> QuerySet[Application]:
    """Every application the user may open; anything else answers 404."""
    applications = Application.objects.select_related("batch", "unit", "unit__region")
    handed_in = Q(state__in=ApplicationState.visible_to_county())
    if user.role == Role.APPLICANT:
        return applications.filter(unit_id=user.unit_id) if user.unit_id else applications.none()
    if user.role in Role.county_roles():
        return applications.filter(handed_in, unit__region_id=user.region_id)
    if user.role in (*Role.city_roles(), Role.ADMIN):
        return applications.filter(handed_in)
    return applications.none()


def application_for_check(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Prefetch what the eligibility check reads, so a list runs a fixed number of queries."""
    return queryset.prefetch_related("specialties", "partners", "fund_years")
