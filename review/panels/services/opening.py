"""What the expert review adds to the batch's stages (registered in ``review.panels.stages``):

- expert review may open before the screening deadline once every county with handed-in
  applications has reported its list to the city (and at the deadline in any case);
- when it opens, the panel is created with the default rubric and the candidates on the reported
  lists move ``recommended → under_review``;
- the batch goes to publicity only once the shortlist is confirmed.
"""

from datetime import datetime

from django.db import transaction

from applications.enums import ApplicationState
from applications.models import Application, Batch
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.audit.services import audit_event

from ...screening.enums import RecommendationState
from ...screening.models import Recommendation, RecommendationEntry
from ..enums import PanelState
from ..models import Panel
from .forming import default_rubric


def counties_not_reported(batch: Batch) -> list[str]:
    """Counties with handed-in applications whose list has not reached the city."""
    handed_in = set(
        Application.objects.filter(batch=batch, state__in=ApplicationState.visible_to_county()).values_list(
            "unit__region_id", flat=True
        )
    )
    reported = set(
        Recommendation.objects.filter(batch=batch, state=RecommendationState.SUBMITTED_TO_CITY).values_list(
            "region_id", flat=True
        )
    )
    missing = handed_in - reported
    return list(Region.objects.filter(pk__in=missing).order_by("sort_order").values_list("name", flat=True))


def expert_review_readiness(batch: Batch, now: datetime) -> list[str]:
    """Why the city may not open expert review before the screening deadline ([] when it may)."""
    if not Recommendation.objects.filter(batch=batch, state=RecommendationState.SUBMITTED_TO_CITY).exists():
        return ["尚无区县报送推荐名单"]
    missing = counties_not_reported(batch)
    if missing:
        return [f"各区县推荐名单均报送后可提前进入，尚未报送：{'、'.join(missing)}"]
    return []


def publicity_readiness(batch: Batch, now: datetime) -> list[str]:
    panel = Panel.objects.filter(batch=batch).first()
    if panel is None or panel.state == PanelState.CONFIRMED:
        return []
    return [f"评审组状态为“{panel.get_state_display()}”，市人力社保局确认初选名单后才能进入公示"]


@transaction.atomic
def expert_review_open(*, batch: Batch, actor: User | None) -> Panel:
    """Runs inside ``batch_transition(start_expert_review)`` (by hand or by the sweep, which asked the
    permission): the panel with the default rubric, and every candidate on a list reported to the
    city moved to ``under_review``. Side effects: the panel, the transition logs, an audit entry.
    Idempotent: a panel that exists is kept."""
    panel, created = Panel.objects.get_or_create(batch=batch)
    if created:
        default_rubric(panel)
    candidates = Application.objects.select_for_update(of=("self",)).filter(
        pk__in=RecommendationEntry.objects.filter(
            recommendation__batch=batch, recommendation__state=RecommendationState.SUBMITTED_TO_CITY
        ).values("application_id"),
        state=ApplicationState.RECOMMENDED,
    )
    moved = []
    for application in candidates.select_related("unit"):
        application.start_review(by=actor, description="区县推荐名单已报送，进入专家评审")
        application.save()
        moved.append(application.pk)
    audit_event(
        actor=actor,
        summary="进入专家评审：建立评审组，候选单位进入评审",
        obj=panel,
        detail={"batch": batch.pk, "applications": moved, "panel_created": created},
    )
    return panel
