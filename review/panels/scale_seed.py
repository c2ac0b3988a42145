"""Provincial-scale rows of the expert review for `seed_scale` (bulk inserts, not the services: the
dataset is for the benchmark, the demo is what goes through the services).

A panel per batch (nine experts, ``expert1`` … ``expert9``, plus city staff), a ten-indicator rubric,
and every handed-in application of the batch scored by all nine until about 90,000 scores exist at
factor 1.0 — 1,000 applications × 9 experts × 10 indicators. The newest batch's panel is scoring
(``expert1`` still has sheets open); the others are closed, so their ranking tables have rows.
"""

import hashlib
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application, Batch
from shaoxing_bases.accounts.demo import demo_password_hash
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import User
from shaoxing_bases.core.scale import demo_batch_years

from .enums import MemberKind, PanelState, SheetState
from .models import Expert, Panel, PanelMember, RubricIndicator, Score, ScoreSheet
from .rubric import DEFAULT_RUBRIC

SCORES_AT_FULL_SCALE = 90_000
EXPERTS = 9
CHUNK = 10_000
#: The default rubric split to ten indicators (two of its ten-point ones halved, two five-point ones
#: added), as in the benchmark's figure of 10 indicators.
EXTRA = (("demonstration", "示范引领与辐射带动", Decimal(5)), ("digital", "信息化与数字化建设", Decimal(5)))
HALVED = ("management", "industry_fit")


def _noise(*parts: object) -> Decimal:
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big") % 1000) / Decimal(1000)


def _experts() -> list[Expert]:
    experts = []
    for number in range(1, EXPERTS + 1):
        username = f"expert{number}"
        user = User.objects.filter(username=username).first() or User.objects.create(
            username=username,
            role=Role.EXPERT,
            display_name=f"评审专家{number}",
            password=demo_password_hash(),
        )
        expert = Expert.objects.filter(user=user).first() or Expert.objects.create(
            name=user.display_name or username,
            employer="绍兴市技师学院",
            title="高级讲师",
            specialties="机械制造",
            user=user,
        )
        experts.append(expert)
    return experts


def _rubric(panel: Panel) -> list[RubricIndicator]:
    rows = [
        RubricIndicator(
            panel=panel,
            order=order,
            key=item.key,
            name=item.name,
            clauses=item.clauses,
            max_points=item.max_points / 2 if item.key in HALVED else item.max_points,
            guidance=item.guidance,
            evidence_sections=list(item.evidence_sections),
            training_scale=item.training_scale,
        )
        for order, item in enumerate(DEFAULT_RUBRIC, start=1)
    ]
    rows += [
        RubricIndicator(
            panel=panel, order=len(rows) + index, key=key, name=name, clauses="2", max_points=points
        )
        for index, (key, name, points) in enumerate(EXTRA, start=1)
    ]
    return RubricIndicator.objects.bulk_create(rows)


@transaction.atomic
def _panel_for(batch: Batch, experts: list[Expert], applications: list[Application], *, scoring: bool) -> int:
    panel = Panel.objects.create(batch=batch)
    indicators = _rubric(panel)
    members = PanelMember.objects.bulk_create(
        PanelMember(panel=panel, kind=MemberKind.EXPERT, expert=expert) for expert in experts
    )
    staff = User.objects.filter(username__in=("city_hrss", "city_finance"))
    PanelMember.objects.bulk_create(
        PanelMember(
            panel=panel,
            kind=MemberKind.CITY_HRSS if user.username == "city_hrss" else MemberKind.CITY_FINANCE,
            user=user,
            manual=True,
        )
        for user in staff
    )
    now = timezone.now()
    sheets = []
    points: list[list[Decimal]] = []
    for application in applications:
        quality = Decimal("0.55") + _noise(application.pk) * Decimal("0.4")
        for member in members:
            # expert1 still has the newest panel's last tenth to score.
            open_sheet = scoring and member.expert_id == experts[0].pk and application.pk % 10 == 0
            row = [
                (
                    indicator.max_points
                    * min(quality + _noise(application.pk, member.pk, indicator.pk) / 10, Decimal(1))
                ).quantize(Decimal("0.5"), rounding=ROUND_HALF_UP)
                for indicator in indicators
            ]
            sheets.append(
                ScoreSheet(
                    panel=panel,
                    member=member,
                    application=application,
                    state=SheetState.DECLARED if open_sheet else SheetState.SUBMITTED,
                    declaration={"statements": ["scale"]},
                    declared_at=now - timedelta(days=3),
                    comment="" if open_sheet else "条件符合要求。",
                    total=None if open_sheet else sum(row, Decimal(0)),
                    training_scale_total=None
                    if open_sheet
                    else sum(
                        (p for p, i in zip(row, indicators, strict=True) if i.training_scale), Decimal(0)
                    ),
                    saved_at=now - timedelta(days=2),
                    submitted_at=None if open_sheet else now - timedelta(days=2),
                )
            )
            points.append(row)
    created = ScoreSheet.objects.bulk_create(sheets, batch_size=CHUNK)
    scores = (
        Score(sheet=sheet, indicator=indicator, points=value)
        for sheet, row in zip(created, points, strict=True)
        for indicator, value in zip(indicators, row, strict=True)
    )
    count = 0
    buffer: list[Score] = []
    for score in scores:
        buffer.append(score)
        if len(buffer) >= CHUNK:
            Score.objects.bulk_create(buffer)
            count += len(buffer)
            buffer = []
    Score.objects.bulk_create(buffer)
    count += len(buffer)
    Panel.objects.filter(pk=panel.pk).update(
        state=PanelState.SCORING if scoring else PanelState.CLOSED,
        opened_at=now - timedelta(days=5),
        closed_at=None if scoring else now - timedelta(days=1),
    )
    return count


def seed_panels(factor: float) -> list[str]:
    """A panel per batch without one, newest first, until ~90,000 × ``factor`` scores exist."""
    budget = int(SCORES_AT_FULL_SCALE * factor)
    per_sheet = len(DEFAULT_RUBRIC) + len(EXTRA)
    experts = _experts()
    lines = []
    newest = True
    for batch in Batch.objects.filter(year__in=demo_batch_years()).order_by("-year"):
        if budget < per_sheet * EXPERTS:
            break
        if Panel.objects.filter(batch=batch).exists():
            newest = False
            continue
        applications = list(
            Application.objects.filter(batch=batch, state__in=ApplicationState.visible_to_county()).order_by(
                "pk"
            )[: budget // (per_sheet * EXPERTS)]
        )
        if not applications:
            continue
        count = _panel_for(batch, experts, applications, scoring=newest)
        newest = False
        budget -= count
        lines.append(f"评审组：{batch.title}，{len(applications)} 个申报 × {EXPERTS} 名专家，{count} 项评分")
    return lines
