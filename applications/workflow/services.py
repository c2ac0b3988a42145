"""Use cases of an application's workflow: start, submit, resubmit, recall for editing (撤回修改),
give up the batch (放弃本批次申报, `withdraw`) — and the rules that say when the unit may still
change, submit or recall it.

Each function is keyword-only, takes the acting user, asks its permission (`core.permissions`),
re-reads the row under a lock before a transition and writes its audit entry in the same
transaction. Side effects outside the database (e-mail) wait for the commit.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import county_hrss_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from ..completeness import application_missing
from ..eligibility import FAIL
from ..enums import ApplicationState, BatchState
from ..indicators import application_check
from ..models import Application, Batch
from ..selectors import application_for_check

# --- applications -------------------------------------------------------------------------------


@transaction.atomic
def application_start(*, actor: User, batch: Batch) -> Application:
    """Open the unit's application for a batch (one per unit per batch). Side effect: audit entry."""
    require_perm(actor, "applications.start_application")
    if actor.unit_id is None:
        raise ValidationError("您的账号尚未关联申报单位，请先注册申报单位。", code="no_unit")
    if not batch.accepts_submissions():
        raise ValidationError("该批次当前不在申报期内。")
    existing = Application.objects.filter(batch=batch, unit_id=actor.unit_id).first()
    if existing is not None:
        raise ValidationError("本单位已有该批次的申报，不能重复申报。", code="duplicate")
    application = Application.objects.create(batch=batch, unit_id=actor.unit_id, created_by=actor)
    audit_event(actor=actor, summary="开始申报", obj=application)
    return application


def locked_application(application: Application) -> Application:
    """The application's row under lock, with what the checks read (batch, unit, its lists).

    of=("self",): the application row only, not the joined batch and unit rows (PostgreSQL would
    lock every table of the join, blocking the sweep and the unit profile for nothing).
    """
    return (
        application_for_check(Application.objects.select_related("batch", "unit", "unit__region"))
        .select_for_update(of=("self",))
        .get(pk=application.pk)
    )


#: Batch states in which a returned application may still be changed and resubmitted.
RESUBMISSION_BATCH_STATES = (BatchState.OPEN, BatchState.SCREENING)


def _returned_window_closed(application: Application, now: datetime) -> bool:
    batch = application.batch
    return now >= batch.screening_deadline or batch.state not in RESUBMISSION_BATCH_STATES


def application_edit_refusal(application: Application, now: datetime | None = None) -> str:
    """Why the unit may not change the application now, in Chinese ("" when it may).

    Drafts are editable while the batch takes submissions, returned applications until the county
    screening deadline; every other state says what it waits for. Viewing is always allowed.
    """
    now = now or timezone.now()
    state, batch = application.state, application.batch
    if state == ApplicationState.DRAFT:
        if not batch.accepts_submissions(now) and now >= batch.submission_deadline:
            return "申报已截止，本申报不能再修改或上传材料，仍可查看已填写的内容。"
        return ""
    if state == ApplicationState.RETURNED:
        if _returned_window_closed(application, now):
            return "区县初审已截止，退回的申报不能再修改或上传材料，仍可查看已填写的内容。"
        return ""
    if state == ApplicationState.SUBMITTED:
        reason = "申报已提交，不能再修改；请等待区县初审，如区县退回修改，可在退回后按意见修改。"
        if batch.accepts_submissions(now):
            reason += "申报截止前，也可在申报详情页“撤回修改”，修改后重新提交。"
        return reason
    if state == ApplicationState.WITHDRAWN:
        return "本单位已放弃本批次申报，不能再修改。"
    return f"申报已进入后续程序（{application.get_state_display()}），不能再修改。"


def application_ensure_editable(*, application: Application, actor: User) -> None:
    """Guard for every save of the form and every upload: the unit's own, in a state and a time
    window that allow changes (see `application_edit_refusal`)."""
    require_perm(actor, "applications.edit_application", application)
    if reason := application_edit_refusal(application):
        raise AlreadyHandled(reason)


# --- submission guards --------------------------------------------------------------------------

#: A guard says in Chinese why an application may not be (re)submitted now, "" to allow it.
SubmissionGuard = Callable[[Application], str]
#: The same question for a whole list at once: {application pk: reason} ("" or absent: allowed).
SubmissionGuardForMany = Callable[[Sequence[Application]], Mapping[int, str]]


@dataclass(frozen=True)
class _RegisteredGuard:
    one: SubmissionGuard
    many: SubmissionGuardForMany | None


_submission_guards: list[_RegisteredGuard] = []


def register_submission_guard(
    guard: SubmissionGuard, *, many: SubmissionGuardForMany | None = None
) -> SubmissionGuard:
    """Let another area refuse submissions (e.g. review: the county's list already went to the city).

    `guard(application) -> str` returns the Chinese reason to refuse, "" to allow; `application.batch`
    and `application.unit` are loaded by every caller. It is consulted by `application_submit` (first
    submission and resubmission, under the row lock) and by the pages that say whether the unit can
    submit. `many(applications) -> {pk: reason}`, optional, answers for a list in one query: the
    unit's lists use it so that their query count does not grow with their rows (without it they
    call `guard` once per application the clock still lets through).

    Registering the same guard twice is harmless; usable as a decorator.
    """
    if all(registered.one is not guard for registered in _submission_guards):
        _submission_guards.append(_RegisteredGuard(guard, many))
    return guard


def unregister_submission_guard(guard: SubmissionGuard) -> None:
    _submission_guards[:] = [registered for registered in _submission_guards if registered.one is not guard]


def _clock_refusal(application: Application, now: datetime) -> ValidationError | None:
    batch = application.batch
    if application.state == ApplicationState.RETURNED:
        if now >= batch.screening_deadline:
            return ValidationError("区县初审已截止，不能再重新提交。", code="deadline")
        if batch.state not in RESUBMISSION_BATCH_STATES:
            return ValidationError("区县初审已结束，不能再重新提交。", code="closed")
    elif application.state == ApplicationState.DRAFT and not batch.accepts_submissions(now):
        if now >= batch.submission_deadline:
            return ValidationError("申报已截止，不能提交。", code="deadline")
        return ValidationError("该批次当前不在申报期内，不能提交。", code="deadline")
    return None


def application_submission_refusals(
    applications: Sequence[Application], now: datetime | None = None
) -> dict[int, ValidationError]:
    """Why the batch, the clock or a registered guard forbids submitting now, for each application
    that may not be submitted ({pk: ValidationError}; absent: allowed).

    The one rule shared by `application_submit` and the pages (`dashboard.submission_blocker`,
    `dashboard.next_action`). Applications that are neither draft nor returned are left out:
    submitting them is "已处理", not refused.
    """
    now = now or timezone.now()
    refusals: dict[int, ValidationError] = {}
    pending: list[Application] = []
    for application in applications:
        if application.state not in ApplicationState.editable():
            continue
        if (refusal := _clock_refusal(application, now)) is not None:
            refusals[application.pk] = refusal
        else:
            pending.append(application)
    for registered in list(_submission_guards):
        if not pending:
            break
        if registered.many is not None and len(pending) > 1:
            reasons = registered.many(pending)
        else:
            reasons = {application.pk: registered.one(application) for application in pending}
        for application in pending:
            if reason := reasons.get(application.pk):
                refusals[application.pk] = ValidationError(reason, code="closed")
        pending = [application for application in pending if application.pk not in refusals]
    return refusals


def application_submission_refusal(
    application: Application, now: datetime | None = None
) -> ValidationError | None:
    """`application_submission_refusals` for one application: the refusal, or None when allowed."""
    return application_submission_refusals([application], now).get(application.pk)


@dataclass(frozen=True)
class SubmissionCheck:
    """What stands between a draft and submission, and which clauses fail (allowed, but shown)."""

    missing: list[str]
    failing: list

    @property
    def can_submit(self) -> bool:
        return not self.missing


def application_submission_check(application: Application) -> SubmissionCheck:
    """Required sections and evidence (`completeness`); failing auto-checks do not block but are listed."""
    failing = [result for result in application_check(application) if result.outcome == FAIL]
    return SubmissionCheck(missing=application_missing(application), failing=failing)


def _notify_county_of_submission(application: Application, resubmitted: bool) -> None:
    county_staff = county_hrss_of(application.unit.region_id)
    verb = "重新提交" if resubmitted else "提交"
    notify(
        recipients=county_staff,
        title=f"{application.unit.name}已{verb}{application.batch.year}年度实训基地申报",
        body="请在初审截止时间前完成初审。",
        url=reverse("applications:detail", args=[application.pk]),
    )


@transaction.atomic
def application_submit(*, application: Application, actor: User, confirmed: bool = False) -> Application:
    """Submit to the county (draft → submitted, or returned → submitted).

    Refused (ValidationError) outside the batch's window or by a registered submission guard
    (`application_submission_refusal`). Side effects: transition log, audit entry, the county's
    inbox, and e-mail after the commit. A submission with failing clauses needs `confirmed=True`
    (the confirmation page listed them).
    """
    require_perm(actor, "applications.submit_application", application)
    application = locked_application(application)
    if application.state not in ApplicationState.editable():
        raise AlreadyHandled("该申报已提交，无需重复提交。")
    resubmitting = application.state == ApplicationState.RETURNED
    if (refusal := application_submission_refusal(application)) is not None:
        raise refusal
    check = application_submission_check(application)
    if not check.can_submit:
        raise ValidationError(check.missing, code="incomplete")
    if check.failing and not confirmed:
        raise ValidationError(
            "部分条件自动核验未通过，请勾选确认后再提交（由区县初审判断）。", code="needs_confirmation"
        )
    if resubmitting:
        application.resubmit(by=actor, description="修改后重新提交")
    else:
        application.submit(by=actor, description="提交申报")
    application.save()
    audit_event(
        actor=actor,
        summary="重新提交申报" if resubmitting else "提交申报",
        obj=application,
        detail={"failing_confirmed": len(check.failing)},
    )
    # Inside the transaction: notify() writes the inboxes atomically and sends its e-mails only after
    # the commit, so a failure here rolls the submission back instead of losing the notice.
    _notify_county_of_submission(application, resubmitting)
    return application


# --- 撤回修改 / 放弃本批次申报 ---------------------------------------------------------------------


def _guard_refusal(application: Application) -> str:
    """The first registered submission guard's reason to refuse (e.g. the county's list is with
    the city), "" when none refuses."""
    for registered in list(_submission_guards):
        if reason := registered.one(application):
            return reason
    return ""


def application_recall_refusal(application: Application, now: datetime | None = None) -> str:
    """Why the unit may not take its submission back for editing now ("" when it may).

    撤回修改 is allowed while the submission could be made again: the application is submitted and
    the county has not decided (`ApplicationState.recallable`), the batch still takes submissions
    (before the submission deadline) and no submission guard refuses (the county's list is not with
    the city). After the deadline a change goes through the county (退回修改), never around it.
    """
    now = now or timezone.now()
    if application.state not in ApplicationState.recallable():
        return "只有已提交、区县尚未作出初审决定的申报可以撤回修改。"
    if not application.batch.accepts_submissions(now):
        return "申报已截止，已提交的申报不能再撤回修改；如需更正，请联系所在区县人力社保局。"
    return _guard_refusal(application)


@transaction.atomic
def application_recall(*, application: Application, actor: User) -> Application:
    """撤回修改: submitted → draft before the submission deadline, to change and submit again.

    Refused (ValidationError) when `application_recall_refusal` says so; a second click (already a
    draft, or the county decided meanwhile) is `AlreadyHandled`. The submission times are cleared
    (`Application.recall`): the county's judgements made before count as stale once the unit
    submits again. Side effects: transition log, audit entry, the county's inbox and e-mail.
    """
    require_perm(actor, "applications.recall_application", application)
    application = locked_application(application)
    if application.state not in ApplicationState.recallable():
        raise AlreadyHandled(f"该申报当前状态为“{application.get_state_display()}”，无需撤回修改。")
    if reason := application_recall_refusal(application):
        raise ValidationError(reason, code="closed")
    submitted_at = application.submitted_at
    application.recall(by=actor, description="撤回修改，修改后重新提交")
    application.save()
    audit_event(
        actor=actor,
        summary="撤回修改申报",
        obj=application,
        detail={"submitted_at": submitted_at.isoformat() if submitted_at else None},
    )
    notify(
        recipients=county_hrss_of(application.unit.region_id),
        title=f"{application.unit.name}已撤回修改{application.batch.year}年度实训基地申报，将重新提交",
        body=(
            "该申报已回到填报中，重新提交前无需初审；单位重新提交后将再次通知。"
            "撤回前作出的初审判断，在重新提交后需重新确认。"
        ),
    )
    return application


#: The consequence of 放弃本批次申报, said on the confirmation page and by the service's refusal.
WITHDRAW_CONSEQUENCE = (
    "放弃后，本单位在本批次的申报即告终止且不能恢复；每个单位每个批次只能申报一次，本批次不能再次申报。"
)


@transaction.atomic
def application_withdraw(
    *, application: Application, actor: User, reason: str = "", confirmed: bool = False
) -> Application:
    """放弃本批次申报 (the `withdraw` transition) from draft, submitted or returned: final for the
    batch. Needs `confirmed=True` (the unit ticked that it knows the consequence). Side effects:
    transition log, audit entry, and the county's inbox when it had the application."""
    require_perm(actor, "applications.withdraw_application", application)
    application = locked_application(application)
    if not can_proceed(application.withdraw):
        raise AlreadyHandled(f"该申报当前状态为“{application.get_state_display()}”，不能放弃本批次申报。")
    if not confirmed:
        raise ValidationError(f"请勾选确认已知悉：{WITHDRAW_CONSEQUENCE}", code="needs_confirmation")
    handed_in = application.state in ApplicationState.visible_to_county()
    application.withdraw(by=actor, description=reason or "申报单位放弃本批次申报")
    application.save()
    audit_event(actor=actor, summary="放弃本批次申报", obj=application, detail={"reason": reason})
    if handed_in:
        notify(
            recipients=county_hrss_of(application.unit.region_id),
            title=f"{application.unit.name}已放弃{application.batch.year}年度实训基地申报",
            body=f"该单位已放弃本批次申报，无需再初审。{('放弃原因：' + reason) if reason else ''}",
        )
    return application
