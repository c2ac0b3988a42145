"""Locks and lookups shared by the screening services."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Batch
from shaoxing_bases.core.exceptions import AlreadyHandled

from ..enums import RecommendationState
from ..models import Recommendation, RecommendationEntry


def local(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def lock_application(application: Application) -> Application:
    """The application row under lock (only its row, not the joined batch and unit)."""
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("batch", "unit")
            .get(pk=application.pk)
        )
    except Application.DoesNotExist:
        raise AlreadyHandled("该申报已不存在。") from None


def county_list(*, batch: Batch, region_id: int) -> Recommendation:
    """The county's list for ``batch``, created as a draft the first time a change needs it."""
    existing = Recommendation.objects.filter(batch=batch, region_id=region_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Recommendation.objects.create(batch=batch, region_id=region_id)
    except IntegrityError:  # a colleague's change created it at the same moment
        return Recommendation.objects.get(batch=batch, region_id=region_id)


def lock_recommendation(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("batch", "region")
        .get(pk=recommendation.pk)
    )


def lock_county_list(*, batch: Batch, region_id: int) -> Recommendation:
    """The county's list of ``batch`` under a row lock (created as a draft if need be).

    Every change that must not overlap the list's report to the city takes this lock first.
    """
    return lock_recommendation(county_list(batch=batch, region_id=region_id))


def lock_entry(entry: RecommendationEntry, recommendation: Recommendation) -> RecommendationEntry:
    """The entry, re-read under the list's lock: a colleague may have removed it meanwhile."""
    found = (
        RecommendationEntry.objects.select_for_update(of=("self",))
        .filter(pk=entry.pk, recommendation=recommendation)
        .first()
    )
    if found is None:
        raise AlreadyHandled("该候选单位已被移出推荐名单，页面已刷新为最新状态。")
    return found


def list_reported(batch_id: int, region_id: int) -> bool:
    return Recommendation.objects.filter(
        batch_id=batch_id, region_id=region_id, state=RecommendationState.SUBMITTED_TO_CITY
    ).exists()


def recommendation_url(recommendation: Recommendation) -> str:
    return reverse("review:recommendation", args=[recommendation.pk])
