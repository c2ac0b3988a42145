"""The expert's score sheet (评分表): the conflict declaration or recusal, draft saves and submission.

Every service locks the sheet, asks ``review.score_sheet`` on it (the sheet is the expert's own),
re-checks the panel's state and the clock (``now >= scoring_deadline`` has closed) and audits.
"""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.permissions import require_perm

from ..enums import DECLARATION_STATEMENTS, RecusalReason, SheetState, Vote
from ..models import COMMENT_MAX_LENGTH, RubricIndicator, Score, ScoreSheet
from ._common import lock_panel, lock_sheet, scoring_closed_reason
from .forming import replace_recused

#: Scores are typed with at most this many decimals (half points and the like).
SCORE_PLACES = 2


def score_field(indicator: RubricIndicator) -> str:
    """The form field (and ValidationError key) of one indicator."""
    return f"score_{indicator.pk}"


def _ensure_open(sheet: ScoreSheet, now: datetime | None) -> None:
    if reason := scoring_closed_reason(sheet.panel, now):
        raise AlreadyHandled(reason)


def _transition(sheet: ScoreSheet, actor: User | None, name: str, comment: str) -> None:
    method = getattr(sheet, name)
    if not can_proceed(method):
        raise AlreadyHandled(f"评分表当前状态为“{sheet.get_state_display()}”，该操作已处理，页面已刷新。")
    try:
        method(by=actor, description=comment)
        sheet.save()
    except (TransitionNotAllowed, ConcurrentTransition):
        raise AlreadyHandled("评分表已处理，页面已刷新为最新状态。") from None


def _audit(actor: User, summary: str, sheet: ScoreSheet, **detail) -> None:
    audit_event(
        actor=actor,
        summary=summary,
        obj=sheet,
        detail={"application": sheet.application_id, "unit": sheet.application.unit.name, **detail},
    )


# --- the declaration -----------------------------------------------------------------------------


@transaction.atomic
def sheet_declare(
    *, sheet: ScoreSheet, actor: User, statements: set[str], now: datetime | None = None
) -> ScoreSheet:
    """声明无利害关系: the expert confirms each statement of 财库〔2016〕198号 art. 16 before the
    application opens to them. Raises ValidationError when a statement is not confirmed. Side
    effects: the declaration stored on the sheet (who, when, what), the transition log, an audit
    entry."""
    require_perm(actor, "review.score_sheet", sheet)
    sheet = lock_sheet(sheet)
    _ensure_open(sheet, now)
    missing = [label for key, label in DECLARATION_STATEMENTS if key not in statements]
    if sheet.state == SheetState.ASSIGNED and missing:
        raise ValidationError(
            {"statements": f"请逐项确认后再声明；如存在以下情形之一，请申请回避：{'；'.join(missing)}。"}
        )
    sheet.declaration = {
        "statements": [label for _key, label in DECLARATION_STATEMENTS],
        "declared_by": actor.get_username(),
        "declared_at": (now or timezone.now()).isoformat(),
    }
    _transition(sheet, actor, "declare", "声明无利害关系")
    _audit(actor, "声明无利害关系（回避声明）", sheet)
    return sheet


@transaction.atomic
def sheet_recuse(
    *, sheet: ScoreSheet, actor: User, reason: str, note: str = "", now: datetime | None = None
) -> ScoreSheet:
    """申请回避: the expert states which conflict applies; a replacement expert is drawn for the
    application. Side effects: the sheet (recused, locked), the transition log, the replacement draw
    and sheet, audit entries, the replacement told."""
    require_perm(actor, "review.score_sheet", sheet)
    sheet = lock_sheet(sheet)
    _ensure_open(sheet, now)
    note = (note or "").strip()
    if sheet.state == SheetState.ASSIGNED:
        if reason not in dict(RecusalReason.declarable()):
            raise ValidationError({"reason": "请选择回避情形。"})
        if reason == RecusalReason.OTHER and not note:
            raise ValidationError({"note": "选择“其他”时请说明具体情形。"})
        if len(note) > 300:
            raise ValidationError({"note": "回避说明不能超过 300 字。"})
    sheet.recusal_reason = reason
    sheet.recusal_note = note
    _transition(sheet, actor, "recuse", f"申请回避：{RecusalReason(reason).label}")
    _audit(actor, "申请回避", sheet, reason=reason, note=note)
    panel = lock_panel(sheet.panel)
    replace_recused(panel, sheet, actor)
    return sheet


# --- scoring -------------------------------------------------------------------------------------


def parse_points(raw: object) -> Decimal | None:
    """A typed score as a Decimal (None when blank); ValueError for text that is not a number."""
    text = "" if raw is None else str(raw).strip().replace("，", ".").replace("。", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def _check_points(indicators: list[RubricIndicator], points: Mapping[int, Decimal | None]) -> dict[str, str]:
    errors = {}
    for indicator in indicators:
        value = points.get(indicator.pk)
        if value is None:
            continue
        if value < 0 or value > indicator.max_points:
            errors[score_field(indicator)] = (
                f"“{indicator.name}”的得分应在 0—{indicator.points_label} 分之间。"
            )
        elif -value.as_tuple().exponent > SCORE_PLACES:  # type: ignore[operator]  # finite: an int exponent
            errors[score_field(indicator)] = f"“{indicator.name}”的得分最多保留 {SCORE_PLACES} 位小数。"
    return errors


def _write(
    sheet: ScoreSheet,
    *,
    points: Mapping[int, Decimal | None],
    comment: str,
    vote: str,
    now: datetime | None,
) -> list[RubricIndicator]:
    """Check and write what the expert typed (all of it or nothing)."""
    _ensure_open(sheet, now)
    if sheet.state != SheetState.DECLARED:
        if sheet.state == SheetState.SUBMITTED:
            raise AlreadyHandled("评分表已提交，不能再修改。")
        if sheet.state == SheetState.RECUSED:
            raise AlreadyHandled("您已回避该申报，不能评分。")
        raise ValidationError({"statements": "请先完成回避声明，再评分。"})
    indicators = list(sheet.panel.indicators.all())
    errors = {} if sheet.panel.votes else _check_points(indicators, points)
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        errors["comment"] = f"评审意见不能超过 {COMMENT_MAX_LENGTH} 字（当前 {len(comment)} 字）。"
    if vote and vote not in Vote.values:
        errors["vote"] = "请选择“同意”或“不同意”。"
    if errors:
        raise ValidationError(errors)
    if not sheet.panel.votes:
        existing = {score.indicator_id: score for score in sheet.scores.all()}
        for indicator in indicators:
            value = points.get(indicator.pk)
            score = existing.get(indicator.pk)
            if value is None:
                if score is not None:
                    score.delete()
            elif score is None:
                Score.objects.create(sheet=sheet, indicator=indicator, points=value)
            elif score.points != value:
                score.points = value
                score.save(update_fields=["points"])
    sheet.comment = comment
    sheet.vote = vote if sheet.panel.votes else ""
    sheet.saved_at = now or timezone.now()
    sheet.save(update_fields=["comment", "vote", "saved_at"])
    return indicators


@transaction.atomic
def sheet_save(
    *,
    sheet: ScoreSheet,
    actor: User,
    points: Mapping[int, Decimal | None],
    comment: str = "",
    vote: str = "",
    now: datetime | None = None,
) -> ScoreSheet:
    """保存草稿 (also the autosave): what the expert typed so far, blanks allowed. Refused with
    ValidationError by field for a score outside its indicator's range; AlreadyHandled once the sheet
    is submitted or scoring has closed. Side effect: the scores and ``saved_at`` (no audit entry: a
    draft is not a decision; the submission is audited)."""
    require_perm(actor, "review.score_sheet", sheet)
    sheet = lock_sheet(sheet)
    _write(sheet, points=points, comment=comment, vote=vote, now=now)
    return sheet


def sheet_submit(
    *,
    sheet: ScoreSheet,
    actor: User,
    points: Mapping[int, Decimal | None],
    comment: str,
    vote: str = "",
    now: datetime | None = None,
) -> ScoreSheet:
    """提交评分表: saves what was typed, then requires every indicator scored (or a vote) and a
    comment; the sheet is locked afterwards. An incomplete sheet is refused (ValidationError by
    field) but what was typed is kept as the draft — the refusal is raised after the draft's
    transaction has committed. Side effects: the scores, totals, the transition log, an audit entry.
    """
    sheet, errors = _submit(sheet=sheet, actor=actor, points=points, comment=comment, vote=vote, now=now)
    if errors:
        raise ValidationError(errors)
    return sheet


@transaction.atomic
def _submit(
    *,
    sheet: ScoreSheet,
    actor: User,
    points: Mapping[int, Decimal | None],
    comment: str,
    vote: str,
    now: datetime | None,
) -> tuple[ScoreSheet, dict[str, str]]:
    require_perm(actor, "review.score_sheet", sheet)
    sheet = lock_sheet(sheet)
    indicators = _write(sheet, points=points, comment=comment, vote=vote, now=now)
    errors = {}
    if sheet.panel.votes:
        if not sheet.vote:
            errors["vote"] = "请选择表决意见（同意或不同意）。"
    else:
        for indicator in indicators:
            if points.get(indicator.pk) is None:
                errors[score_field(indicator)] = f"请为“{indicator.name}”评分。"
    if not sheet.comment:
        errors["comment"] = "请填写评审意见。"
    if errors:
        return sheet, errors  # the draft above commits; the submission is refused by the caller
    if not sheet.panel.votes:
        scale = {indicator.pk for indicator in indicators if indicator.training_scale}
        sheet.total = sum((points[indicator.pk] or Decimal(0) for indicator in indicators), Decimal(0))
        sheet.training_scale_total = sum((points[pk] or Decimal(0) for pk in scale), Decimal(0))
        sheet.save(update_fields=["total", "training_scale_total"])
    _transition(sheet, actor, "submit", "提交评分表")
    _audit(
        actor,
        "提交评分表",
        sheet,
        total=str(sheet.total) if sheet.total is not None else None,
        vote=sheet.vote,
    )
    return sheet, {}
