"""The django-fsm-log history of any workflow object (batch, application, recommendation) as a timeline.

Every page that shows 办理记录 builds its entries here and renders them with
``templates/components/timeline.html``: one query for the whole history, whatever its length.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model
from django_fsm_log.models import StateLog

SYSTEM_ACTOR = "系统（按截止时间自动处理）"


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    actor: str  # empty when nobody is named (e.g. a batch's creation)
    actor_role: str
    source: str  # empty for the opening entry
    target: str
    description: str
    action: str = ""  # the transition's name in words, where a page shows it (the batch page)


def role_of(user) -> str:
    """ "越城区人力社保局" for county staff, the role's name for everyone else."""
    if user.region_id:
        return user.role_label.replace("区县", str(user.region))
    return user.role_label


def transition_timeline(
    obj: Model,
    state_labels: Mapping[str, str],
    *,
    opening: TimelineEntry | None = None,
    transition_labels: Mapping[str, str] | None = None,
    system_actor: str = SYSTEM_ACTOR,
) -> list[TimelineEntry]:
    """``opening`` (when given), then every logged transition of ``obj`` in order. One query.

    A transition logged without a user was made by the system (the deadline sweeps): it is shown
    as ``system_actor``. ``transition_labels`` names each transition for pages that show the name.
    """
    entries = [opening] if opening is not None else []
    logs = StateLog.objects.for_(obj).select_related("by", "by__region").order_by("timestamp", "pk")
    for log in logs:
        actor = log.by
        entries.append(
            TimelineEntry(
                at=log.timestamp,
                actor=str(actor) if actor else system_actor,
                actor_role=role_of(actor) if actor else "",
                source=state_labels.get(log.source_state, log.source_state or ""),
                target=state_labels.get(log.state, log.state),
                description=log.description or "",
                action=transition_labels.get(log.transition, log.transition) if transition_labels else "",
            )
        )
    return entries
