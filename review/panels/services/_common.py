"""Locks, lookups and wording shared by the expert review services."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from shaoxing_bases.core.exceptions import AlreadyHandled

from ..models import Panel, ScoreSheet


def local(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def lock_panel(panel: Panel) -> Panel:
    """The panel row under lock (only its row), with its batch."""
    try:
        return Panel.objects.select_for_update(of=("self",)).select_related("batch").get(pk=panel.pk)
    except Panel.DoesNotExist:
        raise AlreadyHandled("该评审组已不存在。") from None


def lock_sheet(sheet: ScoreSheet) -> ScoreSheet:
    """The sheet row under lock, with what its checks read (panel, batch, member, application)."""
    try:
        return (
            ScoreSheet.objects.select_for_update(of=("self",))
            .select_related("panel__batch", "member__expert", "application__unit")
            .get(pk=sheet.pk)
        )
    except ScoreSheet.DoesNotExist:
        raise AlreadyHandled("该评分表已不存在。") from None


def panel_url(panel: Panel) -> str:
    return reverse("review:panel", args=[panel.pk])


def scoring_closed_reason(panel: Panel, now: datetime | None = None) -> str:
    """Why no sheet of ``panel`` may change now ("" while scoring is open). The clock in the request
    decides: at the deadline itself scoring has closed."""
    now = now or timezone.now()
    if panel.state != "scoring":
        return f"评审组当前状态为“{panel.get_state_display()}”，不能评分。"
    if now >= panel.batch.scoring_deadline:
        return f"专家评审已于{local(panel.batch.scoring_deadline)}截止，不能再修改或提交评分。"
    return ""
