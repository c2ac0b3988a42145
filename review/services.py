"""Use cases of the county screening (clause 4.1): the only place that changes its state.

Each function is keyword-only, takes the acting user, runs in one transaction, re-reads the row
under a lock before a transition, and enqueues side effects with ``on_commit``. A decision taken
twice (a double click, a colleague, the clock) raises ``AlreadyHandled`` — shown as "已处理",
never a 500.
"""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from applications.eligibility import NEEDS_JUDGEMENT
from applications.enums import ApplicationState, BatchState
from applications.indicators import application_check
from applications.models import Application, Batch
from applications.services import AlreadyHandled
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_record
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

DECISION_DEFAULT_COMMENTS = {
    ScreeningDecision.RECOMMEND: "经区县初审，同意推荐为市级高技能人才公共实训基地建设项目候选单位。",
}

# How many days before the screening deadline each reminder goes out, most urgent first.
REMINDER_LEAD = ((ReminderKind.ONE_DAY, timedelta(days=1)), (ReminderKind.THREE_DAYS, timedelta(days=3)))


def _local(value) -> str:
    return f"{timezone.localtime(value):%Y-%m-%d %H:%M}"


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


def screening_closed_reason(application: Application, now=None) -> str:
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
    if not is_screener_of_application(actor, application):
        raise PermissionDenied
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

    Judging again updates the row. Side effect: an audit entry with the previous call.
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
    audit_record(
        action=AuditAction.STATE_CHANGE,
        outcome=AuditOutcome.SUCCESS,
        actor=actor,
        object_repr=f"{application}·{result.clause} {key}",
        detail={
            "kind": "clause_judgement",
            "application": application.pk,
            "clause": result.clause,
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
    county's list has been reported to the city. Side effects: the transition log (by +
    description), ``county_comment`` shown to the unit, the unit members' inbox and e-mail.
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
    _ensure_can_screen(actor, application)
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
    transaction.on_commit(lambda: _notify_unit_of_decision(application, decision, comment))
    return application


# --- the county's recommendation list ------------------------------------------------------------


def recommendation_get_or_create(*, batch: Batch, region: Region) -> Recommendation:
    """The county's list for ``batch``, created as a draft the first time anyone opens it."""
    existing = Recommendation.objects.filter(batch=batch, region=region).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return Recommendation.objects.create(batch=batch, region=region)
    except IntegrityError:  # a colleague opened it at the same moment
        return Recommendation.objects.get(batch=batch, region=region)


def _lock_recommendation(recommendation: Recommendation) -> Recommendation:
    return (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("batch", "region")
        .get(pk=recommendation.pk)
    )


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
    _ensure_list_editable(actor, _lock_recommendation(entry.recommendation))
    entry.opinion = _clean_opinion(opinion)
    entry.save(update_fields=["opinion"])
    return entry


@transaction.atomic
def recommendation_entry_move(*, entry: RecommendationEntry, actor: User, offset: int) -> None:
    """Move one candidate up (-1) or down (+1) the list, swapping with its neighbour."""
    recommendation = _lock_recommendation(entry.recommendation)
    _ensure_list_editable(actor, recommendation)
    _renumber(recommendation)
    entries = list(recommendation.entries.order_by("rank", "pk"))
    index = next(i for i, item in enumerate(entries) if item.pk == entry.pk)
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
    RecommendationEntry.objects.filter(pk=entry.pk).delete()
    _renumber(recommendation)


def _list_problems(recommendation: Recommendation) -> list[str]:
    """What keeps the list from going to finance or to the city."""
    problems = []
    if not recommendation.entries.exists():
        problems.append("推荐名单为空，请先将已推荐的申报列入名单。")
    unlisted = Application.objects.filter(
        batch_id=recommendation.batch_id,
        unit__region_id=recommendation.region_id,
        state=ApplicationState.RECOMMENDED,
        recommendation_entry__isnull=True,
    ).count()
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
    transaction.on_commit(lambda: notify(recipients=recipients, title=title, body=body, url=url))


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

    Refused for an empty list or while recommended applications are missing from it. Side
    effects: transition log; the county finance staff's inbox and e-mail.
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

    Refused for an empty list. Locks the county's screening decisions. Side effects: transition
    log; city HRSS staff told; the recommendation letter rendered by a Celery task after commit.
    """
    from .tasks import render_recommendation_letter_task  # the task module imports this one

    recommendation = _lock_recommendation(recommendation)
    if not is_county_hrss_of(actor, recommendation):
        raise PermissionDenied
    comment = _clean_comment(comment)
    _ensure_list_complete(recommendation, state=RecommendationState.COSIGNED)
    _transition(recommendation, actor, "submit_to_city", comment or "报送市人社局")
    transaction.on_commit(
        lambda: notify(
            recipients=_active(User.objects.filter(role=Role.CITY_HRSS)),
            title=f"{recommendation.region}已报送{recommendation.batch.year}年度实训基地候选单位推荐名单",
            body=f"共推荐 {recommendation.entries.count()} 家候选单位（已经区县财政部门会签）。",
            url=reverse("review:city_overview") + f"?batch={recommendation.batch_id}",
        )
    )
    render_recommendation_letter_task.delay_on_commit(recommendation_id=recommendation.pk)
    return recommendation


# --- the recommendation letter -------------------------------------------------------------------


def recommendation_letter_render(*, recommendation_id: int) -> bool:
    """Render and store the letter of a submitted list, once. Returns whether it rendered now.

    The row is re-read under a lock, so a second run (a redelivered task, a double enqueue)
    finds the letter and does nothing.
    """
    from .documents import render_recommendation_letter  # documents imports the models

    with transaction.atomic():
        recommendation = (
            Recommendation.objects.select_for_update(of=("self",)).filter(pk=recommendation_id).first()
        )
        if recommendation is None:
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


# --- deadline reminders --------------------------------------------------------------------------


def _counties_with_open_work(batch: Batch) -> list[Region]:
    """Counties with submitted applications still undecided, or recommended ones not yet reported."""
    undecided = Application.objects.filter(
        batch=batch, unit__region=OuterRef("pk"), state=ApplicationState.SUBMITTED
    )
    recommended = Application.objects.filter(
        batch=batch, unit__region=OuterRef("pk"), state=ApplicationState.RECOMMENDED
    )
    reported = Recommendation.objects.filter(
        batch=batch, region=OuterRef("pk"), state=RecommendationState.SUBMITTED_TO_CITY
    )
    return list(
        Region.objects.annotate(
            undecided=Exists(undecided), recommended=Exists(recommended), reported=Exists(reported)
        ).order_by("sort_order")
    )


def _reminder_due(batch: Batch, now) -> str | None:
    remaining = batch.screening_deadline - now
    if remaining.total_seconds() <= 0:
        return None
    for kind, lead in REMINDER_LEAD:
        if remaining <= lead:
            return kind
    return None


def screening_reminders_sweep(now=None) -> int:
    """Remind county HRSS 3 days and 1 day before the screening deadline, once per kind.

    Only counties with undecided submitted applications or an unreported list are reminded. The
    unique ``ScreeningReminder`` row, created in the same transaction as the messages, makes a
    second sweep (or a concurrent one) send nothing. When the sweep ran late and both reminders
    are due, only the more urgent one goes out. Returns how many reminders were sent.
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
        for region in _counties_with_open_work(batch):
            if not (region.undecided or (region.recommended and not region.reported)):
                continue
            sent += _send_reminder(batch, region, kind)
    return sent


def _send_reminder(batch: Batch, region: Region, kind: str) -> int:
    try:
        with transaction.atomic():
            if ScreeningReminder.objects.filter(batch=batch, region=region, kind=kind).exists():
                return 0
            reminder = ScreeningReminder.objects.create(batch=batch, region=region, kind=kind)
            staff = list(_county_staff(Role.COUNTY_HRSS, region.pk))
            days = "1" if kind == ReminderKind.ONE_DAY else "3"
            notify(
                recipients=staff,
                title=f"{batch.year}年度实训基地区县初审将于{days}天内截止",
                body=(
                    f"初审截止时间：{_local(batch.screening_deadline)}。"
                    "本区县尚有未处理的申报或未报送的推荐名单，逾期将不能再作出初审决定。"
                ),
                url=reverse("review:queue") + f"?batch={batch.pk}",
            )
            reminder.recipients = len(staff)
            reminder.save(update_fields=["recipients"])
    except IntegrityError:  # a concurrent sweep created the row first: it sends, we do not
        return 0
    return 1
