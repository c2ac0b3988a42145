"""Provincial scale of the county screening for `manage.py seed_scale` (bulk rows, after the
applications' step): every application the county has decided carries its clause judgements, the
screening batch's recommended ones sit on their county's list (越城区's list has 300 entries, the
letter the issue measures), with county finance's opinion on each; every decision has its audit
entry, appended through `audit.services.audit_record_many`.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max

from applications.enums import ApplicationState, BatchState, UnitType
from applications.indicators import application_check
from applications.models import Application, Batch
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_record_many
from shaoxing_bases.core.scale import demo_batch_years, register_scale

from .enums import JudgementOutcome
from .models import ClauseJudgement, FinanceOpinion, Recommendation, RecommendationEntry

#: The county whose list is long (the 300-unit letter, 柯桥区) and how long at factor 1.0; 越城区 keeps
#: its full queue (the county queue page is measured there).
LONG_LIST_COUNTY = "330603"
LONG_LIST = 300
DECIDED = (
    ApplicationState.RECOMMENDED,
    ApplicationState.RETURNED,
    ApplicationState.COUNTY_REJECTED,
    ApplicationState.UNDER_REVIEW,
    ApplicationState.SHORTLISTED,
    ApplicationState.NOT_SELECTED,
    ApplicationState.IN_PUBLICITY,
    ApplicationState.APPROVED,
)
OPINION = "经区县人力社保局会同财政局初审，该单位各项条件符合要求，同意推荐为候选单位。"
FINANCE_OPINION = "资金来源清楚，财务管理制度健全，同意推荐。"
CHUNK = 5_000


def _judgement_keys() -> dict[str, list[tuple[str, str]]]:
    """(key, clause) of the criteria left to judgement, by unit type, from one scale application of
    each type (scale applications of a type are filled alike, so they leave the same criteria)."""
    keys: dict[str, list[tuple[str, str]]] = {}
    for unit_type in UnitType.values:
        sample = (
            Application.objects.filter(unit__unit_type=unit_type, unit__members__username__startswith="scale")
            .select_related("unit", "batch")
            .prefetch_related("specialties", "partners", "fund_years", "attachments")
            .first()
        )
        if sample is not None:
            keys[unit_type] = [
                (result.key, result.clause)
                for result in application_check(sample)
                if result.outcome == "needs_judgement"
            ]
    return keys


def _staff() -> dict[int | None, User]:
    return {
        user.region_id: user
        for user in User.objects.filter(username__endswith="_hrss", region__isnull=False).order_by(
            "-username"
        )
    }


def _promote_long_list(batch: Batch, length: int) -> int:
    """Enough of 柯桥区's queued scale applications recommended for its list to reach ``length``."""
    scale = Application.objects.filter(
        batch=batch, unit__region__code=LONG_LIST_COUNTY, unit__members__username__startswith="scale"
    )
    have = scale.filter(state=ApplicationState.RECOMMENDED).count()
    if have >= length:
        return have
    ids = list(
        scale.filter(state=ApplicationState.SUBMITTED)
        .order_by("pk")
        .values_list("pk", flat=True)[: length - have]
    )
    return have + Application.objects.filter(pk__in=ids).update(state=ApplicationState.RECOMMENDED)


def _seed_lists(batch: Batch, finance: dict[int | None, User]) -> int:
    """The screening batch's recommended scale applications on their county's list (in draft)."""
    applications = list(
        Application.objects.filter(
            batch=batch,
            state=ApplicationState.RECOMMENDED,
            recommendation_entry__isnull=True,
            unit__members__username__startswith="scale",
        )
        .select_related("unit")
        .order_by("unit__region_id", "pk")
    )
    lists: dict[int, Recommendation] = {}
    for region in Region.objects.filter(pk__in={a.unit.region_id for a in applications}):
        lists[region.pk] = Recommendation.objects.filter(batch=batch, region=region).first() or (
            Recommendation.objects.create(batch=batch, region=region)
        )
    ranks = {
        row["recommendation"]: row["top"] or 0
        for row in RecommendationEntry.objects.filter(recommendation__in=lists.values())
        .values("recommendation")
        .annotate(top=Max("rank"))
    }
    entries = []
    opinions = []
    for application in applications:
        recommendation = lists[application.unit.region_id]
        ranks[recommendation.pk] = ranks.get(recommendation.pk, 0) + 1
        entries.append(
            RecommendationEntry(
                recommendation=recommendation,
                application=application,
                rank=ranks[recommendation.pk],
                opinion=OPINION,
            )
        )
        giver = finance.get(application.unit.region_id)
        if giver is not None:
            opinions.append(FinanceOpinion(application=application, opinion=FINANCE_OPINION, given_by=giver))
    RecommendationEntry.objects.bulk_create(entries, batch_size=CHUNK)
    FinanceOpinion.objects.bulk_create(opinions, batch_size=CHUNK, ignore_conflicts=True)
    return len(entries)


@register_scale("screening", order=20)
def seed_scale_screening(factor: float) -> list[str]:
    """Judgements, the screening batch's lists and the decisions' audit entries."""
    screening = Batch.objects.filter(state=BatchState.SCREENING).order_by("-year").first()
    lines = []
    with transaction.atomic():
        if screening is not None:
            long_list = _promote_long_list(screening, max(1, int(LONG_LIST * factor)))
            lines.append(f"{screening.title}：柯桥区推荐 {long_list} 个（长名单）")
        keys = _judgement_keys()
        hrss = _staff()
        finance = {
            user.region_id: user
            for user in User.objects.filter(username__endswith="_finance", region__isnull=False)
        }
        decided = list(
            Application.objects.filter(
                state__in=DECIDED,
                unit__members__username__startswith="scale",
                clause_judgements__isnull=True,
                batch__year__in=demo_batch_years(),
            )
            .select_related("unit", "batch")
            .order_by("pk")
        )
        judgements = []
        audit = []
        for application in decided:
            judge = hrss.get(application.unit.region_id)
            if judge is None:
                continue
            moment = application.submitted_at or application.batch.opens_at
            for key, clause in keys.get(application.unit.unit_type, []):
                judgements.append(
                    ClauseJudgement(
                        application=application,
                        key=key,
                        clause=clause,
                        outcome=JudgementOutcome.CONFIRMED,
                        note="已核对佐证材料原件。",
                        decided_by=judge,
                        decided_at=moment,
                    )
                )
            rejected = application.state in (ApplicationState.COUNTY_REJECTED, ApplicationState.RETURNED)
            audit.append(
                {
                    "action": AuditAction.STATE_CHANGE,
                    "outcome": AuditOutcome.SUCCESS,
                    "actor": judge,
                    "created_at": moment,
                    "object_repr": f"{application.unit}（{application.batch.year}年度）",
                    "summary": "初审不通过" if rejected else "初审通过",
                    "detail": {"model": "applications.Application", "pk": application.pk, "scale": True},
                }
            )
        ClauseJudgement.objects.bulk_create(judgements, batch_size=CHUNK)
        audit_record_many(audit)
        lines.append(f"区县初审：{len(decided)} 个申报已判断（{len(judgements)} 项条款判断）")
        if screening is not None:
            listed = _seed_lists(screening, finance)
            lines.append(f"{screening.title}：{listed} 个申报列入区县推荐名单")
    return lines
