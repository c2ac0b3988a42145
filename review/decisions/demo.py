"""Demo of the decision: the batch the demo keeps as concluded is decided through the services once
the publicity stage's seeder (order 40) has brought it to publicity with nothing blocking
``conclude`` — city HRSS drafts, city finance co-signs, city HRSS issues, the outbox is released, each
at a plausible time after its publicity window. Without such a batch the seeder does nothing."""

from datetime import datetime, timedelta

from applications.batches.services import batch_transition_blockers
from applications.enums import BatchState
from applications.models import Batch
from shaoxing_bases.accounts.models import User
from shaoxing_bases.core.demo import DemoBatchPlan, demo_batch_plans, demo_clock, register_demo

from .enums import DecisionState
from .models import Decision
from .services import (
    decision_cosign,
    decision_draft_save,
    decision_initial,
    decision_issue,
    decision_outbox_release,
)

#: How long after the scoring deadline the city starts drafting (the publicity window lies between).
FIRST_TRY = timedelta(days=14)
#: How many days later the seeder looks for a day on which nothing blocks the decision.
LAST_TRY_DAYS = 90


def _ready_at(batch: Batch, plan: DemoBatchPlan) -> datetime | None:
    """The first working morning, from `FIRST_TRY` after scoring, on which ``conclude`` is unblocked."""
    start = plan.at((plan.scoring_deadline - plan.opens_at).days, hour=9) + FIRST_TRY
    for offset in range(LAST_TRY_DAYS):
        when = start + timedelta(days=offset)
        if when.weekday() < 5 and not batch_transition_blockers(batch, "conclude", when):
            return when
    return None


def _decide(batch: Batch, plan: DemoBatchPlan) -> str:
    hrss = User.objects.get(username="city_hrss")
    finance = User.objects.get(username="city_finance")
    decision = Decision.objects.filter(batch=batch).first()
    if decision is None or decision.state != DecisionState.ISSUED:
        when = _ready_at(batch, plan)
        if when is None:
            return f"认定发文：{batch.year}年度批次公示尚未结束或仍有异议，未发文。"
        if decision is None:
            with demo_clock(when):
                decision = decision_draft_save(batch=batch, actor=hrss, **decision_initial(batch))
        if decision.state == DecisionState.DRAFT:
            with demo_clock(when + timedelta(hours=6)):
                decision = decision_cosign(decision=decision, actor=finance, comment="经审核，同意。")
        with demo_clock(when + timedelta(days=1)):
            decision = decision_issue(decision=decision, actor=hrss)
        with demo_clock(when + timedelta(days=1, hours=2)):
            decision_outbox_release(decision=decision, actor=hrss)
    return f"认定发文：{batch.year}年度 {decision.document_number}，认定{decision.items.count()}家实训基地。"


@register_demo("decisions", order=50)
def seed_decisions() -> list[str]:
    lines = []
    for plan in demo_batch_plans():
        if plan.stage != BatchState.CONCLUDED:
            continue
        batch = Batch.objects.filter(year=plan.year).first()
        if batch is None:
            continue
        if batch.state == BatchState.PUBLICITY or hasattr(batch, "decision"):
            lines.append(_decide(batch, plan))
    return lines or ["认定发文：没有公示结束、待发文的批次。"]
