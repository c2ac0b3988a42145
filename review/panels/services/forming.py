"""Forming the panel (组建评审组, clause 4.2): the random draw, manual additions, the review mode, the
rubric, and opening the scoring — which assigns the sheets, recuses same-employer experts and draws
their replacements.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from applications.enums import ApplicationState
from applications.models import Application
from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.rules import is_city_finance, is_city_hrss
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from .. import draws
from ..enums import DrawPurpose, MemberKind, PanelState, RecusalReason, ReviewMode
from ..models import Draw, Expert, Panel, PanelMember, RubricIndicator, ScoreSheet
from ..rubric import DEFAULT_RUBRIC
from ._common import local, lock_panel

#: An expert panel scores with at least this many experts (five or more: the trimmed mean applies).
MIN_EXPERTS = 3
MAX_DRAW = 30


def _ensure_forming(panel: Panel) -> None:
    if panel.state != PanelState.FORMING:
        raise AlreadyHandled(
            f"评审组当前状态为“{panel.get_state_display()}”，评审组成员、评审方式和评分细则已锁定，不能修改。"
        )


def default_rubric(panel: Panel) -> list[RubricIndicator]:
    """The default 100-point rubric for a new panel (no permission: part of creating the panel)."""
    return RubricIndicator.objects.bulk_create(
        RubricIndicator(
            panel=panel,
            order=order,
            key=item.key,
            name=item.name,
            clauses=item.clauses,
            max_points=item.max_points,
            guidance=item.guidance,
            evidence_sections=list(item.evidence_sections),
            training_scale=item.training_scale,
        )
        for order, item in enumerate(DEFAULT_RUBRIC, start=1)
    )


# --- the pool and the draw -----------------------------------------------------------------------


def drawable_experts(panel: Panel, specialty: str = "", *, application: Application | None = None):
    """Active experts with an active account who are not on the panel yet, in ``specialty`` when one
    is given, and (for a replacement) not employed by the application's unit."""
    pool = Expert.objects.filter(active=True, user__isnull=False, user__is_active=True).exclude(
        memberships__panel=panel
    )
    if specialty:
        pool = pool.filter(specialties__contains=specialty)
    if application is not None:
        pool = pool.exclude(employer_credit_code=application.unit.credit_code)
    return pool


def _draw(
    panel: Panel,
    *,
    actor: User | None,
    specialty: str,
    count: int,
    purpose: str,
    application: Application | None = None,
) -> tuple[Draw, list[PanelMember]]:
    pool = sorted(drawable_experts(panel, specialty, application=application).values_list("pk", flat=True))
    seed = draws.new_seed()
    drawn = draws.draw(seed, pool, count)
    record = Draw.objects.create(
        panel=panel,
        purpose=purpose,
        specialty=specialty,
        requested=count,
        seed=seed,
        pool=pool,
        drawn=drawn,
        for_application=application,
        drawn_by=actor,
    )
    members = [
        PanelMember.objects.create(
            panel=panel,
            kind=MemberKind.EXPERT,
            expert_id=expert_id,
            draw=record,
            for_application=application,
            added_by=actor,
        )
        for expert_id in drawn
    ]
    return record, members


@transaction.atomic
def panel_draw(*, panel: Panel, actor: User, specialty: str = "", count: int) -> Draw:
    """随机抽取: draw ``count`` experts of ``specialty`` (all when blank) from the pool onto the panel.

    The seed, the pool (expert ids) and the result are recorded so that the draw can be replayed.
    Raises ValidationError by field for a bad count or an empty pool. Side effects: the draw, the
    members, an audit entry.
    """
    require_perm(actor, "review.manage_panel")
    panel = lock_panel(panel)
    _ensure_forming(panel)
    specialty = (specialty or "").strip()[:50]
    if not 1 <= count <= MAX_DRAW:
        raise ValidationError({"count": f"抽取人数应为 1—{MAX_DRAW} 人。"})
    available = drawable_experts(panel, specialty).count()
    if available == 0:
        where = f"专业领域为“{specialty}”的" if specialty else ""
        raise ValidationError(
            {"specialty": f"专家库中没有可抽取的{where}专家（在库、有登录账号、尚未入组）。"}
        )
    if available < count:
        raise ValidationError({"count": f"符合条件的专家只有 {available} 人，不足 {count} 人。"})
    record, members = _draw(panel, actor=actor, specialty=specialty, count=count, purpose=DrawPurpose.INITIAL)
    audit_event(
        actor=actor,
        summary="随机抽取评审专家",
        obj=panel,
        detail={
            "draw": record.pk,
            "seed": record.seed,
            "specialty": specialty,
            "pool": len(record.pool),
            "drawn": [member.expert_id for member in members],
        },
    )
    return record


@transaction.atomic
def panel_member_add(
    *, panel: Panel, actor: User, expert: Expert | None = None, user: User | None = None
) -> PanelMember:
    """人工添加: an expert from the pool, or a member of city HRSS / city finance staff, marked as
    added by hand. Side effects: the member, an audit entry."""
    require_perm(actor, "review.manage_panel")
    panel = lock_panel(panel)
    _ensure_forming(panel)
    if (expert is None) == (user is None):
        raise ValidationError({"expert": "请选择一名专家或一名工作人员。"})
    if expert is not None:
        if not expert.active or expert.user_id is None:
            raise ValidationError({"expert": "只能添加在库且已关联登录账号的专家。"})
        if PanelMember.objects.filter(panel=panel, expert=expert).exists():
            raise AlreadyHandled(f"{expert.name}已在评审组中。")
        member = PanelMember.objects.create(
            panel=panel, kind=MemberKind.EXPERT, expert=expert, manual=True, added_by=actor
        )
    else:
        if is_city_hrss(user):
            kind = MemberKind.CITY_HRSS
        elif is_city_finance(user):
            kind = MemberKind.CITY_FINANCE
        else:
            raise ValidationError({"user": "评审组工作人员应为市人力社保局或市财政局人员。"})
        if PanelMember.objects.filter(panel=panel, user=user).exists():
            raise AlreadyHandled(f"{user}已在评审组中。")
        member = PanelMember.objects.create(panel=panel, kind=kind, user=user, manual=True, added_by=actor)
    audit_event(
        actor=actor,
        summary="人工添加评审组成员",
        obj=panel,
        detail={"member": member.pk, "kind": member.kind, "name": member.name},
    )
    return member


@transaction.atomic
def panel_member_remove(*, member: PanelMember, actor: User) -> None:
    """Take a member off a panel that is still forming. Side effect: an audit entry (the draw record
    keeps who was drawn)."""
    require_perm(actor, "review.manage_panel")
    panel = lock_panel(member.panel)
    _ensure_forming(panel)
    found = PanelMember.objects.select_related("expert", "user").filter(pk=member.pk, panel=panel).first()
    if found is None:
        raise AlreadyHandled("该成员已移出评审组。")
    audit_event(
        actor=actor, summary="移出评审组成员", obj=panel, detail={"member": found.pk, "name": found.name}
    )
    found.delete()


@transaction.atomic
def panel_set_mode(*, panel: Panel, actor: User, mode: str) -> Panel:
    """评审方式: scores (得分高低) or votes (得票多少), chosen before scoring opens."""
    require_perm(actor, "review.manage_panel")
    panel = lock_panel(panel)
    _ensure_forming(panel)
    if mode not in ReviewMode.values:
        raise ValidationError({"mode": "请选择评审方式。"})
    if panel.mode != mode:
        previous = panel.mode
        panel.mode = mode
        panel.save(update_fields=["mode"])
        audit_event(
            actor=actor, summary="设置评审方式", obj=panel, detail={"mode": mode, "previous": previous}
        )
    return panel


@dataclass(frozen=True)
class IndicatorRow:
    """One row of the rubric as the city typed it (``pk`` None: a new indicator)."""

    pk: int | None
    name: str
    clauses: str
    max_points: Decimal
    guidance: str = ""
    evidence_sections: tuple[str, ...] = ()
    training_scale: bool = False
    delete: bool = False


@transaction.atomic
def rubric_save(*, panel: Panel, actor: User, rows: list[IndicatorRow]) -> list[RubricIndicator]:
    """Replace the panel's rubric with ``rows`` (in that order) while the panel is forming.

    Refused once scoring has opened (the rubric is locked). Raises ValidationError for an empty
    rubric or duplicate names. Side effects: the indicators, an audit entry with the old and new
    rubric.
    """
    require_perm(actor, "review.manage_panel")
    panel = lock_panel(panel)
    _ensure_forming(panel)
    kept = [row for row in rows if not row.delete]
    if not kept:
        raise ValidationError("评分细则至少应有一项评分指标。")
    names = [row.name.strip() for row in kept]
    if len(set(names)) != len(names):
        raise ValidationError("评分指标名称不能重复。")
    existing = {indicator.pk: indicator for indicator in panel.indicators.all()}
    before = [(indicator.name, str(indicator.max_points)) for indicator in existing.values()]
    saved = []
    for order, row in enumerate(kept, start=1):
        indicator = existing.pop(row.pk, None) if row.pk else None
        if indicator is None:
            indicator = RubricIndicator(panel=panel, key=f"item{order}-{timezone.now():%H%M%S%f}"[:40])
        indicator.order = order
        indicator.name = row.name.strip()
        indicator.clauses = row.clauses.strip()
        indicator.max_points = row.max_points
        indicator.guidance = row.guidance.strip()
        indicator.evidence_sections = list(row.evidence_sections)
        indicator.training_scale = row.training_scale
        indicator.full_clean(exclude=["panel", "key"])
        indicator.save()
        saved.append(indicator)
    for indicator in existing.values():  # removed rows (no score exists before scoring opens)
        indicator.delete()
    audit_event(
        actor=actor,
        summary="修改评分细则",
        obj=panel,
        detail={
            "before": before,
            "after": [(indicator.name, str(indicator.max_points)) for indicator in saved],
            "total": str(sum(indicator.max_points for indicator in saved)),
        },
    )
    return saved


# --- opening the scoring -------------------------------------------------------------------------


def panel_open_problems(panel: Panel, now: datetime | None = None) -> list[str]:
    """What keeps the panel from opening, every reason at once (shown beside the disabled button)."""
    now = now or timezone.now()
    problems = []
    experts = panel.members.filter(kind=MemberKind.EXPERT, for_application__isnull=True).count()
    if experts < MIN_EXPERTS:
        problems.append(f"评审组至少应有 {MIN_EXPERTS} 名业务专家（当前 {experts} 名）。")
    staff = set(panel.members.exclude(kind=MemberKind.EXPERT).values_list("kind", flat=True))
    if MemberKind.CITY_HRSS not in staff:
        problems.append("评审组应有市人力社保局人员。")
    if MemberKind.CITY_FINANCE not in staff:
        problems.append("评审组应有市财政局人员（市人力社保局会同市财政局组建评审组）。")
    if panel.mode == ReviewMode.SCORE and not panel.indicators.exists():
        problems.append("评分细则为空。")
    if not Application.objects.filter(batch_id=panel.batch_id, state=ApplicationState.UNDER_REVIEW).exists():
        problems.append("没有进入专家评审的申报（各区县报送的推荐名单中的候选单位）。")
    if now >= panel.batch.scoring_deadline:
        problems.append(
            f"专家评审截止时间（{local(panel.batch.scoring_deadline)}）已过，请先在批次设置中顺延。"
        )
    return problems


def _transition(panel: Panel, actor: User | None, name: str, summary: str, comment: str = "") -> None:
    method = getattr(panel, name)
    if not can_proceed(method):
        raise AlreadyHandled(f"评审组当前状态为“{panel.get_state_display()}”，该操作已处理或不可执行。")
    try:
        method(by=actor, description=comment or summary)
        panel.save()
    except (TransitionNotAllowed, ConcurrentTransition):
        raise AlreadyHandled("评审组已被他人处理，页面已刷新为最新状态。") from None
    audit_event(actor=actor, summary=summary, obj=panel, detail={"state": panel.state, "comment": comment})


def recuse_same_employer(panel: Panel, sheets: list[ScoreSheet]) -> list[ScoreSheet]:
    """The sheets whose expert works for the applicant (same credit code): recused by the system
    before the expert sees anything. Returns them (saved)."""
    recused = []
    for sheet in sheets:
        expert = sheet.member.expert
        code = expert.employer_credit_code if expert else ""
        if expert and code and code == sheet.application.unit.credit_code:
            sheet.recusal_reason = RecusalReason.SAME_EMPLOYER
            sheet.recusal_note = f"专家工作单位（{expert.employer}）与申报单位统一社会信用代码相同。"
            sheet.recuse(by=None, description="系统自动回避：同一单位")
            sheet.save()
            recused.append(sheet)
    return recused


def replace_recused(panel: Panel, sheet: ScoreSheet, actor: User | None) -> ScoreSheet | None:
    """回避替补: draw one expert (same specialty as the panel's first draw) for the application of a
    recused sheet, and give them a sheet. None when the pool has nobody left."""
    first = panel.draws.filter(purpose=DrawPurpose.INITIAL).order_by("pk").first()
    specialty = first.specialty if first else ""
    application = sheet.application
    if not drawable_experts(panel, specialty, application=application).exists():
        specialty = ""  # nobody left in the specialty: draw from the whole pool
    record, members = _draw(
        panel,
        actor=actor,
        specialty=specialty,
        count=1,
        purpose=DrawPurpose.REPLACEMENT,
        application=application,
    )
    if not members:
        audit_event(
            actor=actor,
            summary="回避替补抽取：专家库中已无可替补的专家",
            obj=panel,
            detail={"application": application.pk, "draw": record.pk},
        )
        return None
    replacement = ScoreSheet.objects.create(panel=panel, member=members[0], application=application)
    audit_event(
        actor=actor,
        summary="回避替补抽取评审专家",
        obj=panel,
        detail={
            "application": application.pk,
            "unit": application.unit.name,
            "draw": record.pk,
            "seed": record.seed,
            "expert": members[0].expert_id,
            "replaces": sheet.member.expert_id,
        },
    )
    _tell_expert(replacement.member, panel, "您已被抽取为替补评审专家")
    return replacement


def _tell_expert(member: PanelMember, panel: Panel, title: str) -> None:
    if member.expert and member.expert.user_id:
        notify(
            recipients=[member.expert.user],
            title=f"{panel.batch.year}年度实训基地专家评审：{title}",
            body=f"请在评审截止时间（{local(panel.batch.scoring_deadline)}）前完成回避声明和评分。",
            url=reverse("review:my_sheets"),
        )


@transaction.atomic
def panel_open_scoring(*, panel: Panel, actor: User, now: datetime | None = None) -> Panel:
    """开始评审: lock the rubric and the members, give every expert a sheet for every application under
    review, recuse an expert from their own employer's application (same credit code) and draw a
    replacement for it.

    Refused (every reason at once, ``panel_open_problems``) without enough experts, without city
    HRSS and finance members, with an empty rubric, without applications, or past the scoring
    deadline. Side effects: the transition log, the sheets, automatic recusals and replacement draws,
    audit entries, every expert told.
    """
    require_perm(actor, "review.manage_panel")
    panel = lock_panel(panel)
    if panel.state == PanelState.FORMING:
        problems = panel_open_problems(panel, now)
        if problems:
            raise ValidationError(problems)
    _transition(panel, actor, "open_scoring", "开始专家评审")
    experts = list(
        panel.members.filter(kind=MemberKind.EXPERT, for_application__isnull=True).select_related(
            "expert__user"
        )
    )
    applications = list(
        Application.objects.filter(batch_id=panel.batch_id, state=ApplicationState.UNDER_REVIEW)
        .select_related("unit")
        .order_by("pk")
    )
    sheets = ScoreSheet.objects.bulk_create(
        ScoreSheet(panel=panel, member=member, application=application)
        for member in experts
        for application in applications
    )
    for sheet in recuse_same_employer(panel, sheets):
        audit_event(
            actor=None,
            summary="系统自动回避（同一单位）",
            obj=panel,
            detail={"sheet": sheet.pk, "expert": sheet.member.expert_id, "application": sheet.application_id},
        )
        replace_recused(panel, sheet, actor)
    for member in experts:
        _tell_expert(member, panel, "评审已开始")
    return panel
