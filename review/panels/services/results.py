"""The end of the expert review: closing the panel, and city HRSS confirming the shortlist (初选名单),
which moves the applications to ``shortlisted`` / ``not_selected`` and freezes the ranking for the
publicity stage. The units are told only when the result is published (公示), not here.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from applications.enums import ApplicationState
from applications.models import Application
from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from ..enums import MemberKind, PanelState, SheetState
from ..models import COMMENT_MAX_LENGTH, Panel, RankingEntry, ScoreSheet
from ..selectors import panel_ranking
from ._common import lock_panel
from .forming import _transition

NAMES_SHOWN = 5


def _open_sheets_problem(panel: Panel) -> str:
    open_sheets = ScoreSheet.objects.filter(panel=panel, state__in=SheetState.open())
    count = open_sheets.count()
    if not count:
        return ""
    names = sorted(set(open_sheets.values_list("member__expert__name", flat=True)))
    shown = "、".join(names[:NAMES_SHOWN]) + ("等" if len(names) > NAMES_SHOWN else "")
    return f"还有 {count} 份评分表未提交（{shown}），全部提交后才能结束评审。"


@transaction.atomic
def panel_close(*, panel: Panel, actor: User, now: datetime | None = None) -> Panel:
    """评审结束: every sheet is submitted or recused. Scores become visible to the panel. Side effects:
    the transition log, an audit entry, the experts told that the ranking is open to them."""
    require_perm(actor, "review.manage_panel")
    panel = lock_panel(panel)
    if panel.state == PanelState.SCORING and (problem := _open_sheets_problem(panel)):
        raise ValidationError(problem)
    _transition(panel, actor, "close", "结束专家评审")
    experts = [
        member.expert.user
        for member in panel.members.filter(kind=MemberKind.EXPERT).select_related("expert__user")
        if member.expert and member.expert.user
    ]
    if experts:
        notify(
            recipients=experts,
            title=f"{panel.batch.year}年度实训基地专家评审已结束",
            body="评审组全部评分表已提交，可查看评审排名。",
            url=reverse("review:ranking", args=[panel.pk]),
        )
    return panel


@transaction.atomic
def shortlist_confirm(*, panel: Panel, actor: User, comment: str, now: datetime | None = None) -> Panel:
    """确认初选名单: the proposed shortlist (top ``quota`` with a score ≥ the pass mark, or ≥ 2/3 of
    the votes) becomes the batch's shortlist.

    Refused while sheets are outstanding or the panel has not closed; a second confirmation gets
    AlreadyHandled. Side effects: the frozen ranking (``RankingEntry``), each application moved to
    ``shortlisted`` or ``not_selected`` (transition log), the transition log of the panel, an audit
    entry. Units are not told here: they hear of the result when it is published.
    """
    require_perm(actor, "review.confirm_shortlist", panel)
    panel = lock_panel(panel)
    comment = (comment or "").strip()
    if panel.state == PanelState.CONFIRMED:
        raise AlreadyHandled("初选名单已确认，不能重复确认。")
    if panel.state in (PanelState.FORMING, PanelState.SCORING):
        problem = _open_sheets_problem(panel) if panel.state == PanelState.SCORING else ""
        raise ValidationError(
            {
                "comment": problem.replace("结束评审", "确认初选名单")
                or "评审尚未结束，结束评审后才能确认初选名单。"
            }
        )
    if not comment:
        raise ValidationError({"comment": "请填写确认意见。"})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": f"确认意见不能超过 {COMMENT_MAX_LENGTH} 字。"})
    ranking = panel_ranking(panel)
    locked = {
        application.pk: application
        for application in Application.objects.select_for_update(of=("self",)).filter(
            pk__in=[row.application.pk for row in ranking]
        )
    }
    shortlisted = []
    for row in ranking:
        application = locked[row.application.pk]
        if application.state != ApplicationState.UNDER_REVIEW:
            raise AlreadyHandled(
                f"{row.application.unit.name}的申报状态已变为“{application.get_state_display()}”，请刷新后重试。"
            )
        if row.proposed:
            application.shortlist(by=actor, description=f"评审排名第 {row.position} 名，列入初选名单")
            shortlisted.append(row.application.unit.name)
        else:
            application.not_select(by=actor, description=f"评审排名第 {row.position} 名，未入选")
        application.save()
    RankingEntry.objects.bulk_create(
        RankingEntry(
            panel=panel,
            application_id=row.application.pk,
            position=row.position,
            final_score=row.score,
            votes_for=row.votes_for if panel.votes else None,
            votes_cast=row.votes_cast if panel.votes else None,
            shortlisted=row.proposed,
        )
        for row in ranking
    )
    _transition(panel, actor, "confirm", "确认初选名单", comment)
    audit_event(
        actor=actor,
        summary="初选名单确认结果",
        obj=panel,
        detail={
            "shortlisted": shortlisted,
            "ranked": len(ranking),
            "quota": panel.batch.quota,
            "pass_mark": str(panel.batch.pass_mark),
        },
    )
    return panel
