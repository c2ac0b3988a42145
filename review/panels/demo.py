"""Demo of the expert review: every batch past county screening is taken into expert review at its
screening deadline, its panel formed (city staff, expert1–expert3 added by hand, two experts drawn at
random), scored through the services at plausible times.

- The batch in expert review today: expert1 has sheets left to score (one draft, the rest waiting)
  before the scoring deadline about a week ahead; expert2 has finished; expert3 recused one
  application, for which a replacement was drawn; the panel is open.
- Earlier batches: every sheet submitted, the panel closed and the shortlist confirmed (the publicity
  stage continues from there).

The expert pool has twelve experts, each with an account ``expert1`` … ``expert12`` (demo password).
"""

import hashlib
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from applications.batches.services import batch_transition
from applications.enums import BatchState
from applications.models import Batch
from shaoxing_bases.accounts.demo import demo_password_hash
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.core.demo import DemoBatchPlan, demo_batch_plans, demo_clock, register_demo

from .enums import RecusalReason, SheetState
from .models import Expert, Panel, ScoreSheet
from .services import (
    panel_close,
    panel_draw,
    panel_member_add,
    panel_open_scoring,
    sheet_declare,
    sheet_recuse,
    sheet_save,
    sheet_submit,
    shortlist_confirm,
)
from .services.sheets import score_field  # noqa: F401  - documented name for the scoring form

STAGES = (BatchState.EXPERT_REVIEW, BatchState.PUBLICITY, BatchState.CONCLUDED)

#: (username, name, employer, title, specialties, county code)
POOL = (
    ("expert1", "王建国", "绍兴职业技术学院", "教授、高级技师", "机械制造、数控技术", "330602"),
    ("expert2", "李秀英", "浙江工业职业技术学院", "副教授", "电气自动化、工业机器人", "330602"),
    ("expert3", "陈志强", "绍兴市技师学院", "高级讲师、高级技师", "焊接技术、机械制造", "330603"),
    ("expert4", "赵红梅", "浙江越秀外国语学院", "副教授", "现代服务业、职业培训管理", "330602"),
    ("expert5", "孙立新", "绍兴市职业技能鉴定指导中心", "高级经济师", "职业技能评价、人力资源", "330602"),
    ("expert6", "周海涛", "浙江轻纺职业技术学院", "教授", "纺织印染、新材料", "330603"),
    ("expert7", "吴雅琴", "绍兴市财政局绩效评价中心", "高级会计师", "财务管理、资金绩效", "330602"),
    ("expert8", "郑国平", "浙江邮电职业技术学院", "副教授、技师", "电子信息、智能制造", "330604"),
    ("expert9", "冯晓东", "诸暨市技工学校", "高级讲师", "五金机械、数控技术", "330681"),
    ("expert10", "何丽华", "嵊州市职业教育中心", "高级讲师", "厨具电器、电气自动化", "330683"),
    ("expert11", "蒋文斌", "绍兴文理学院", "教授", "化工、新材料", "330602"),
    ("expert12", "韩美玲", "新昌县职业技术教育中心", "高级讲师、高级技师", "轴承制造、机械制造", "330624"),
)
COMMENTS = (
    "实训场地和设备条件较好，培训规模超过办法要求，校企合作紧密，建议支持。",
    "各项指标符合要求，高技能人才培训特色明显，师资结构有待进一步优化。",
    "培训评价规模较大，面向社会开展培训成效显著，建设方案较为可行。",
)


def _pool() -> list[Expert]:
    """The twelve demo experts with their accounts (expert1–3 exist as demo accounts already)."""
    regions = {region.code: region for region in Region.objects.all()}
    experts: list[Expert] = []
    for username, name, employer, title, specialties, county in POOL:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User.objects.create(
                username=username,
                role=Role.EXPERT,
                display_name=f"{name}（评审专家）",
                email=f"{username}@demo.sx.example.cn",
                password=demo_password_hash(),
            )
        expert = Expert.objects.filter(user=user).first() or Expert.objects.create(
            name=name,
            employer=employer,
            title=title,
            specialties=specialties,
            region=regions.get(county),
            phone=f"1385751{len(experts):04d}",
            user=user,
        )
        experts.append(expert)
    return experts


def _user_of(sheet: ScoreSheet) -> User:
    """The account of the sheet's expert (every demo expert has one)."""
    expert = sheet.member.expert
    if expert is None or expert.user is None:
        raise LookupError(f"sheet {sheet.pk} has no expert account")
    return expert.user


def _noise(*parts: object) -> Decimal:
    """A deterministic number in [-1, 1) from the parts (the demo's scores are the same every run)."""
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).digest()
    return Decimal(int.from_bytes(digest[:4], "big") % 2000 - 1000) / Decimal(1000)


def _points(sheet: ScoreSheet) -> dict[int, Decimal | None]:
    """Plausible points: a quality per application (from its training scale) and a little spread per
    expert; expert2 is harsh on some applications, so the ranking shows a dispersion flag."""
    application = sheet.application
    quality = Decimal("0.70") + Decimal(min(application.annual_trainees or 0, 3000)) / Decimal(15000)
    quality += _noise(application.pk) * Decimal("0.06")
    harsh = _user_of(sheet).username == "expert2" and application.pk % 4 == 0
    points: dict[int, Decimal | None] = {}
    for indicator in sheet.panel.indicators.all():
        share = quality + _noise(application.pk, sheet.member_id, indicator.pk) * Decimal("0.08")
        if harsh:
            share -= Decimal("0.30")
        share = min(max(share, Decimal("0.2")), Decimal(1))
        # Whole and half points, as experts score.
        halves = (indicator.max_points * share * 2).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        points[indicator.pk] = halves / 2
    return points


def _score(sheet: ScoreSheet, plan: DemoBatchPlan, day: float, hour: int, *, submit: bool = True) -> None:
    user = _user_of(sheet)
    with demo_clock(plan.at(day, hour=hour)):
        sheet = sheet_declare(
            sheet=sheet, actor=user, statements={"no_employment", "no_board", "no_relative"}
        )
    with demo_clock(plan.at(day, hour=hour) + timedelta(minutes=40)):
        comment = COMMENTS[sheet.application_id % len(COMMENTS)]
        service = sheet_submit if submit else sheet_save
        service(sheet=sheet, actor=user, points=_points(sheet), comment=comment)


def _form_panel(batch: Batch, plan: DemoBatchPlan, pool: list[Expert]) -> Panel:
    city_hrss = User.objects.get(username="city_hrss")
    city_finance = User.objects.get(username="city_finance")
    review_day = (plan.screening_deadline - plan.opens_at).days
    if batch.state == BatchState.SCREENING:
        with demo_clock(plan.screening_deadline):
            # What the minute sweep does at the screening deadline (actor None: the system).
            batch = batch_transition(batch=batch, actor=None, name="start_expert_review")
    panel = Panel.objects.select_related("batch").get(batch=batch)
    with demo_clock(plan.at(review_day + 1, hour=10)):
        panel_member_add(panel=panel, actor=city_hrss, user=city_hrss)
        panel_member_add(panel=panel, actor=city_hrss, user=city_finance)
        for expert in pool[:3]:
            panel_member_add(panel=panel, actor=city_hrss, expert=expert)
        panel_draw(panel=panel, actor=city_hrss, count=2)
    with demo_clock(plan.at(review_day + 2, hour=9)):
        panel_open_scoring(panel=panel, actor=city_hrss)
    return panel


def _sheets(panel: Panel, username: str) -> list[ScoreSheet]:
    return list(
        ScoreSheet.objects.filter(
            panel=panel, member__expert__user__username=username, state=SheetState.ASSIGNED
        )
        .select_related("panel__batch", "member__expert__user", "application__unit")
        .order_by("application__unit__name", "pk")
    )


def _open_sheets(panel: Panel, exclude: tuple[str, ...] = ()) -> list[ScoreSheet]:
    return list(
        ScoreSheet.objects.filter(panel=panel, state=SheetState.ASSIGNED)
        .exclude(member__expert__user__username__in=exclude)
        .select_related("panel__batch", "member__expert__user", "application__unit")
        .order_by("member__added_at", "application__unit__name", "pk")
    )


def _review(batch: Batch, plan: DemoBatchPlan, pool: list[Expert]) -> Panel:
    panel = _form_panel(batch, plan, pool)
    day = (plan.screening_deadline - plan.opens_at).days + 3
    today = plan.stage == BatchState.EXPERT_REVIEW
    # expert3 worked for one unit until last year: recuses; a replacement is drawn for it.
    expert3 = _sheets(panel, "expert3")
    if expert3:
        with demo_clock(plan.at(day, hour=8)):
            sheet_recuse(
                sheet=expert3[0],
                actor=_user_of(expert3[0]),
                reason=RecusalReason.EMPLOYMENT,
                note="本人2024年前在该单位兼职授课。",
            )
    if today:
        # expert1 has scored two, left one as a draft and not started the rest.
        for index, sheet in enumerate(_sheets(panel, "expert1")[:3]):
            _score(sheet, plan, day + index * 0.5, hour=14, submit=index < 2)
        for offset, sheet in enumerate(_open_sheets(panel, exclude=("expert1",))):
            _score(sheet, plan, day + 1 + offset // 8, hour=9 + offset % 8)
        return panel
    for offset, sheet in enumerate(_open_sheets(panel)):
        _score(sheet, plan, day + offset // 8, hour=9 + offset % 8)
    scoring_end = (plan.scoring_deadline - plan.opens_at).days
    city_hrss = User.objects.get(username="city_hrss")
    with demo_clock(plan.at(scoring_end - 1, hour=10)):
        panel_close(panel=panel, actor=city_hrss)
    with demo_clock(plan.at(scoring_end - 1, hour=15)):
        shortlist_confirm(
            panel=panel,
            actor=city_hrss,
            comment="经评审组评审，同意按得分高低提出的初选单位名单，报局务会议审定后公示。",
        )
    return panel


@register_demo("panels", order=30)
@transaction.atomic
def seed_demo_panels() -> list[str]:
    lines = []
    pool = None
    for plan in demo_batch_plans():
        if plan.stage not in STAGES:
            continue
        batch = Batch.objects.filter(year=plan.year).first()
        if batch is None or Panel.objects.filter(batch=batch).exclude(members=None).exists():
            continue  # not seeded by the earlier stages, or reviewed by an earlier run
        if batch.state not in (BatchState.SCREENING, BatchState.EXPERT_REVIEW):
            continue
        pool = pool or _pool()
        panel = _review(batch, plan, pool)
        panel.refresh_from_db()
        lines.append(f"专家评审：{batch.title}（评审组{panel.get_state_display()}）")
    return lines
