"""Read queries of the expert review, scoped to the user and free of N+1; the ranking in one pass.

``confirmed_shortlist(batch)`` is the read the publicity stage builds on.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from django.db.models import Case, Count, IntegerField, Max, Min, Q, QuerySet, Sum, Value, When

from applications.models import Application, Batch
from shaoxing_bases.accounts.rules import is_city_wide, is_expert

from ..scoring import (
    DISPERSION_LIMIT,
    RankEntry,
    final_score_from_sums,
    proposed_shortlist,
    rank,
    vote_carries,
)
from . import draws as draw_math
from .enums import MemberKind, PanelState, SheetState, Vote
from .models import Draw, Expert, Panel, PanelMember, RankingEntry, ScoreSheet

# --- the pool ------------------------------------------------------------------------------------


def experts_list(query: str = "", specialty: str = "") -> QuerySet[Expert]:
    experts = Expert.objects.select_related("region", "user").order_by("-active", "name", "pk")
    if query:
        experts = experts.filter(Q(name__contains=query) | Q(employer__contains=query))
    if specialty:
        experts = experts.filter(specialties__contains=specialty)
    return experts


# --- panels --------------------------------------------------------------------------------------


def panels_visible_to(user) -> QuerySet[Panel]:
    """City staff and administrators see every panel; experts the panels they sit on."""
    panels = Panel.objects.select_related("batch", "confirmed_by")
    if is_city_wide(user):
        return panels
    if is_expert(user):
        return panels.filter(members__expert__user=user).distinct()
    return panels.none()


def panel_members(panel: Panel) -> list[PanelMember]:
    return list(
        panel.members.select_related(
            "expert__region", "user", "draw", "for_application__unit", "added_by"
        ).order_by("kind", "added_at", "pk")
    )


@dataclass(frozen=True)
class DrawRow:
    draw: Draw
    replays: bool
    names: list[str]


def panel_draws(panel: Panel) -> list[DrawRow]:
    """Every draw with its replay check (recomputed from the recorded seed and pool) and who came out."""
    records = list(panel.draws.select_related("drawn_by", "for_application__unit").order_by("drawn_at", "pk"))
    ids = {expert_id for record in records for expert_id in record.drawn}
    names = dict(Expert.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [
        DrawRow(
            draw=record,
            replays=draw_math.replays(record.seed, record.pool, record.requested, record.drawn),
            names=[names.get(expert_id, f"#{expert_id}") for expert_id in record.drawn],
        )
        for record in records
    ]


def declarations(panel: Panel) -> QuerySet[ScoreSheet]:
    """Every declaration and recusal of the panel, for the auditors."""
    return (
        ScoreSheet.objects.filter(panel=panel)
        .exclude(state=SheetState.ASSIGNED)
        .filter(Q(declared_at__isnull=False) | Q(recused_at__isnull=False))
        .select_related("member__expert", "application__unit")
        .order_by("application__unit__name", "member__expert__name")
    )


# --- the expert's sheets -------------------------------------------------------------------------


def sheets_of(user) -> QuerySet[ScoreSheet]:
    """The sheets assigned to this expert — not those the system recused (the same employer: the
    expert never sees that application)."""
    return (
        ScoreSheet.objects.filter(member__expert__user=user)
        .exclude(recusal_reason="same_employer")
        .select_related("panel__batch", "member__expert", "application__unit__region", "application__batch")
    )


def my_sheets(user) -> QuerySet[ScoreSheet]:
    """The expert's sheets of panels that are scoring or finished, open ones first, by deadline
    (ordered in SQL, so that the page and the dashboard read only the rows they show)."""
    return (
        sheets_of(user)
        .filter(panel__state__in=[PanelState.SCORING, *PanelState.finished()])
        .annotate(
            done=Case(
                When(state__in=SheetState.open(), then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("done", "panel__batch__scoring_deadline", "application__unit__name", "pk")
    )


# --- progress ------------------------------------------------------------------------------------


@dataclass
class ProgressRow:
    application: Application
    cells: list[ScoreSheet | None]

    @property
    def submitted(self) -> int:
        return sum(1 for cell in self.cells if cell is not None and cell.state == SheetState.SUBMITTED)


def progress_grid(panel: Panel) -> tuple[list[PanelMember], list[ProgressRow], dict[str, int]]:
    """Experts × applications with each sheet's state (None: not assigned). Three queries."""
    experts = list(
        panel.members.filter(kind=MemberKind.EXPERT)
        .select_related("expert")
        .order_by("for_application", "added_at", "pk")
    )
    sheets = list(
        ScoreSheet.objects.filter(panel=panel).only(
            "pk", "state", "member_id", "application_id", "saved_at", "submitted_at", "recusal_reason"
        )
    )
    by_cell = {(sheet.application_id, sheet.member_id): sheet for sheet in sheets}
    applications = Application.objects.filter(
        pk__in={sheet.application_id for sheet in sheets}
    ).select_related("unit")
    rows = [
        ProgressRow(application, [by_cell.get((application.pk, member.pk)) for member in experts])
        for application in applications.order_by("unit__name", "pk")
    ]
    counts: dict[str, int] = defaultdict(int)
    for sheet in sheets:
        counts[sheet.state] += 1
    return experts, rows, dict(counts)


def open_sheet_count(panel: Panel) -> int:
    return ScoreSheet.objects.filter(panel=panel, state__in=SheetState.open()).count()


# --- the ranking ---------------------------------------------------------------------------------


@dataclass
class SheetCell:
    member_id: int
    total: Decimal | None
    vote: str
    dispersed: bool = False
    recused: bool = False

    @property
    def vote_label(self) -> str:
        return Vote(self.vote).label if self.vote else ""


@dataclass
class RankingRow:
    application: "RankedApplication"
    position: int = 0
    score: Decimal | None = None
    votes_for: int = 0
    votes_cast: int = 0
    training_scale: Decimal = Decimal(0)
    submitted_count: int = 0
    recused_count: int = 0
    mean: Decimal | None = None
    #: Each expert's sheet (member id → cell), loaded with ``with_sheets``.
    cells: dict[int, SheetCell] = field(default_factory=dict)
    proposed: bool = False

    @property
    def dispersed_count(self) -> int:
        return sum(1 for cell in self.cells.values() if cell.dispersed)

    @property
    def flags(self) -> list[str]:
        flags = []
        if self.dispersed_count:
            flags.append(f"评分离散 {self.dispersed_count} 份（与平均分相差超过15分）")
        if self.recused_count:
            flags.append(f"回避 {self.recused_count} 人")
        if self.score is None and not self.votes_cast:
            flags.append("无有效评分")
        return flags


@dataclass(frozen=True)
class RankedRegion:
    name: str

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class RankedUnit:
    name: str
    credit_code: str
    region: RankedRegion

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class RankedApplication:
    """What the ranking shows of an application, read as plain values (no model per row)."""

    pk: int
    unit: RankedUnit
    submitted_at: datetime | None
    first_submitted_at: datetime | None


def _ranked_applications(batch_id: int, ids) -> list[RankedApplication]:
    """The batch's applications among ``ids`` (filtered by batch in SQL: cheaper than a long IN list)."""
    rows = Application.objects.filter(batch_id=batch_id).values_list(
        "pk", "unit__name", "unit__credit_code", "unit__region__name", "submitted_at", "first_submitted_at"
    )
    return [
        RankedApplication(pk, RankedUnit(name, code, RankedRegion(region)), submitted, first)
        for pk, name, code, region, submitted, first in rows
        if pk in ids
    ]


def panel_ranking(panel: Panel, *, with_sheets: bool = False) -> list[RankingRow]:
    """The ranking of ``panel``: final score (trimmed mean, `review.scoring`) or votes, the tie-breaks,
    and the proposed shortlist; with ``with_sheets`` also each expert's total and the dispersion
    flags (for the table, the export and the summary).

    The ranking is computed in the database: one aggregate over the panel's sheets (count, sum,
    lowest and highest total, training-scale sum, votes) gives `final_score_from_sums` all it needs,
    then one pass in memory ranks them — a small multiple of one SQL aggregate over the same rows
    (`make bench`). Two queries, three with the sheets.
    """
    submitted = Q(state=SheetState.SUBMITTED)
    aggregates = (
        ScoreSheet.objects.filter(panel=panel)
        .values("application_id")
        .annotate(
            n=Count("pk", filter=submitted & Q(total__isnull=False)),
            total_sum=Sum("total", filter=submitted),
            lowest=Min("total", filter=submitted),
            highest=Max("total", filter=submitted),
            scale=Sum("training_scale_total", filter=submitted),
            cast=Count("pk", filter=submitted),
            agree=Count("pk", filter=submitted & Q(vote=Vote.AGREE)),
            recused=Count("pk", filter=Q(state=SheetState.RECUSED)),
        )
        .order_by()
        .values_list(
            "application_id", "n", "total_sum", "lowest", "highest", "scale", "cast", "agree", "recused"
        )
    )
    sums = {row[0]: row[1:] for row in aggregates}
    rows: dict[int, RankingRow] = {}
    for application in _ranked_applications(panel.batch_id, sums.keys()):
        n, total_sum, lowest, highest, scale, cast, agree, recused = sums[application.pk]
        row = RankingRow(
            application=application,
            training_scale=scale or Decimal(0),
            submitted_count=cast,
            recused_count=recused,
        )
        if panel.votes:
            row.votes_cast, row.votes_for = cast, agree
        elif n:
            row.score = final_score_from_sums(n, total_sum, lowest, highest)
            row.mean = total_sum / n
        rows[application.pk] = row
    if with_sheets:
        _attach_sheets(panel, rows)
    entries = [
        RankEntry(
            key=pk,
            score=Decimal(row.votes_for)
            if panel.votes
            else (row.score if row.score is not None else Decimal(-1)),
            training_scale=row.training_scale,
            submitted_at=row.application.first_submitted_at or row.application.submitted_at,
        )
        for pk, row in rows.items()
    ]
    ranked_entries = rank(entries)
    ranked = [rows[entry.key] for entry in ranked_entries]
    for position, row in enumerate(ranked, start=1):
        row.position = position
    batch = panel.batch
    if panel.votes:
        proposed = [row for row in ranked if vote_carries(row.votes_for, row.votes_cast)][: batch.quota]
    else:
        scored_entries = [entry for entry in ranked_entries if rows[entry.key].score is not None]
        proposed = [
            rows[entry.key]
            for entry in proposed_shortlist(scored_entries, quota=batch.quota, pass_mark=batch.pass_mark)
        ]
    for row in proposed:
        row.proposed = True
    return ranked


def _attach_sheets(panel: Panel, rows: dict[int, RankingRow]) -> None:
    """Each expert's sheet on its row, and the dispersion flag of each scored sheet."""
    sheets = ScoreSheet.objects.filter(panel=panel).values_list(
        "application_id", "member_id", "state", "total", "vote"
    )
    for application_id, member_id, state, total, vote in sheets:
        row = rows.get(application_id)
        if row is None:
            continue
        if state == SheetState.SUBMITTED:
            cell = SheetCell(member_id, total, vote)
            if total is not None and row.mean is not None:
                cell.dispersed = abs(total - row.mean) > DISPERSION_LIMIT
        else:
            cell = SheetCell(member_id, None, "", recused=state == SheetState.RECUSED)
        row.cells[member_id] = cell


def ranking_experts(panel: Panel) -> list[PanelMember]:
    """The experts in the ranking's columns (every expert member, replacements last)."""
    return list(
        panel.members.filter(kind=MemberKind.EXPERT)
        .select_related("expert")
        .order_by("for_application", "added_at", "pk")
    )


# --- for the next stage --------------------------------------------------------------------------


@dataclass(frozen=True)
class ShortlistEntry:
    application: Application
    position: int
    final_score: Decimal | None
    votes_for: int | None


def confirmed_shortlist(batch: Batch) -> list[ShortlistEntry]:
    """The shortlist city HRSS confirmed for ``batch`` (初选名单), in rank order; [] before that.
    The publicity stage publishes these."""
    entries = (
        RankingEntry.objects.filter(panel__batch=batch, panel__state=PanelState.CONFIRMED, shortlisted=True)
        .select_related("application__unit__region", "application__batch")
        .order_by("position")
    )
    return [
        ShortlistEntry(entry.application, entry.position, entry.final_score, entry.votes_for)
        for entry in entries
    ]


def confirmed_ranking(panel: Panel) -> QuerySet[RankingEntry]:
    return (
        RankingEntry.objects.filter(panel=panel)
        .select_related("application__unit__region")
        .order_by("position")
    )


# --- dashboards ----------------------------------------------------------------------------------


def sheet_counts(panel: Panel) -> dict[str, int]:
    return dict(
        ScoreSheet.objects.filter(panel=panel).values_list("state").annotate(n=Count("pk")).order_by()
    )


def latest_panel() -> Panel | None:
    return Panel.objects.select_related("batch").order_by("-batch__year").first()
