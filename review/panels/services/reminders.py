"""Reminders to experts 2 days and 1 day before the scoring deadline (minute sweep)."""

import logging
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.notifications.services import notify

from ..enums import PanelState, ReminderKind, SheetState
from ..models import Panel, PanelMember, ScoreSheet, ScoringReminder
from ._common import local

logger = logging.getLogger(__name__)

#: How long before the scoring deadline each reminder goes out, most urgent first.
REMINDER_LEAD = ((ReminderKind.ONE_DAY, timedelta(days=1)), (ReminderKind.TWO_DAYS, timedelta(days=2)))


def _due(deadline: datetime, now: datetime) -> str | None:
    remaining = deadline - now
    if remaining.total_seconds() <= 0:
        return None
    for kind, lead in REMINDER_LEAD:
        if remaining <= lead:
            return kind
    return None


def scoring_reminders_sweep(now: datetime | None = None) -> int:
    """Remind every expert with open sheets, once per kind (the unique ``ScoringReminder`` row is
    written in the same transaction as the message, so a second or concurrent sweep sends nothing).
    When the sweep ran late and both are due, only the more urgent one goes out. Returns how many."""
    now = now or timezone.now()
    sent = 0
    panels = Panel.objects.filter(
        state=PanelState.SCORING,
        batch__scoring_deadline__gt=now,
        batch__scoring_deadline__lte=now + REMINDER_LEAD[-1][1],
    ).select_related("batch")
    for panel in panels:
        kind = _due(panel.batch.scoring_deadline, now)
        if kind is None:
            continue
        owing = (
            ScoreSheet.objects.filter(panel=panel, state__in=SheetState.open())
            .values_list("member_id")
            .distinct()
        )
        for member in PanelMember.objects.filter(pk__in=owing).select_related("expert__user"):
            sent += _remind(panel, member, kind)
    return sent


def _remind(panel: Panel, member: PanelMember, kind: str) -> int:
    user = member.expert.user if member.expert else None
    if user is None or not user.is_active:
        return 0
    open_count = ScoreSheet.objects.filter(panel=panel, member=member, state__in=SheetState.open()).count()
    try:
        with transaction.atomic():
            if ScoringReminder.objects.filter(panel=panel, member=member, kind=kind).exists():
                return 0
            reminder = ScoringReminder.objects.create(panel=panel, member=member, kind=kind)
            audit_event(
                actor=None,
                summary=f"发送评分截止提醒（{reminder.get_kind_display()}）",
                obj=panel,
                detail={"expert": member.expert_id, "open_sheets": open_count},
            )
            days = "1" if kind == ReminderKind.ONE_DAY else "2"
            notify(
                recipients=[user],
                title=f"{panel.batch.year}年度实训基地专家评审将于{days}天内截止",
                body=(
                    f"评审截止时间：{local(panel.batch.scoring_deadline)}。"
                    f"您还有 {open_count} 份评分表未提交。"
                ),
                url=reverse("review:my_sheets"),
            )
    except IntegrityError:  # a concurrent sweep wrote the row first: it sends, we do not
        return 0
    return 1
