"""Demo of the county screening: every batch past its submission deadline is screened through the
services at the times it happened.

- This year's batch (in screening today): 越城区 has decided and its list awaits the finance
  co-signature; 柯桥区's list and letter have reached the city; 上虞区 and 诸暨市 still have
  applications to screen.
- Earlier batches: every county decided (one unit not recommended) and reported its co-signed list.
"""

from django.db import transaction

from applications.eligibility import NEEDS_JUDGEMENT
from applications.enums import ApplicationState, BatchState
from applications.indicators import application_check
from applications.models import Application, Batch
from shaoxing_bases.accounts.models import User
from shaoxing_bases.core.demo import DemoBatchPlan, demo_batch_plans, demo_clock, register_demo

from .enums import JudgementOutcome, ScreeningDecision
from .models import Recommendation, RecommendationEntry
from .services import (
    clause_judge,
    recommendation_cosign,
    recommendation_entry_add,
    recommendation_request_cosign,
    recommendation_submit,
    screening_decide,
)

#: (county code, demo account slug) of the counties the demo's units are in.
COUNTIES = {"330602": "yuecheng", "330603": "keqiao", "330604": "shangyu", "330681": "zhuji"}
REJECTED_REASON = (
    "经核查，该单位近一年培训台账与申报数据不一致，高级工及以上培训人数证明材料不足，本批次暂不推荐。"
)
OPINION = "经区县人社局会同财政局初审，该单位各项条件符合要求，同意推荐为候选单位。"


def _staff(county: str, role: str) -> User:
    return User.objects.get(username=f"{COUNTIES[county]}_{role}")


def _decide(application: Application, hrss: User, decision: str) -> None:
    for result in application_check(application):
        if result.outcome == NEEDS_JUDGEMENT:
            clause_judge(
                application=application,
                actor=hrss,
                key=result.key,
                outcome=JudgementOutcome.CONFIRMED,
                note="已核对佐证材料原件。",
            )
    screening_decide(
        application=application,
        actor=hrss,
        decision=decision,
        reason=REJECTED_REASON if decision == ScreeningDecision.REJECT else "",
    )


def _list_of(batch: Batch, county: str) -> Recommendation:
    return Recommendation.objects.get(batch=batch, region__code=county)


def _compile(batch: Batch, county: str, hrss: User) -> Recommendation:
    """Every recommended application of the county on its list (those not already on it)."""
    recommendation = _list_of(batch, county)
    listed = set(
        RecommendationEntry.objects.filter(recommendation=recommendation).values_list(
            "application", flat=True
        )
    )
    for application in Application.objects.filter(
        batch=batch, unit__region__code=county, state=ApplicationState.RECOMMENDED
    ).order_by("submitted_at", "pk"):
        if application.pk not in listed:
            recommendation_entry_add(
                recommendation=recommendation, actor=hrss, application=application, opinion=OPINION
            )
    return recommendation


def _screen_county(batch: Batch, plan: DemoBatchPlan, county: str, *, day: float, until: str) -> None:
    """Decide the county's applications, then take its list as far as `until` (a RecommendationState)."""
    hrss, finance = _staff(county, "hrss"), _staff(county, "finance")
    applications = list(
        Application.objects.filter(batch=batch, unit__region__code=county, state=ApplicationState.SUBMITTED)
        .select_related("batch", "unit")
        .order_by("pk")
    )
    with demo_clock(plan.at(day, hour=10)):
        for application in applications:
            # The county's training school of the earlier batches is not recommended: a list with a
            # refusal in it, as real lists have.
            rejected = application.unit.unit_type == "training_institution" and county == "330602"
            _decide(application, hrss, ScreeningDecision.REJECT if rejected else ScreeningDecision.RECOMMEND)
        recommendation = _compile(batch, county, hrss)
    if until == "draft":
        return
    with demo_clock(plan.at(day + 1, hour=9)):
        recommendation_request_cosign(recommendation=recommendation, actor=hrss, comment="请审核会签。")
    if until == "awaiting_cosign":
        return
    with demo_clock(plan.at(day + 2, hour=11)):
        recommendation_cosign(recommendation=recommendation, actor=finance, comment="经审核，同意推荐。")
    with demo_clock(plan.at(day + 3, hour=16)):
        recommendation_submit(recommendation=recommendation, actor=hrss)


@register_demo("screening", order=20)
@transaction.atomic
def seed_demo_screening() -> list[str]:
    lines = []
    for plan in demo_batch_plans():
        batch = Batch.objects.filter(year=plan.year, state=BatchState.SCREENING).first()
        if batch is None or plan.stage == BatchState.OPEN:
            continue
        if Recommendation.objects.filter(batch=batch).exists():
            continue  # screened by an earlier run
        first_day = (plan.submission_deadline - plan.opens_at).days + 2
        if plan.stage == BatchState.SCREENING:
            # Today's batch: one county at finance, one at the city, two still screening.
            _screen_county(batch, plan, "330602", day=first_day, until="awaiting_cosign")
            _screen_county(batch, plan, "330603", day=first_day, until="submitted_to_city")
        else:
            for offset, county in enumerate(COUNTIES):
                _screen_county(batch, plan, county, day=first_day + offset, until="submitted_to_city")
        lines.append(f"区县初审：{batch.title}")
    return lines
