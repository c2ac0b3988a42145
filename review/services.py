"""Use cases of the county screening (clause 4.1): the only place that changes its state.

Each function is keyword-only, takes the acting user, runs in one transaction, re-reads the row
under a lock before a transition, and enqueues side effects with ``on_commit``. A decision taken
twice (a double click, a colleague, the clock) raises ``AlreadyHandled`` — shown as "已处理",
never a 500. Services take no request: the views write the audit trail once a service succeeded.
"""

import hashlib
import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from applications.eligibility import NEEDS_JUDGEMENT
from applications.enums import ApplicationState, BatchState
from applications.indicators import application_check
from applications.models import Application, Batch
from applications.services import RESUBMISSION_BATCH_STATES, AlreadyHandled
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.notifications.services import notify

from .enums import JudgementOutcome, RecommendationState, ReminderKind, ScreeningDecision
from .models import (
    COMMENT_MAX_LENGTH,
    NOTE_MAX_LENGTH,
    OPINION_MAX_LENGTH,
    ClauseJudgement,
    Recommendation,
    RecommendationEntry,
    ScreeningReminder,
)
from .rules import is_county_finance_of, is_county_hrss_of, is_screener_of_application
from .selectors import screening_check

logger = logging.getLogger(__name__)

DECISION_DEFAULT_COMMENTS: dict[str, str] = {
    ScreeningDecision.RECOMMEND: "经区县初审，同意推荐为市级高技能人才公共实训基地建设项目候选单位。",
}

# How many days before the screening deadline each reminder goes out, most urgent first.
REMINDER_LEAD = ((ReminderKind.ONE_DAY, timedelta(days=1)), (ReminderKind.THREE_DAYS, timedelta(days=3)))

# How many unit names a refusal spells out before it says "等".
NAMES_SHOWN = 5

# How many missing letters one minute's sweep renders (each takes a second or two of WeasyPrint).
LETTER_SWEEP_LIMIT = 20


def _local(value: datetime) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


def _after_commit(what: str, effect: Callable[[], object]) -> None:
    """Run ``effect`` once the transaction has committed, and never let it fail the request.

    By then the change is committed: a broker or mail outage must not show the user a 500 for an
    action that took place. The failure is logged; the inbox copy of a notice is already written,
    and the recommendation letter has the minute sweep behind it (``recommendation_letters_sweep``).
    """

    def run() -> None:
        try:
            effect()
        except Exception:
            logger.exception("after commit: %s failed; the change itself is committed", what)

    transaction.on_commit(run)


def _active(users):
    return users.filter(is_active=True)


def _unit_members(application: Application):
    return _active(User.objects.filter(role=Role.APPLICANT, unit_id=application.unit_id))


def _county_staff(role: str, region_id: int):
    return _active(User.objects.filter(role=role, region_id=region_id))


# --- guards --------------------------------------------------------------------------------------


def _recommendation_submitted(batch_id: int, region_id: int) -> bool:
    return Recommendation.objects.filter(
        batch_id=batch_id, region_id=region_id, state=RecommendationState.SUBMITTED_TO_CITY
    ).exists()


def screening_closed_reason(application: Application, now: datetime | None = None) -> str:
    """Why the county can no longer decide on ``application`` ("" while it still can)."""
    now = now or timezone.now()
    batch = application.batch
    if now >= batch.screening_deadline:
        return f"区县初审已于 {_local(batch.screening_deadline)} 截止，不能再作出初审决定。"
    if _recommendation_submitted(batch.pk, application.unit.region_id):
        return "本区县推荐名单已报送市人社局，初审决定已锁定。"
    return ""


def _lock_application(application: Application) -> Application:
    try:
        return (
            Application.objects.select_for_update(of=("self",))
            .select_related("batch", "unit")
            .get(pk=application.pk)
        )
    except Application.DoesNotExist:
        raise AlreadyHandled("该申报已不存在。") from None


def _ensure_can_screen(actor: User, application: Application) -> None:
    """Permission, state, deadline and lock, in the order the reviewer should hear about them."""
    _ensure_screener(actor, application)
    _ensure_screenable(application)


def _ensure_screener(actor: User, application: Application) -> None:
    if not is_screener_of_application(actor, application):
        raise PermissionDenied


def _ensure_screenable(application: Application) -> None:
    if application.state != ApplicationState.SUBMITTED:
        raise AlreadyHandled(
            f"该申报已处理（当前状态：{application.get_state_display()}），页面已刷新为最新状态。"
        )
    closed = screening_closed_reason(application)
    if closed:
        raise ValidationError(closed, code="closed")


# --- clause judgements ---------------------------------------------------------------------------


@transaction.atomic
def clause_judge(
    *, application: Application, actor: User, key: str, outcome: str, note: str = ""
) -> ClauseJudgement:
    """Confirm (确认符合) or override (认定不符合) one criterion the auto-check left to judgement.

    Judging again updates the row (the view records the call, and the one it replaced, in the audit
    trail). No other side effect.
    """
    application = _lock_application(application)
    _ensure_can_screen(actor, application)
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
    return judgement


# --- screening decisions -------------------------------------------------------------------------


def _notify_unit_of_decision(application: Application, decision: str, comment: str) -> None:
    batch = application.batch
    if decision == ScreeningDecision.RETURN:
        title = f"您单位的{batch.year}年度实训基地申报已被区县退回修改"
        body = f"退回原因：{comment}\n请于 {_local(batch.screening_deadline)} 前修改并重新提交。"
    elif decision == ScreeningDecision.REJECT:
        title = f"您单位的{batch.year}年度实训基地申报未通过区县初审"
        body = f"区县意见：{comment}"
    else:
        title = f"您单位的{batch.year}年度实训基地申报已通过区县初审，被推荐为候选单位"
        body = f"区县意见：{comment}\n区县将会同财政部门报送市人社局，请留意后续评审安排。"
    notify(
        recipients=_unit_members(application),
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
    ``county_comment`` shown to the unit, the unit members' inbox and e-mail after the commit.
    """
    if decision not in ScreeningDecision.values:
        raise ValidationError({"decision": "请选择初审结论。"})
    reason = (reason or "").strip()
    if decision in ScreeningDecision.reason_required() and not reason:
        label = ScreeningDecision(decision).label
        raise ValidationError({"reason": f"{label}须填写理由，理由将告知申报单位。"})
    if len(reason) > COMMENT_MAX_LENGTH:
        raise ValidationError({"reason": f"理由不能超过 {COMMENT_MAX_LENGTH} 字。"})
    application = _lock_application(application)
    _ensure_screener(actor, application)
    _lock_county_list(batch=application.batch, region_id=application.unit.region_id)
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
    _after_commit(
        f"notice of the decision on application {application.pk}",
        lambda: _notify_unit_of_decision(application, decision, comment),
    )
    return application


# --- the county's recommendation list ------------------------------------------------------------


def recommendation_get_or_create(*, batch: Batch, region: Region) -> Recommendation:
    """The county's list for ``batch``, created as a draft the first time anyone opens it."""
    return _county_list(batch=batch, region_id=region.pk)


def _county_list(*, batch: Batch, region_id: int) -> Recommendation:
    existing = Recommendation.objects.filter(batch=batch, region_id=region_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Recommendation.objects.create(batch=batch, region_id=region_id)
    except IntegrityError:  # a colleague opened it at the same moment
        return Recommendation.objects.get(batch=batch, region_id=region_id)


def _lock_recommendation(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("batch", "region")
        .get(pk=recommendation.pk)
    )


def _lock_county_list(*, batch: Batch, region_id: int) -> Recommendation:
    """The county's list of ``batch`` under a row lock (created as a draft if need be).

    Every change that must not overlap the list's report to the city takes this lock first.
    """
    return _lock_recommendation(_county_list(batch=batch, region_id=region_id))


def _lock_entry(entry: RecommendationEntry, recommendation: Recommendation) -> RecommendationEntry:
    """The entry, re-read under the list's lock: a colleague may have removed it meanwhile."""
    found = (
        RecommendationEntry.objects.select_for_update(of=("self",))
        .filter(pk=entry.pk, recommendation=recommendation)
        .first()
    )
    if found is None:
        raise AlreadyHandled("该候选单位已被移出推荐名单，页面已刷新为最新状态。")
    return found


def _ensure_list_editable(actor: User, recommendation: Recommendation) -> None:
    if not is_county_hrss_of(actor, recommendation):
        raise PermissionDenied
    if not recommendation.is_editable:
        raise AlreadyHandled(
            f"推荐名单当前状态为“{recommendation.get_state_display()}”，不能修改；"
            "已提请会签或已会签的名单需由财政部门退回后才能修改。"
        )


def _clean_opinion(opinion: str) -> str:
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": "请填写推荐意见。"})
    if len(opinion) > OPINION_MAX_LENGTH:
        raise ValidationError(
            {"opinion": f"推荐意见不能超过 {OPINION_MAX_LENGTH} 字（当前 {len(opinion)} 字）。"}
        )
    return opinion


def _renumber(recommendation: Recommendation) -> None:
    for rank, entry in enumerate(recommendation.entries.order_by("rank", "pk"), start=1):
        if entry.rank != rank:
            entry.rank = rank
            entry.save(update_fields=["rank"])


@transaction.atomic
def recommendation_entry_add(
    *, recommendation: Recommendation, actor: User, application: Application, opinion: str
) -> RecommendationEntry:
    """Put one of the county's recommended applications at the end of the draft list."""
    recommendation = _lock_recommendation(recommendation)
    _ensure_list_editable(actor, recommendation)
    opinion = _clean_opinion(opinion)
    application = Application.objects.select_related("unit").get(pk=application.pk)
    if (
        application.batch_id != recommendation.batch_id
        or application.unit.region_id != recommendation.region_id
        or application.state != ApplicationState.RECOMMENDED
    ):
        raise ValidationError({"application": "只能列入本区县本批次已推荐为候选单位的申报。"})
    if RecommendationEntry.objects.filter(application=application).exists():
        raise AlreadyHandled("该申报已在推荐名单中。")
    last = recommendation.entries.aggregate(last=Max("rank"))["last"] or 0
    return RecommendationEntry.objects.create(
        recommendation=recommendation, application=application, rank=last + 1, opinion=opinion
    )


@transaction.atomic
def recommendation_entry_update(
    *, entry: RecommendationEntry, actor: User, opinion: str
) -> RecommendationEntry:
    """Change the opinion of one candidate while the list is a draft."""
    recommendation = _lock_recommendation(entry.recommendation)
    _ensure_list_editable(actor, recommendation)
    opinion = _clean_opinion(opinion)
    entry = _lock_entry(entry, recommendation)
    entry.opinion = opinion
    entry.save(update_fields=["opinion"])
    return entry


@transaction.atomic
def recommendation_entry_move(*, entry: RecommendationEntry, actor: User, offset: int) -> None:
    """Move one candidate up (-1) or down (+1) the list, swapping with its neighbour."""
    recommendation = _lock_recommendation(entry.recommendation)
    _ensure_list_editable(actor, recommendation)
    _renumber(recommendation)
    entries = list(recommendation.entries.order_by("rank", "pk"))
    index = next((i for i, item in enumerate(entries) if item.pk == entry.pk), None)
    if index is None:
        raise AlreadyHandled("该候选单位已被移出推荐名单，页面已刷新为最新状态。")
    other = index + (1 if offset > 0 else -1)
    if not 0 <= other < len(entries):
        return
    first, second = entries[index], entries[other]
    first.rank, second.rank = second.rank, first.rank
    first.save(update_fields=["rank"])
    second.save(update_fields=["rank"])


@transaction.atomic
def recommendation_entry_remove(*, entry: RecommendationEntry, actor: User) -> None:
    """Take one candidate off the draft list; the others close up."""
    recommendation = _lock_recommendation(entry.recommendation)
    _ensure_list_editable(actor, recommendation)
    deleted, _ = RecommendationEntry.objects.filter(pk=entry.pk, recommendation=recommendation).delete()
    if not deleted:
        raise AlreadyHandled("该候选单位已被移出推荐名单，页面已刷新为最新状态。")
    _renumber(recommendation)


def _names(names: list[str]) -> str:
    shown = "、".join(names[:NAMES_SHOWN])
    return f"{shown}等" if len(names) > NAMES_SHOWN else shown


def _list_problems(recommendation: Recommendation, now: datetime | None = None) -> list[str]:
    """What keeps the list from going to finance or to the city, every reason at once.

    The list is complete only when nothing can change the county's result any more: the batch no
    longer takes submissions, every handed-in application is decided, and no returned application
    can still be resubmitted (a returned unit may resubmit until the screening deadline). And it
    holds every recommended application.
    """
    now = now or timezone.now()
    batch = recommendation.batch
    problems = []
    if not recommendation.entries.exists():
        problems.append("推荐名单为空，请先将已推荐的申报列入名单。")
    if batch.accepts_submissions(now):
        problems.append(
            f"本批次申报尚未截止（申报截止时间：{_local(batch.submission_deadline)}），申报单位仍可提交申报，"
            "请于申报截止并完成初审后再提请会签或报送。"
        )
    in_county = Application.objects.filter(batch_id=batch.pk, unit__region_id=recommendation.region_id)
    open_states = [ApplicationState.SUBMITTED]
    # The same window in which ``application_submit`` accepts a resubmission.
    if now < batch.screening_deadline and batch.state in RESUBMISSION_BATCH_STATES:
        open_states.append(ApplicationState.RETURNED)
    pending: dict[str, list[str]] = {state: [] for state in open_states}
    for state, name in (
        in_county.filter(state__in=open_states)
        .order_by("submitted_at", "pk")
        .values_list("state", "unit__name")
    ):
        pending[state].append(name)
    undecided = pending[ApplicationState.SUBMITTED]
    if undecided:
        problems.append(
            f"还有 {len(undecided)} 个申报尚未作出初审决定（{_names(undecided)}），请先完成初审。"
        )
    returned = pending.get(ApplicationState.RETURNED, [])
    if returned:
        problems.append(
            f"还有 {len(returned)} 个退回修改的申报（{_names(returned)}）在初审截止时间"
            f"（{_local(batch.screening_deadline)}）前仍可重新提交，请待其重新提交并作出初审决定，"
            "或初审截止后再提请会签或报送。"
        )
    unlisted = in_county.filter(state=ApplicationState.RECOMMENDED, recommendation_entry__isnull=True).count()
    if unlisted:
        problems.append(f"还有 {unlisted} 个已推荐为候选单位的申报未列入推荐名单。")
    return problems


def _recommendation_url(recommendation: Recommendation) -> str:
    return reverse("review:recommendation", args=[recommendation.pk])


def _ensure_list_complete(recommendation: Recommendation, *, state: str) -> None:
    """Refuse to move on a list in ``state`` that is empty or misses recommended applications.

    In any other state the transition itself answers (already handled), so nothing is checked.
    """
    if recommendation.state == state:
        problems = _list_problems(recommendation)
        if problems:
            raise ValidationError(problems, code="incomplete")


def _notify_county_on_commit(recommendation: Recommendation, role: str, title: str, body: str = "") -> None:
    """Once committed, tell the county's ``role`` staff about the list: "<county><year>年度<title>"."""
    title = f"{recommendation.region}{recommendation.batch.year}年度{title}"
    url = _recommendation_url(recommendation)
    recipients = _county_staff(role, recommendation.region_id)
    _after_commit(
        f"notice to {role} about list {recommendation.pk}",
        lambda: notify(recipients=recipients, title=title, body=body, url=url),
    )


def _transition(recommendation: Recommendation, actor: User, name: str, comment: str) -> Recommendation:
    method = getattr(recommendation, name)
    if not can_proceed(method):
        raise AlreadyHandled(
            f"推荐名单当前状态为“{recommendation.get_state_display()}”，该操作已处理或不可执行，页面已刷新。"
        )
    try:
        method(by=actor, description=comment)
        recommendation.save()
    except (TransitionNotAllowed, ConcurrentTransition):
        raise AlreadyHandled("推荐名单已被他人处理，页面已刷新为最新状态。") from None
    return recommendation


def _clean_comment(comment: str, *, required: str = "") -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationError({"comment": required})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": f"意见不能超过 {COMMENT_MAX_LENGTH} 字。"})
    return comment


@transaction.atomic
def recommendation_request_cosign(
    *, recommendation: Recommendation, actor: User, comment: str = ""
) -> Recommendation:
    """County HRSS hands the draft list to county finance for its co-signature (提请会签).

    Refused (every reason at once, see ``_list_problems``) for an empty list, while the batch still
    takes submissions, while an application is undecided or a returned one may still be resubmitted,
    and while recommended applications are missing from the list. Side effects: transition log (an
    earlier send-back reason is cleared from ``finance_comment``; the log keeps it); the county
    finance staff's inbox and e-mail.
    """
    recommendation = _lock_recommendation(recommendation)
    if not is_county_hrss_of(actor, recommendation):
        raise PermissionDenied
    comment = _clean_comment(comment)
    _ensure_list_complete(recommendation, state=RecommendationState.DRAFT)
    _transition(recommendation, actor, "request_cosign", comment or "提请财政部门会签")
    _notify_county_on_commit(
        recommendation,
        Role.COUNTY_FINANCE,
        "实训基地推荐名单待会签",
        body=comment or "区县人社局已完成初审并编制推荐名单，请审核会签。",
    )
    return recommendation


@transaction.atomic
def recommendation_recall(
    *, recommendation: Recommendation, actor: User, comment: str = ""
) -> Recommendation:
    """County HRSS takes the list back before finance has signed (撤回). Side effect: finance told."""
    recommendation = _lock_recommendation(recommendation)
    if not is_county_hrss_of(actor, recommendation):
        raise PermissionDenied
    comment = _clean_comment(comment)
    _transition(recommendation, actor, "recall", comment or "区县人社局撤回会签申请")
    _notify_county_on_commit(recommendation, Role.COUNTY_FINANCE, "推荐名单已撤回，暂无需会签")
    return recommendation


@transaction.atomic
def recommendation_cosign(
    *, recommendation: Recommendation, actor: User, comment: str = ""
) -> Recommendation:
    """County finance co-signs the list (会签, optional comment). Side effect: county HRSS told."""
    recommendation = _lock_recommendation(recommendation)
    if not is_county_finance_of(actor, recommendation):
        raise PermissionDenied("只有本区县财政部门可以会签推荐名单。")
    comment = _clean_comment(comment)
    _ensure_list_complete(recommendation, state=RecommendationState.AWAITING_COSIGN)
    _transition(recommendation, actor, "cosign", comment or "同意")
    _notify_county_on_commit(
        recommendation,
        Role.COUNTY_HRSS,
        "推荐名单财政部门已会签",
        body=f"财政部门意见：{recommendation.finance_comment}\n请报送市人社局。",
    )
    return recommendation


@transaction.atomic
def recommendation_send_back(*, recommendation: Recommendation, actor: User, comment: str) -> Recommendation:
    """County finance returns the list to the draft (退回, comment required); an earlier
    co-signature is withdrawn with it. Side effect: county HRSS told why."""
    recommendation = _lock_recommendation(recommendation)
    if not is_county_finance_of(actor, recommendation):
        raise PermissionDenied("只有本区县财政部门可以退回推荐名单。")
    comment = _clean_comment(comment, required="退回时请填写退回意见。")
    _transition(recommendation, actor, "send_back", comment)
    _notify_county_on_commit(
        recommendation, Role.COUNTY_HRSS, "推荐名单被财政部门退回", body=f"退回意见：{comment}"
    )
    return recommendation


@transaction.atomic
def recommendation_submit(
    *, recommendation: Recommendation, actor: User, comment: str = ""
) -> Recommendation:
    """County HRSS reports the co-signed list to the city (报送市人社局).

    Checked again like the request for the co-signature (the clock may have moved since). Locks the
    county's screening decisions (``screening_decide`` takes the same row lock) and the units'
    submissions (``review.guards``). Side effects: transition log; city HRSS staff told; the
    recommendation letter rendered by a Celery task after commit — or, if that message is lost, by
    ``recommendation_letters_sweep`` within a minute.
    """
    from .tasks import render_recommendation_letter_task  # the task module imports this one

    recommendation = _lock_recommendation(recommendation)
    if not is_county_hrss_of(actor, recommendation):
        raise PermissionDenied
    comment = _clean_comment(comment)
    _ensure_list_complete(recommendation, state=RecommendationState.COSIGNED)
    _transition(recommendation, actor, "submit_to_city", comment or "报送市人社局")
    _after_commit(
        f"notice to the city about list {recommendation.pk}",
        lambda: notify(
            recipients=_active(User.objects.filter(role=Role.CITY_HRSS)),
            title=f"{recommendation.region}已报送{recommendation.batch.year}年度实训基地候选单位推荐名单",
            body=f"共推荐 {recommendation.entries.count()} 家候选单位（已经区县财政部门会签）。",
            url=reverse("review:city_overview") + f"?batch={recommendation.batch_id}",
        ),
    )
    _after_commit(
        f"enqueueing the letter of list {recommendation.pk} (the minute sweep renders it instead)",
        lambda: render_recommendation_letter_task.delay(recommendation_id=recommendation.pk),
    )
    return recommendation


# --- the recommendation letter -------------------------------------------------------------------


def recommendation_letter_render(*, recommendation_id: int, skip_locked: bool = False) -> bool:
    """Render and store the letter of a submitted list, once. Returns whether it rendered now.

    The row is re-read under a lock, so a second run (a redelivered task, a double enqueue, the
    sweep) finds the letter and does nothing. ``skip_locked`` (the sweep) passes over a list whose
    letter someone is rendering right now instead of waiting for it.
    """
    from .documents import render_recommendation_letter  # documents imports the models

    with transaction.atomic():
        recommendation = (
            Recommendation.objects.select_for_update(of=("self",), skip_locked=skip_locked)
            .filter(pk=recommendation_id)
            .first()
        )
        if recommendation is None:
            if skip_locked and Recommendation.objects.filter(pk=recommendation_id).exists():
                return False  # being rendered by the task at this moment
            logger.warning("recommendation %s vanished before its letter was rendered", recommendation_id)
            return False
        if recommendation.state != RecommendationState.SUBMITTED_TO_CITY or recommendation.letter:
            return False
        pdf = render_recommendation_letter(recommendation)
        recommendation.letter.save("letter.pdf", ContentFile(pdf), save=False)
        try:
            recommendation.letter_sha256 = hashlib.sha256(pdf).hexdigest()
            recommendation.letter_rendered_at = timezone.now()
            recommendation.save(update_fields=["letter", "letter_sha256", "letter_rendered_at", "updated_at"])
        except Exception:
            recommendation.letter.storage.delete(recommendation.letter.name)  # no orphan file
            raise
    logger.info("rendered recommendation letter of %s (%s bytes)", recommendation_id, len(pdf))
    return True


def recommendation_letters_sweep() -> int:
    """Render the letters of reported lists that have none: the task's message was lost (a broker
    outage at commit, a worker lost mid-render). Part of the minute sweep (DESIGN §8).

    Goes through ``recommendation_letter_render`` (row lock, state and letter re-checked), so a
    letter is never rendered twice, whoever gets there first. One letter that fails to render is
    logged and retried next minute; it does not stop the others. Returns how many it rendered.
    """
    missing = (
        Recommendation.objects.filter(state=RecommendationState.SUBMITTED_TO_CITY)
        .filter(Q(letter="") | Q(letter__isnull=True))
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)[:LETTER_SWEEP_LIMIT]
    )
    rendered = 0
    for recommendation_id in list(missing):
        try:
            rendered += recommendation_letter_render(recommendation_id=recommendation_id, skip_locked=True)
        except Exception:
            logger.exception(
                "letter of recommendation %s failed to render; the next sweep retries", recommendation_id
            )
    return rendered


# --- deadline reminders --------------------------------------------------------------------------


def _counties_with_open_work(batch: Batch) -> list[tuple[int, str, int | None]]:
    """(region id, name, id of its list awaiting the co-signature or None) of every county with
    submitted applications still undecided, recommended ones not yet reported, or a list awaiting
    the finance co-signature."""
    undecided = Application.objects.filter(
        batch=batch, unit__region=OuterRef("pk"), state=ApplicationState.SUBMITTED
    )
    recommended = Application.objects.filter(
        batch=batch, unit__region=OuterRef("pk"), state=ApplicationState.RECOMMENDED
    )
    reported = Recommendation.objects.filter(
        batch=batch, region=OuterRef("pk"), state=RecommendationState.SUBMITTED_TO_CITY
    )
    awaiting = Recommendation.objects.filter(
        batch=batch, region=OuterRef("pk"), state=RecommendationState.AWAITING_COSIGN
    ).values("pk")[:1]
    rows = (
        Region.objects.annotate(
            undecided=Exists(undecided),
            recommended=Exists(recommended),
            reported=Exists(reported),
            awaiting=Subquery(awaiting),
        )
        .order_by("sort_order")
        .values_list("pk", "name", "undecided", "recommended", "reported", "awaiting")
    )
    return [
        (pk, name, awaiting_id)
        for pk, name, is_undecided, is_recommended, is_reported, awaiting_id in rows
        if is_undecided or (is_recommended and not is_reported) or awaiting_id is not None
    ]


def _reminder_due(batch: Batch, now: datetime) -> str | None:
    remaining = batch.screening_deadline - now
    if remaining.total_seconds() <= 0:
        return None
    for kind, lead in REMINDER_LEAD:
        if remaining <= lead:
            return kind
    return None


def screening_reminders_sweep(now: datetime | None = None) -> int:
    """Remind the county 3 days and 1 day before the screening deadline, once per kind.

    Only counties with open work are reminded: county HRSS when applications are undecided or the
    list is unreported, county finance as well when the list awaits its co-signature. The unique
    ``ScreeningReminder`` row, created in the same transaction as the messages, makes a second
    sweep (or a concurrent one) send nothing; no row is written when nobody could be told (no
    active account yet), so the reminder goes out once someone can read it. When the sweep ran late
    and both reminders are due, only the more urgent one goes out. Returns how many were sent.
    """
    now = now or timezone.now()
    sent = 0
    batches = Batch.objects.filter(
        screening_deadline__gt=now, screening_deadline__lte=now + REMINDER_LEAD[-1][1]
    ).exclude(state=BatchState.DRAFT)
    for batch in batches:
        kind = _reminder_due(batch, now)
        if kind is None:
            continue
        for region_id, region_name, awaiting_id in _counties_with_open_work(batch):
            sent += _send_reminder(batch, region_id, region_name, kind, awaiting_id)
    return sent


def _send_reminder(batch: Batch, region_id: int, region_name: str, kind: str, awaiting_id: int | None) -> int:
    days = "1" if kind == ReminderKind.ONE_DAY else "3"
    deadline = _local(batch.screening_deadline)
    try:
        with transaction.atomic():
            if ScreeningReminder.objects.filter(batch=batch, region_id=region_id, kind=kind).exists():
                return 0
            hrss = list(_county_staff(Role.COUNTY_HRSS, region_id))
            finance = list(_county_staff(Role.COUNTY_FINANCE, region_id)) if awaiting_id else []
            if not hrss and not finance:
                logger.warning("no active staff in region %s to remind of batch %s", region_id, batch.pk)
                return 0
            ScreeningReminder.objects.create(
                batch=batch, region_id=region_id, kind=kind, recipients=len(hrss) + len(finance)
            )
            _remind(
                hrss,
                title=f"{batch.year}年度实训基地区县初审将于{days}天内截止",
                body=(
                    f"初审截止时间：{deadline}。"
                    "本区县尚有未处理的申报或未报送的推荐名单，逾期将不能再作出初审决定。"
                ),
                url=reverse("review:queue") + f"?batch={batch.pk}",
            )
            if awaiting_id is not None:
                _remind(
                    finance,
                    title=f"{region_name}{batch.year}年度实训基地推荐名单待会签，初审将于{days}天内截止",
                    body=(
                        f"初审截止时间：{deadline}。区县人社局已提请会签推荐名单，"
                        "请及时审核会签，以便按时报送市人社局。"
                    ),
                    url=reverse("review:recommendation", args=[awaiting_id]),
                )
    except IntegrityError:  # a concurrent sweep created the row first: it sends, we do not
        return 0
    return 1


def _remind(recipients: Iterable[User], *, title: str, body: str, url: str) -> None:
    recipients = list(recipients)
    if recipients:
        notify(recipients=recipients, title=title, body=body, url=url)
