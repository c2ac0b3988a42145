"""The county's calls on one application (初审, clause 4.1): clause judgements and the decision,
recorded together from the screening page (`screening_record`) or one by one."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from applications.eligibility import NEEDS_JUDGEMENT, CriterionResult
from applications.enums import ApplicationState
from applications.indicators import application_check
from applications.models import Application
from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import unit_members_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from ..enums import JudgementOutcome, ScreeningDecision
from ..models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OPINION_MAX_LENGTH,
    ClauseJudgement,
    RecommendationEntry,
)
from ..selectors import screening_check
from ._common import list_reported, local, lock_application, lock_county_list

DECISION_DEFAULT_COMMENTS: dict[str, str] = {
    ScreeningDecision.RECOMMEND: "经区县初审，同意推荐为市级高技能人才公共实训基地建设项目候选单位。",
}


@dataclass(frozen=True)
class JudgementInput:
    """One criterion's judgement as the page sends it: an outcome and, for 认定不符合, the reason."""

    outcome: str
    note: str = ""


def screening_closed_reason(application: Application, now: datetime | None = None) -> str:
    """Why the county can no longer decide on ``application`` ("" while it still can)."""
    now = now or timezone.now()
    batch = application.batch
    if now >= batch.screening_deadline:
        return f"区县初审已于 {local(batch.screening_deadline)} 截止，不能再作出初审决定。"
    if list_reported(batch.pk, application.unit.region_id):
        return "本区县推荐名单已报送市人力社保局，初审决定已锁定。"
    return ""


def _ensure_screenable(application: Application) -> None:
    """State and deadline, in the order the reviewer should hear about them."""
    if application.state != ApplicationState.SUBMITTED:
        raise AlreadyHandled(
            f"该申报已处理（当前状态：{application.get_state_display()}），页面已刷新为最新状态。"
        )
    closed = screening_closed_reason(application)
    if closed:
        raise ValidationError(closed, code="closed")


@transaction.atomic
def clause_judge(
    *, application: Application, actor: User, key: str, outcome: str, note: str = ""
) -> ClauseJudgement:
    """Confirm (确认符合) or override (认定不符合) one criterion the auto-check left to judgement.

    Judging again updates the row. Side effect: an audit entry with the call and the one it replaced.
    """
    require_perm(actor, "review.screen_application", application)
    application = lock_application(application)
    _ensure_screenable(application)
    note = _clean_judgement(outcome, note)
    previous = ClauseJudgement.objects.filter(application=application, key=key).first()
    return _judge_locked(
        application, actor, key, JudgementInput(outcome, note), _judgeable(application), previous
    )


def _judgeable(application: Application) -> dict[str, CriterionResult]:
    """The criteria of ``application`` the auto-check leaves to the county, by key."""
    return {item.key: item for item in application_check(application) if item.outcome == NEEDS_JUDGEMENT}


def _judge_locked(
    application: Application,
    actor: User,
    key: str,
    given: JudgementInput,
    judgeable: dict[str, CriterionResult],
    previous: ClauseJudgement | None,
) -> ClauseJudgement:
    """Store one cleaned judgement of the locked, screenable ``application`` and audit it."""
    result = judgeable.get(key)
    if result is None:
        raise ValidationError("该条款无需人工判断（自动核验已给出结论），请刷新页面。", code="not_judgeable")
    outcome, note = given.outcome, given.note
    # ``previous`` was read under the application's lock, so it is the row to update (or none yet).
    judgement = previous or ClauseJudgement(application=application, key=key)
    previous_call = (
        {"outcome": previous.outcome, "note": previous.note, "by": previous.decided_by_id}
        if previous
        else None
    )
    judgement.clause = result.clause
    judgement.outcome = outcome
    judgement.note = note
    judgement.decided_by = actor
    judgement.decided_at = timezone.now()
    judgement.save()
    audit_event(
        actor=actor,
        summary=f"条款判断：{judgement.get_outcome_display()}",
        obj=application,
        detail={
            "clause": judgement.clause,
            "key": key,
            "outcome": outcome,
            "note": note,
            "previous": previous_call,
        },
    )
    return judgement


def _clean_judgement(outcome: str, note: str) -> str:
    """The judgement's rules, with errors keyed by field: a known outcome, a reason for 认定不符合."""
    note = (note or "").strip()
    if outcome not in JudgementOutcome.values:
        raise ValidationError({"outcome": "请选择判断结果。"})
    if outcome == JudgementOutcome.OVERRIDDEN and not note:
        raise ValidationError({"note": "认定不符合时请说明理由。"})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"说明不能超过 {NOTE_MAX_LENGTH} 字。"})
    return note


@transaction.atomic
def screening_record(
    *,
    application: Application,
    actor: User,
    judgements: Mapping[str, JudgementInput],
    decision: str | None = None,
    reason: str = "",
) -> Application:
    """Everything the screening page sends, saved in one go: the judgements that changed and, unless
    `decision` is None ("仅保存判断"), the decision (an empty one is refused: "请选择初审结论").

    Any error — a judgement without its reason, a decision the rules refuse — and nothing is saved;
    every judgement error is raised at once, keyed "<criterion>-<field>", the decision's keyed
    "decision"/"reason". Side effects: those of `clause_judge` and `screening_decide`.
    """
    require_perm(actor, "review.screen_application", application)
    errors: dict[str, list[str]] = {}
    cleaned: dict[str, JudgementInput] = {}
    for key, given in judgements.items():
        if not given.outcome and not given.note.strip():
            continue  # left untouched on the page
        try:
            cleaned[key] = JudgementInput(given.outcome, _clean_judgement(given.outcome, given.note))
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(f"{key}-{field}", []).extend(messages)
    if errors:
        raise ValidationError(errors)
    if decision is not None:
        reason = _clean_decision(decision, reason)
    # One lock for everything, taken in the order `screening_decide` takes it.
    application = lock_application(application)
    county_list = (
        lock_county_list(batch=application.batch, region_id=application.unit.region_id)
        if decision is not None
        else None
    )
    _ensure_screenable(application)
    current = {
        judgement.key: judgement for judgement in ClauseJudgement.objects.filter(application=application)
    }
    judgeable = _judgeable(application) if cleaned else {}
    for key, given in cleaned.items():
        before = current.get(key)
        if before is not None and (before.outcome, before.note) == (given.outcome, given.note):
            continue  # unchanged: not judged again
        _judge_locked(application, actor, key, given, judgeable, before)
    if county_list is not None:
        return _decide_locked(application, county_list, actor, str(decision), reason)
    return application


def _notify_unit_of_decision(application: Application, decision: str, comment: str) -> None:
    batch = application.batch
    if decision == ScreeningDecision.RETURN:
        title = f"您单位的{batch.year}年度实训基地申报已被区县退回修改"
        body = f"退回原因：{comment}\n请于 {local(batch.screening_deadline)} 前修改并重新提交。"
    elif decision == ScreeningDecision.REJECT:
        title = f"您单位的{batch.year}年度实训基地申报未通过区县初审"
        body = f"区县意见：{comment}"
    else:
        title = f"您单位的{batch.year}年度实训基地申报已通过区县初审，被推荐为候选单位"
        body = f"区县意见：{comment}\n区县将会同财政部门报送市人力社保局，请留意后续评审安排。"
    notify(
        recipients=unit_members_of(application.unit_id),
        title=title,
        body=body,
        url=reverse("applications:detail", args=[application.pk]),
    )


@transaction.atomic
def screening_decide(
    *, application: Application, actor: User, decision: str, reason: str = ""
) -> Application:
    """The county's first-round decision on one submitted application (clause 4.1).

    ``recommend`` (候选单位) needs every 待评审判断 criterion judged and none failing — by the
    auto-check or by the county's own judgement: the letter certifies that every recommended unit
    meets the conditions of the Measures, so a unit that does not cannot be recommended, whatever
    reason is typed. ``return`` (退回修改, the unit may resubmit until the screening deadline) and
    ``reject`` (初审不通过) need a reason. Refused after the screening deadline and once the
    county's list has been reported to the city: the county's list row is locked before that is
    asked, so a decision and ``recommendation_submit`` take turns. Side effects: the county's list
    is created as a draft if it did not exist yet, and a recommended application is put on it at
    once with the county's opinion; the transition log (by + description), ``county_comment`` shown
    to the unit, an audit entry, the unit members' inbox and e-mail.
    """
    require_perm(actor, "review.screen_application", application)
    reason = _clean_decision(decision, reason)
    application = lock_application(application)
    county_list = lock_county_list(batch=application.batch, region_id=application.unit.region_id)
    _ensure_screenable(application)
    return _decide_locked(application, county_list, actor, decision, reason)


def _clean_decision(decision: str, reason: str) -> str:
    """The decision's own rules, with errors keyed by field; the reason, stripped."""
    if decision not in ScreeningDecision.values:
        raise ValidationError({"decision": "请选择初审结论。"})
    reason = (reason or "").strip()
    if decision in ScreeningDecision.reason_required() and not reason:
        label = ScreeningDecision(decision).label
        raise ValidationError({"reason": f"{label}须填写理由，理由将告知申报单位。"})
    if len(reason) > COMMENT_MAX_LENGTH:
        raise ValidationError({"reason": f"理由不能超过 {COMMENT_MAX_LENGTH} 字。"})
    return reason


def _decide_locked(
    application: Application, county_list, actor: User, decision: str, reason: str
) -> Application:
    """The decision on the locked, screenable ``application`` (its county list locked too)."""
    if decision == ScreeningDecision.RECOMMEND:
        check = screening_check(application)
        if check.pending_judgements:
            pending = "、".join(row.label for row in check.pending_judgements[:3])
            raise ValidationError(
                f"还有 {len(check.pending_judgements)} 项“待评审判断”的条件未作出判断（{pending}等），"
                "请逐项确认符合或认定不符合后再推荐。",
                code="judgement_missing",
            )
        if check.failing:
            raise ValidationError(
                {
                    "decision": f"不能推荐为候选单位：{recommendation_blockers(check)}。"
                    "不符合条件的单位可退回修改或作出初审不通过的结论。"
                },
                code="conditions_not_met",
            )
    comment = reason or DECISION_DEFAULT_COMMENTS[decision]
    transition = {
        ScreeningDecision.RECOMMEND: application.recommend,
        ScreeningDecision.RETURN: application.return_for_revision,
        ScreeningDecision.REJECT: application.county_reject,
    }[ScreeningDecision(decision)]
    try:
        transition(by=actor, description=comment)
        application.county_comment = comment
        application.save()
    except (TransitionNotAllowed, ConcurrentTransition):
        raise AlreadyHandled("该申报已处理，页面已刷新为最新状态。") from None
    audit_event(
        actor=actor,
        summary=f"初审结论：{ScreeningDecision(decision).label}",
        obj=application,
        detail={"decision": decision, "state": application.state, "comment": comment},
    )
    if decision == ScreeningDecision.RECOMMEND and county_list.is_editable:
        _put_on_the_list(county_list, application, comment, actor)
    _notify_unit_of_decision(application, decision, comment)
    return application


def recommendation_blockers(check) -> str:
    """The clauses that keep an application off the list, in the Measures' numbering."""
    return "；".join(
        f"{row.clause_tag} {row.label}（{row.result.message.rsplit('（', 1)[0]}）" for row in check.failing
    )


def _put_on_the_list(county_list, application: Application, opinion: str, actor: User) -> None:
    """A recommended application appears on the county's draft list at once, its screening opinion
    prefilled as the list's opinion (HRSS may reorder and reword it there)."""
    last = RecommendationEntry.objects.filter(recommendation=county_list).order_by("-rank").first()
    entry = RecommendationEntry.objects.create(
        recommendation=county_list,
        application=application,
        rank=(last.rank + 1) if last else 1,
        opinion=opinion[:OPINION_MAX_LENGTH],
    )
    audit_event(
        actor=actor,
        summary="列入推荐名单（推荐后自动列入）",
        obj=county_list,
        detail={"application": application.pk, "unit": str(application.unit), "rank": entry.rank},
    )
