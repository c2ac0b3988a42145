"""Use cases of the yearly batch (申报批次): create, change its settings, move it through its stages.

Every change of a batch goes through here — from the portal, from the minute sweep and never from
the Django admin, which shows batches read-only — so that the deadline rules and the audit trail
hold for all of them.
"""

from collections.abc import Callable, Iterable
from datetime import datetime
from itertools import pairwise

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import unit_members_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from ..enums import ApplicationState, BatchState
from ..models import Application, Batch

#: The deadlines in the order the workflow meets them.
DEADLINE_FIELDS = ("opens_at", "submission_deadline", "screening_deadline", "scoring_deadline")
#: Everything the city sets on a batch.
SETTINGS_FIELDS = (
    "year",
    "title",
    "policy_code",
    *DEADLINE_FIELDS,
    "quota",
    "pass_mark",
    "publicity_days",
    "publicity_working_days",
)
#: Once a batch has opened, the deadlines that may still move (later only) in each state: a unit that
#: planned for a published deadline must never find it earlier.
MOVABLE_DEADLINES: dict[str, tuple[str, ...]] = {
    BatchState.OPEN: ("submission_deadline", "screening_deadline", "scoring_deadline"),
    BatchState.SCREENING: ("screening_deadline", "scoring_deadline"),
    BatchState.EXPERT_REVIEW: ("scoring_deadline",),
}
ORDER_MESSAGES = {
    "submission_deadline": "申报截止时间必须晚于开始申报时间。",
    "screening_deadline": "区县初审截止时间必须晚于申报截止时间。",
    "scoring_deadline": "专家评审截止时间必须晚于区县初审截止时间。",
}
DEADLINE_LABELS = {
    "opens_at": "开始申报时间",
    "submission_deadline": "申报截止时间",
    "screening_deadline": "区县初审截止时间",
    "scoring_deadline": "专家评审截止时间",
}

BATCH_TRANSITIONS = {
    "open": "开始申报",
    "close_submissions": "截止申报，进入区县初审",
    "start_expert_review": "进入专家评审",
    "start_publicity": "进入公示",
    "conclude": "结束批次",
}

#: Transitions the clock makes, with the deadline that makes each due. The minute sweep runs them once
#: due, and by hand they may run only then too (the sweep may lag a minute): opening early would show
#: 申报中 while the clock still refuses submissions, and closing a stage early would cut a published
#: window short.
TIMED_TRANSITIONS: dict[str, tuple[str, str]] = {
    "open": (
        "opens_at",
        "尚未到开始申报时间（{when}），届时系统将自动开始申报；如需提前，请先修改开始申报时间。",
    ),
    "close_submissions": (
        "submission_deadline",
        "申报截止时间（{when}）尚未到达，不能提前截止申报。",
    ),
    "start_expert_review": (
        "screening_deadline",
        "区县初审截止时间（{when}）尚未到达，不能提前结束区县初审、进入专家评审。",
    ),
}

#: Timed transitions that may also run before their deadline, once every readiness rule of a later stage
#: says ready (the city opens expert review when every county's list is in, clause 4.2).
EARLY_WHEN_READY = ("start_expert_review",)

#: Rules later stages add to a transition (``applications`` must not import them): each answers the
#: Chinese reasons the transition may not run yet, [] when it may.
Readiness = Callable[[Batch, datetime], list[str]]
_readiness: dict[str, list[Readiness]] = {}
#: What a later stage does in the same transaction when a transition runs (by hand or by the sweep).
_effects: dict[str, list[Callable[..., object]]] = {}

#: The stages a batch shows on its page, and the transition that leaves each.
STAGES = (
    (BatchState.SCREENING, "区县初审", "start_expert_review"),
    (BatchState.EXPERT_REVIEW, "专家评审", "start_publicity"),
    (BatchState.PUBLICITY, "公示", "conclude"),
    (BatchState.CONCLUDED, "发文", ""),
)


def register_transition_readiness(name: str, readiness: Readiness) -> None:
    """Add a rule ``readiness(batch, now) -> [reason, ...]`` to the transition ``name``."""
    rules = _readiness.setdefault(name, [])
    if readiness not in rules:
        rules.append(readiness)


def register_transition_effect(name: str, effect: Callable[..., object]) -> None:
    """Run ``effect(batch=, actor=)`` inside the transaction of every ``name`` transition."""
    effects = _effects.setdefault(name, [])
    if effect not in effects:
        effects.append(effect)


def batch_transition_blockers(batch: Batch, name: str, now: datetime | None = None) -> list[str]:
    """What the later stages say keeps ``name`` from running now ([] when nothing does)."""
    now = now or timezone.now()
    return [reason for readiness in _readiness.get(name, []) for reason in readiness(batch, now)]


#: What the sweep moves on, in workflow order (a batch past several deadlines moves through them all).
SWEPT_TRANSITIONS = (
    (BatchState.DRAFT, "open"),
    (BatchState.OPEN, "close_submissions"),
    (BatchState.SCREENING, "start_expert_review"),
)


def _shanghai(value: datetime) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")


# --- settings ------------------------------------------------------------------------------------


def batch_editable_fields(batch: Batch) -> tuple[str, ...]:
    """What may change now: everything in preparation; afterwards the deadlines still ahead."""
    if batch.pk is None or batch.state == BatchState.DRAFT:
        return SETTINGS_FIELDS
    return MOVABLE_DEADLINES.get(batch.state, ())


def batch_is_editable(batch: Batch) -> bool:
    return bool(batch_editable_fields(batch))


def _deadline_errors(batch: Batch, original: Batch | None, changed: Iterable[str], now: datetime) -> dict:
    """The rules every setting of a batch's deadlines obeys, field by field (Chinese messages)."""
    errors: dict[str, str] = {}
    restricted = original is not None and (
        original.state != BatchState.DRAFT or Application.objects.filter(batch=original).exists()
    )
    for name in changed:
        if name not in DEADLINE_FIELDS:
            continue
        value = getattr(batch, name)
        before = getattr(original, name) if original is not None else None
        if restricted and before is not None and value < before:
            errors[name] = f"批次已开始申报，截止时间只能向后顺延，不能早于原定的{_shanghai(before)}。"
        elif name != "opens_at" and value <= now:
            errors[name] = "截止时间必须晚于当前时间。"
    for earlier, later in pairwise(DEADLINE_FIELDS):
        first, second = getattr(batch, earlier), getattr(batch, later)
        if first is not None and second is not None and second <= first and later not in errors:
            errors[later] = ORDER_MESSAGES[later]
    return errors


def _year_errors(batch: Batch) -> dict:
    if batch.year is not None and Batch.objects.filter(year=batch.year).exclude(pk=batch.pk).exists():
        return {"year": f"{batch.year}年度的申报批次已存在，每个年度只能设立一个批次。"}
    return {}


@transaction.atomic
def batch_create(*, actor: User, data: dict, now: datetime | None = None) -> Batch:
    """Create a batch in preparation (筹备中); the sweep opens it at ``opens_at``.

    Raises ValidationError by field (Chinese). Side effects: the batch, an audit entry.
    """
    require_perm(actor, "applications.manage_batches")
    now = now or timezone.now()
    batch = Batch(**{name: data[name] for name in SETTINGS_FIELDS if name in data})
    errors = {**_year_errors(batch), **_deadline_errors(batch, None, DEADLINE_FIELDS, now)}
    if errors:
        raise ValidationError(errors)
    batch.full_clean(exclude=["state"])  # the state is the FSM's, never set by hand
    batch.save()
    audit_event(
        actor=actor,
        summary="创建申报批次",
        obj=batch,
        detail={"operation": "batch_create", "year": batch.year},
    )
    return batch


@transaction.atomic
def batch_update(*, batch: Batch, actor: User, data: dict, now: datetime | None = None) -> list[str]:
    """Change the settings a batch's state still allows (`batch_editable_fields`); return what changed.

    Deadlines only ever move later once the batch has opened or applications exist. Refused with
    AlreadyHandled when the state no longer allows changes (the sweep moved it meanwhile), with
    ValidationError by field for a bad value. Side effects: the batch row (locked: the sweep must not
    open the batch between the check and the save), an audit entry with every old → new value, and a
    notice to the units with drafts when a deadline they work against moved.
    """
    require_perm(actor, "applications.manage_batches")
    now = now or timezone.now()
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    original = Batch.objects.get(pk=batch.pk)
    editable = batch_editable_fields(batch)
    if not editable:
        raise AlreadyHandled(f"批次已进入“{batch.get_state_display()}”阶段，设置不能再修改。")
    changed = [name for name in editable if name in data and data[name] != getattr(batch, name)]
    if not changed:
        return []
    for name in changed:
        setattr(batch, name, data[name])
    errors = {**_year_errors(batch), **_deadline_errors(batch, original, changed, now)}
    if errors:
        raise ValidationError(errors)
    batch.full_clean(exclude=["state"])
    batch.save(update_fields=changed)
    audit_event(
        actor=actor,
        summary="修改申报批次设置",
        obj=batch,
        detail={
            "operation": "batch_update",
            "changed": changed,
            "changes": {name: [_shown(getattr(original, name)), _shown(data[name])] for name in changed},
        },
    )
    _notify_drafts_of_new_deadline(batch, original, changed)
    return changed


def _shown(value) -> object:
    if isinstance(value, datetime):
        return _shanghai(value)
    return value if isinstance(value, (int, bool, str)) or value is None else str(value)


def _notify_drafts_of_new_deadline(batch: Batch, original: Batch, changed: list[str]) -> None:
    """Units still filling in (or revising) hear of a deadline that moved under them."""
    moved = [name for name in ("submission_deadline", "screening_deadline") if name in changed]
    if not moved:
        return
    states = {"submission_deadline": ApplicationState.DRAFT, "screening_deadline": ApplicationState.RETURNED}
    lines = [
        f"{DEADLINE_LABELS[name]}由 {_shanghai(getattr(original, name))} "
        f"调整为 {_shanghai(getattr(batch, name))}。"
        for name in moved
    ]
    unit_ids = Application.objects.filter(
        batch=batch, state__in=[states[name] for name in moved]
    ).values_list("unit_id", flat=True)
    notify(
        recipients=unit_members_of(unit_ids),
        title=f"{batch.title}的截止时间已调整",
        body="".join(lines),
        url=reverse("applications:my_applications"),
    )


# --- stages --------------------------------------------------------------------------------------


def batch_transition_not_due(batch: Batch, name: str, now: datetime | None = None) -> str:
    """The Chinese reason a transition may not run yet ("" when it may).

    The one time rule of the batch workflow: a timed transition waits for its deadline (expert review
    may start earlier once every county's list is in: `EARLY_WHEN_READY`); any transition waits for
    the readiness rules later stages registered. `batch_transition` enforces it, the batch page uses
    it to decide which buttons to offer and to say what blocks the next stage.
    """
    now = now or timezone.now()
    if name not in TIMED_TRANSITIONS:
        return "；".join(batch_transition_blockers(batch, name, now))
    field, message = TIMED_TRANSITIONS[name]
    due = getattr(batch, field)
    if now >= due:
        return ""
    reason = message.format(when=_shanghai(due))
    if name in EARLY_WHEN_READY and name in _readiness:
        blockers = batch_transition_blockers(batch, name, now)
        if not blockers:
            return ""
        reason += f"（{'；'.join(blockers)}）"
    return reason


@transaction.atomic
def batch_transition(*, batch: Batch, actor: User | None, name: str, now: datetime | None = None) -> Batch:
    """Move a batch on, by hand (city HRSS, admin) or from the sweep (actor None).

    Re-reads the batch under a row lock; raises AlreadyHandled when the state has moved on meanwhile
    or a timed transition is not due yet. Side effects: the transition log, an audit entry.
    """
    if name not in BATCH_TRANSITIONS:
        raise ValueError(name)
    if actor is not None:
        require_perm(actor, "applications.manage_batches")
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    method = getattr(batch, name)
    if not can_proceed(method):
        raise AlreadyHandled(f"批次当前状态为“{batch.get_state_display()}”，不能{BATCH_TRANSITIONS[name]}。")
    if reason := batch_transition_not_due(batch, name, now):
        raise AlreadyHandled(reason)
    method(by=actor)
    batch.save()
    audit_event(
        actor=actor,
        summary=BATCH_TRANSITIONS[name],
        obj=batch,
        detail={"operation": name, "state": batch.state},
    )
    for effect in _effects.get(name, []):
        effect(batch=batch, actor=actor)
    return batch


def batch_stages(batch: Batch, now: datetime | None = None) -> tuple[list[dict], str]:
    """The stages 区县初审 → 专家评审 → 公示 → 发文 with where the batch stands, and what blocks the next."""
    order = [state for state, _label, _next in STAGES]
    current = order.index(batch.state) if batch.state in order else -1
    stages = [
        {"label": label, "status": "done" if index < current else "current" if index == current else "todo"}
        for index, (_state, label, _next) in enumerate(STAGES)
    ]
    blocking = ""
    if current >= 0 and STAGES[current][2]:
        blocking = batch_transition_not_due(batch, STAGES[current][2], now)
    return stages, blocking


def batches_sweep(now=None) -> int:
    """Move every batch on whose deadline has come (open, close submissions, end county screening).

    Each move goes through `batch_transition` (actor None) in its own transaction. A batch locked by
    a concurrent sweep or a manager is skipped (skip_locked), and one that has moved meanwhile is
    left alone, so running the sweep twice moves a batch once. Returns the number of moves.
    """
    now = now or timezone.now()
    moved = 0
    for state, name in SWEPT_TRANSITIONS:
        field = TIMED_TRANSITIONS[name][0]
        due = Batch.objects.filter(state=state, **{f"{field}__lte": now}).values_list("pk", flat=True)
        for pk in list(due):
            with transaction.atomic():
                batch = Batch.objects.select_for_update(skip_locked=True).filter(pk=pk, state=state).first()
                if batch is None:
                    continue
                try:
                    batch_transition(batch=batch, actor=None, name=name, now=now)
                except AlreadyHandled:
                    continue
                moved += 1
    return moved
