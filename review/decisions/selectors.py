"""Reads of the decision stage, prefetched so that a page's query count does not grow with its rows."""

from django.db.models import F, Prefetch, QuerySet

from applications.enums import ApplicationState, BatchState
from applications.models import Application, Batch
from shaoxing_bases.accounts.rules import is_applicant, is_city_wide

from .enums import DecisionState
from .models import ApprovalLetter, Decision, DecisionItem, OutboxMessage

#: Batches the decision page exists for: in publicity (to decide) or concluded (decided).
DECISION_BATCH_STATES = (BatchState.PUBLICITY, BatchState.CONCLUDED)


def candidates(batch: Batch) -> QuerySet[Application]:
    """The batch's applications still in publicity, in the confirmed ranking's order: the list the
    decision will approve."""
    return (
        Application.objects.filter(batch=batch, state=ApplicationState.IN_PUBLICITY)
        .select_related("unit__region", "ranking_entry")
        .order_by(F("ranking_entry__position").asc(nulls_last=True), "unit__name", "pk")
    )


def candidate_ids(batch: Batch) -> list[int]:
    return sorted(candidates(batch).values_list("pk", flat=True))


def decision_batches() -> QuerySet[Batch]:
    """Batches in publicity or concluded, newest first, with their decision (if any)."""
    return Batch.objects.filter(state__in=DECISION_BATCH_STATES).select_related("decision").order_by("-year")


def decision_for(batch: Batch) -> Decision | None:
    return (
        Decision.objects.select_related("batch", "drafted_by", "cosigned_by", "declined_by", "issued_by")
        .filter(batch=batch)
        .first()
    )


def decision_items(decision: Decision) -> list[DecisionItem]:
    return list(
        decision.items.select_related("application__unit__region", "application__ranking_entry").order_by(
            "position"
        )
    )


def decision_letters(decision: Decision) -> list[ApprovalLetter]:
    return list(decision.letters.select_related("application__unit").order_by("number"))


def outbox(decision: Decision) -> list[OutboxMessage]:
    return list(
        decision.outbox.select_related("application__unit", "region", "released_by").order_by("kind", "pk")
    )


def decisions_awaiting_cosign() -> list[Decision]:
    return list(
        Decision.objects.filter(state=DecisionState.DRAFT).select_related("batch").order_by("-batch__year")
    )


def letters_of_unit(user) -> list[ApprovalLetter]:
    """The approval letters addressed to the user's unit, newest first."""
    if not user.is_authenticated or user.unit_id is None:
        return []
    return list(
        ApprovalLetter.objects.filter(application__unit_id=user.unit_id, decision__state=DecisionState.ISSUED)
        .select_related("decision__batch", "application__unit")
        .order_by("-decision__batch__year")
    )


def issued_decision_with_items(pk: int) -> QuerySet[Decision]:
    return Decision.objects.filter(pk=pk, state=DecisionState.ISSUED).prefetch_related(
        Prefetch("items", queryset=DecisionItem.objects.select_related("application__unit__region"))
    )


def letters_visible_to(user) -> QuerySet[ApprovalLetter]:
    """City staff and administrators see every letter; a unit its own; nobody else any."""
    letters = ApprovalLetter.objects.select_related("application__unit", "decision__batch")
    if is_city_wide(user):
        return letters
    if is_applicant(user) and user.unit_id is not None:
        return letters.filter(application__unit_id=user.unit_id, decision__state=DecisionState.ISSUED)
    return letters.none()


def decisions_readable_by(user) -> QuerySet[Decision]:
    """City staff and administrators read every decision; a unit the issued ones it is on."""
    decisions = Decision.objects.select_related("batch")
    if is_city_wide(user):
        return decisions
    if is_applicant(user) and user.unit_id is not None:
        return decisions.filter(
            state=DecisionState.ISSUED, items__application__unit_id=user.unit_id
        ).distinct()
    return decisions.none()
