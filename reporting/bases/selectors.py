"""Reads of the training bases, scoped to the user, with a fixed number of queries per page."""

from django.db.models import DecimalField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from shaoxing_bases.accounts.models import Region
from shaoxing_bases.accounts.rules import is_applicant, is_city_wide, is_county_staff

from ..enums import AssessmentResult, BaseState, ExitDecision
from ..models import Assessment, FundingRecord, TrainingBase


def listed_bases() -> QuerySet[TrainingBase]:
    """The municipal bases today: active or in rectification (an exited base has left the list)."""
    return TrainingBase.objects.filter(state__in=BaseState.listed())


def public_bases(*, region_code: str = "", unit_type: str = "") -> QuerySet[TrainingBase]:
    """公开名单: what the public may read of the listed bases, filtered by county and unit type."""
    bases = listed_bases().select_related("region", "unit", "batch")
    if region_code:
        bases = bases.filter(region__code=region_code)
    if unit_type:
        bases = bases.filter(unit__unit_type=unit_type)
    return bases.order_by("region__sort_order", "region__code", "-batch__year", "name")


def regions() -> list[Region]:
    return list(Region.objects.order_by("sort_order", "code"))


def bases_visible_to(user) -> QuerySet[TrainingBase]:
    """Every base the user may open: the city all, a county its own, a unit its own; else none."""
    bases = TrainingBase.objects.select_related("region", "unit", "batch")
    if is_city_wide(user):
        return bases
    if is_county_staff(user):
        return bases.filter(region_id=user.region_id)
    if is_applicant(user):
        return bases.filter(unit_id=user.unit_id) if user.unit_id else bases.none()
    return bases.none()


def _open_rectification():
    return Assessment.objects.filter(
        base=OuterRef("pk"), result=AssessmentResult.RECTIFY, rectification_closed_at__isnull=True
    )


def with_overview(bases: QuerySet[TrainingBase]) -> QuerySet[TrainingBase]:
    """Each base with its open rectification's deadline, whether an exit awaits the city, and the
    funds recorded for it: subqueries, so a page of bases is one query."""
    funding = (
        FundingRecord.objects.filter(base=OuterRef("pk"))
        .order_by()
        .values("base")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    pending_exit = Assessment.objects.filter(base=OuterRef("pk"), exit_decision=ExitDecision.PROPOSED)
    return bases.annotate(
        rectification_deadline=Subquery(_open_rectification().values("rectification_deadline")[:1]),
        pending_exit_id=Subquery(pending_exit.values("pk")[:1]),
        funding_total=Coalesce(
            Subquery(funding, output_field=DecimalField(max_digits=16, decimal_places=2)),
            Value(0, output_field=DecimalField(max_digits=16, decimal_places=2)),
        ),
    )


def staff_bases(user, *, region_code: str = "", state: str = "") -> QuerySet[TrainingBase]:
    bases = bases_visible_to(user)
    if region_code:
        bases = bases.filter(region__code=region_code)
    if state in BaseState.values:
        bases = bases.filter(state=state)
    return with_overview(bases).order_by("region__sort_order", "region__code", "-batch__year", "name")


def base_assessments(base: TrainingBase) -> list[Assessment]:
    return list(
        base.assessments.select_related("recorded_by", "exit_decided_by", "follow_up_of").order_by(
            "-assessed_on", "-recorded_at", "-pk"
        )
    )


def open_rectification(base: TrainingBase) -> Assessment | None:
    return base.assessments.filter(
        result=AssessmentResult.RECTIFY, rectification_closed_at__isnull=True
    ).first()


def pending_exit(base: TrainingBase) -> Assessment | None:
    return base.assessments.filter(exit_decision=ExitDecision.PROPOSED).first()


def pending_exits(user) -> QuerySet[Assessment]:
    """Exit proposals awaiting the city, within the user's scope."""
    return (
        Assessment.objects.filter(exit_decision=ExitDecision.PROPOSED, base__in=bases_visible_to(user))
        .select_related("base__region")
        .order_by("recorded_at")
    )


def rectifying_bases(user) -> QuerySet[TrainingBase]:
    bases = with_overview(bases_visible_to(user).filter(state=BaseState.RECTIFYING))
    return bases.order_by("rectification_deadline", "name")  # type: ignore[misc]  # an annotation
