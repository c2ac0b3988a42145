"""The county's calls on one application (初审, clause 4.1): clause judgements and the decision."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from applications.eligibility import NEEDS_JUDGEMENT
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
from ..models import COMMENT_MAX_LENGTH, NOTE_MAX_LENGTH, ClauseJudgement
from ..selectors import screening_check
from ._common import list_reported, local, lock_application, lock_county_list

DECISION_DEFAULT_COMMENTS: dict[str, str] = {
    ScreeningDecision.RECOMMEND: "经区县初审，同意推荐为市级高技能人才公共实训基地建设项目候选单位。",
}


def screening_closed_reason(application: Application, now: datetime | None = None) -> str:
    """Why the county can no longer decide on ``application`` ("" while it still can)."""
    now = now or timezone.now()
    batch = application.batch
    if now >= batch.screening_deadline:
        return f"区县初审已于 {local(batch.screening_deadline)} 截止，不能再作出初审决定。"
    if list_reported(batch.pk, application.unit.region_id):
        return "本区县推荐名单已报送市人社局，初审决定已锁定。"
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
    note = (note or "").strip()
    if outcome not in JudgementOutcome.values:
        raise ValidationError({"outcome": "请选择判断结果。"})
    if outcome == JudgementOutcome.OVERRIDDEN and not note:
        raise ValidationError({"note": "认定不符合时请说明理由。"})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"说明不能超过 {NOTE_MAX_LENGTH} 字。"})
    result = next(
        (
            item
            for item in application_check(application)
            if item.key == key and item.outcome == NEEDS_JUDGEMENT
        ),
        None,
    )
    if result is None:
        raise ValidationError("该条款无需人工判断（自动核验已给出结论），请刷新页面。", code="not_judgeable")
    previous = ClauseJudgement.objects.filter(application=application, key=key).first()
    judgement, _created = ClauseJudgement.objects.update_or_create(
        application=application,
        key=key,
        defaults={
            "clause": result.clause,
            "outcome": outcome,
            "note": note,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    audit_event(
        actor=actor,
        summary=f"条款判断：{judgement.get_outcome_display()}",
        obj=application,
        detail={
            "clause": judgement.clause,
            "key": key,
            "outcome": outcome,
            "note": note,
            "previous": (
                {"outcome": previous.outcome, "note": previous.note, "by": previous.decided_by_id}
                if previous
                else None
            ),
        },
    )
    return judgement


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
        body = f"区县意见：{comment}\n区县将会同财政部门报送市人社局，请留意后续评审安排。"
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

    ``recommend`` (候选单位) needs every 待评审判断 criterion judged, and a reason when any
    criterion fails; ``return`` (退回修改, the unit may resubmit until the screening deadline) and
    ``reject`` (初审不通过) need a reason. Refused after the screening deadline and once the
    county's list has been reported to the city: the county's list row is locked before that is
    asked, so a decision and ``recommendation_submit`` take turns. Side effects: the county's list
    is created as a draft if it did not exist yet, the transition log (by + description),
    ``county_comment`` shown to the unit, an audit entry, the unit members' inbox and e-mail.
    """
    require_perm(actor, "review.screen_application", application)
    if decision not in ScreeningDecision.values:
        raise ValidationError({"decision": "请选择初审结论。"})
    reason = (reason or "").strip()
    if decision in ScreeningDecision.reason_required() and not reason:
        label = ScreeningDecision(decision).label
        raise ValidationError({"reason": f"{label}须填写理由，理由将告知申报单位。"})
    if len(reason) > COMMENT_MAX_LENGTH:
        raise ValidationError({"reason": f"理由不能超过 {COMMENT_MAX_LENGTH} 字。"})
    application = lock_application(application)
    lock_county_list(batch=application.batch, region_id=application.unit.region_id)
    _ensure_screenable(application)
    if decision == ScreeningDecision.RECOMMEND:
        check = screening_check(application)
        if check.pending_judgements:
            pending = "、".join(
                f"{row.result.clause} {row.result.message}" for row in check.pending_judgements[:3]
            )
            raise ValidationError(
                f"还有 {len(check.pending_judgements)} 项“待评审判断”的条款未作出判断（{pending}），"
                "请逐项确认符合或认定不符合后再推荐。",
                code="judgement_missing",
            )
        if check.failing and not reason:
            raise ValidationError(
                {"reason": f"该申报有 {len(check.failing)} 项条款不符合，如仍推荐须说明理由。"}
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
    _notify_unit_of_decision(application, decision, comment)
    return application
