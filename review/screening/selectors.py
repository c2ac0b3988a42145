"""Read queries of the county screening, scoped to the user and free of N+1."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from applications.dossier import application_for_dossier
from applications.eligibility import FAIL, NEEDS_JUDGEMENT, OUTCOME_LABELS, PASS, CriterionResult, summarize
from applications.enums import ApplicationState, BatchState
from applications.form.sections import criterion_evidence
from applications.indicators import application_check
from applications.models import Application, Batch
from applications.policy import clause_tag
from applications.selectors import application_for_check_in_list, applications_visible_to
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.accounts.rules import is_city_wide, is_county_staff
from shaoxing_bases.core.timeline import TimelineEntry, transition_timeline

from .enums import COUNTY_RECOMMENDED_STATES, JudgementOutcome, RecommendationState
from .models import ClauseJudgement, Recommendation, RecommendationEntry

# --- batches and deadlines -----------------------------------------------------------------------


def batches_for_screening() -> QuerySet[Batch]:
    """Batches a county or the city can look at: every batch that has opened, newest first."""
    return Batch.objects.exclude(state=BatchState.DRAFT).order_by("-year")


def batch_from_query(batches: QuerySet[Batch], raw: str | None) -> Batch | None:
    """The batch picked by ``?batch=`` (ignored when not a valid id), else the newest one."""
    if raw and raw.isdecimal():
        picked = batches.filter(pk=int(raw)).first()
        if picked is not None:
            return picked
    return batches.first()


# --- the county work queue -----------------------------------------------------------------------


def screening_queue(user, batch: Batch, state: str = "", unit_type: str = "") -> QuerySet[Application]:
    """Handed-in applications of the user's county in ``batch``; everything the rows show is
    prefetched, so the page runs a fixed number of queries."""
    applications = application_for_check_in_list(applications_visible_to(user).filter(batch=batch))
    if state:
        applications = applications.filter(state=state)
    if unit_type:
        applications = applications.filter(unit__unit_type=unit_type)
    return applications.prefetch_related("clause_judgements").order_by("submitted_at", "pk")


@dataclass(frozen=True)
class ScreeningRow:
    """One criterion of the auto-check, with the county's judgement where one was needed."""

    result: CriterionResult
    label: str
    requirement: str
    judgement: ClauseJudgement | None
    # A judgement made before the unit last (re)submitted: shown, but it must be made again.
    stale_judgement: ClauseJudgement | None = None

    @property
    def key(self) -> str:
        return self.result.key

    @property
    def clause_tag(self) -> str:
        return clause_tag(self.result.clause)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.result.outcome]

    @property
    def needs_judgement(self) -> bool:
        return self.result.outcome == NEEDS_JUDGEMENT

    @property
    def effective_outcome(self) -> str:
        """The auto-check outcome, or the reviewer's call for a 待评审判断 criterion."""
        if not self.needs_judgement or self.judgement is None:
            return self.result.outcome
        return PASS if self.judgement.outcome == JudgementOutcome.CONFIRMED else FAIL


@dataclass(frozen=True)
class ScreeningCheck:
    """The auto-check of one application merged with the county's clause judgements."""

    rows: list[ScreeningRow]

    @property
    def summary(self) -> dict[str, int]:
        return summarize(row.result for row in self.rows)

    @property
    def to_judge(self) -> int:
        return sum(1 for row in self.rows if row.needs_judgement)

    @property
    def pending_judgements(self) -> list[ScreeningRow]:
        return [row for row in self.rows if row.needs_judgement and row.judgement is None]

    @property
    def judged(self) -> int:
        return sum(1 for row in self.rows if row.needs_judgement and row.judgement is not None)

    @property
    def failing(self) -> list[ScreeningRow]:
        """Criteria that fail, by the auto-check or by the reviewer's own judgement."""
        return [row for row in self.rows if row.effective_outcome == FAIL]


def screening_check(application: Application) -> ScreeningCheck:
    """Uses the prefetched ``clause_judgements`` when the caller prefetched them.

    A judgement counts only when made after the unit's latest submission: a unit that was
    returned and resubmitted may have changed its declarations and evidence.
    """
    judgements = {judgement.key: judgement for judgement in application.clause_judgements.all()}
    criteria = {
        criterion.key: criterion
        for criterion in application.batch.policy.criteria_for(application.unit.unit_type)
    }
    submitted_at = application.submitted_at
    rows = []
    for result in application_check(application):
        criterion = criteria.get(result.key)
        judgement = judgements.get(result.key) if result.outcome == NEEDS_JUDGEMENT else None
        stale = None
        if judgement is not None and submitted_at is not None and judgement.decided_at < submitted_at:
            judgement, stale = None, judgement
        rows.append(
            ScreeningRow(
                result=result,
                label=criterion.label if criterion else result.key,
                requirement=criterion.requirement if criterion else str(result.required),
                judgement=judgement,
                stale_judgement=stale,
            )
        )
    return ScreeningCheck(rows=rows)


def applications_for_screening(user) -> QuerySet[Application]:
    """The user's county's handed-in applications, with what the screening page reads. The views
    fetch one through ``get_object_for`` (outside the scope: 404, and the probe is audited)."""
    return (
        application_for_dossier(applications_visible_to(user))
        .select_related("finance_opinion__given_by")
        .prefetch_related("clause_judgements__decided_by")
    )


def evidence_by_criterion(application: Application) -> dict[str, list]:
    """Each criterion's evidence files (from the prefetched attachments), so that the county sees a
    clause's proof next to its judgement."""
    unit_type = application.unit.unit_type
    categories = criterion_evidence(unit_type, application.batch.policy.criteria_for(unit_type))
    by_category: dict[str, list] = {}
    for attachment in application.attachments.all():
        by_category.setdefault(attachment.section, []).append(attachment)
    return {
        key: [attachment for category in wanted for attachment in by_category.get(category, [])]
        for key, wanted in categories.items()
    }


def finance_queue(user, batch: Batch) -> QuerySet[Application]:
    """The county's handed-in applications of ``batch`` for county finance, with its opinions."""
    return (
        applications_visible_to(user)
        .filter(batch=batch)
        .select_related("finance_opinion")
        .order_by("submitted_at", "pk")
    )


# --- recommendations -----------------------------------------------------------------------------


def recommendations_visible_to(user) -> QuerySet[Recommendation]:
    """County staff see their county's lists; city staff and administrators every list."""
    recommendations = Recommendation.objects.select_related("batch", "region", "cosigned_by", "submitted_by")
    if is_county_staff(user):
        return recommendations.filter(region_id=user.region_id)
    if is_city_wide(user):
        return recommendations
    return recommendations.none()


def recommendation_entries(recommendation: Recommendation) -> QuerySet[RecommendationEntry]:
    """The list in rank order, with what the page shows per candidate (its unit)."""
    return (
        RecommendationEntry.objects.filter(recommendation=recommendation)
        .select_related("application__unit", "application__batch")
        .order_by("rank", "pk")
    )


def letter_entries(recommendation: Recommendation) -> QuerySet[RecommendationEntry]:
    """The list as the letter prints it: each candidate's auto-check (its rows), the county's
    judgements (the clauses it meets) and the finance bureau's opinion. Only the letter's task reads
    this much; the list page does not."""
    return (
        recommendation_entries(recommendation)
        .select_related("application__finance_opinion")
        .prefetch_related(
            "application__specialties",
            "application__partners",
            "application__fund_years",
            "application__clause_judgements",
        )
    )


def applications_to_list(recommendation: Recommendation) -> QuerySet[Application]:
    """The county's recommended applications of the batch that are not on the list yet."""
    return (
        Application.objects.filter(
            batch_id=recommendation.batch_id,
            unit__region_id=recommendation.region_id,
            state=ApplicationState.RECOMMENDED,
            recommendation_entry__isnull=True,
        )
        .select_related("unit")
        .order_by("submitted_at", "pk")
    )


def recommendation_timeline(recommendation: Recommendation) -> list[TimelineEntry]:
    """Every transition of the list (request co-sign, co-sign, send back, report...). One query."""
    return transition_timeline(recommendation, dict(RecommendationState.choices), system_actor="系统")


# --- the city overview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class CountyRow:
    region: Region
    received: int
    recommended: int
    returned: int
    rejected: int
    pending: int
    recommendation: Recommendation | None
    late: bool

    @property
    def state_label(self) -> str:
        return self.recommendation.get_state_display() if self.recommendation else "未开始编制"


def county_overview(
    batch: Batch, now: datetime | None = None, *, region: Region | None = None
) -> list[CountyRow]:
    """Per county (or only ``region``): what it received and decided, and where its list stands.
    Three queries."""
    now = now or timezone.now()
    # Counted within the batch (its index), per county: filtering the batch inside each COUNT of a
    # regions ⟕ units ⟕ applications join read every application of every batch.
    in_batch = Application.objects.filter(batch=batch)
    if region is not None:
        in_batch = in_batch.filter(unit__region_id=region.pk)
    counts = {
        row["unit__region_id"]: row
        for row in in_batch.values("unit__region_id")
        .annotate(
            received=Count("pk", filter=Q(state__in=ApplicationState.visible_to_county())),
            recommended=Count("pk", filter=Q(state__in=COUNTY_RECOMMENDED_STATES)),
            returned=Count("pk", filter=Q(state=ApplicationState.RETURNED)),
            rejected=Count("pk", filter=Q(state=ApplicationState.COUNTY_REJECTED)),
            pending=Count("pk", filter=Q(state=ApplicationState.SUBMITTED)),
        )
        .order_by()
    }
    empty = {"received": 0, "recommended": 0, "returned": 0, "rejected": 0, "pending": 0}
    regions = Region.objects.prefetch_related(
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.filter(batch=batch).select_related("batch", "submitted_by"),
            to_attr="batch_recommendations",
        )
    )
    if region is not None:
        regions = regions.filter(pk=region.pk)
    deadline_passed = now >= batch.screening_deadline
    rows = []
    for county in regions.order_by("sort_order", "code"):
        recommendation = county.batch_recommendations[0] if county.batch_recommendations else None
        submitted = recommendation is not None and recommendation.is_submitted
        # Late: the deadline passed with decisions still open or a list still unreported, or the
        # list reached the city after the deadline.
        counted = counts.get(county.pk, empty)
        unfinished = counted["pending"] > 0 or (counted["recommended"] > 0 and not submitted)
        late = (deadline_passed and unfinished) or bool(recommendation and recommendation.submitted_late)
        rows.append(
            CountyRow(
                region=county,
                received=counted["received"],
                recommended=counted["recommended"],
                returned=counted["returned"],
                rejected=counted["rejected"],
                pending=counted["pending"],
                recommendation=recommendation,
                late=late,
            )
        )
    return rows
