"""The county's recommendation list (区县推荐, clause 4.1): its entries, the finance co-signature
(会签) and the report to the city.

``draft → awaiting_cosign → cosigned → submitted_to_city``; finance may send it back, HRSS may recall
it before the signature. Every service locks the list row, asks its permission, writes its audit
entry in the same transaction and notifies the next person in line.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from applications.enums import ApplicationState
from applications.models import Application, Batch
from applications.workflow.services import RESUBMISSION_BATCH_STATES
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.accounts.selectors import city_hrss_staff, county_finance_of, county_hrss_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.documents.numbering import document_number_allocate
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from ..enums import RecommendationState
from ..models import COMMENT_MAX_LENGTH, OPINION_MAX_LENGTH, Recommendation, RecommendationEntry
from ._common import (
    county_list,
    local,
    lock_entry,
    lock_recommendation,
    recommendation_url,
)

# How many unit names a refusal spells out before it says "等".
NAMES_SHOWN = 5


@transaction.atomic
def recommendation_start(*, batch: Batch, region: Region, actor: User) -> Recommendation:
    """County HRSS opens its (empty) list for a batch; an existing list is returned as it is.

    Side effect: the list row, an audit entry when it was created now.
    """
    recommendation = Recommendation(batch=batch, region=region)
    require_perm(actor, "review.compile_recommendation", recommendation)
    existed = Recommendation.objects.filter(batch=batch, region=region).exists()
    recommendation = county_list(batch=batch, region_id=region.pk)
    if not existed:
        audit_event(actor=actor, summary="开始编制推荐名单", obj=recommendation)
    return recommendation


def _ensure_list_editable(actor: User, recommendation: Recommendation) -> None:
    require_perm(actor, "review.compile_recommendation", recommendation)
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


def _audit_entry(actor: User, summary: str, entry: RecommendationEntry, **detail) -> None:
    audit_event(
        actor=actor,
        summary=summary,
        obj=entry.recommendation,
        detail={"application": entry.application_id, "unit": str(entry.application.unit), **detail},
    )


@transaction.atomic
def recommendation_entry_add(
    *, recommendation: Recommendation, actor: User, application: Application, opinion: str
) -> RecommendationEntry:
    """Put one of the county's recommended applications at the end of the draft list."""
    recommendation = lock_recommendation(recommendation)
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
    entry = RecommendationEntry.objects.create(
        recommendation=recommendation, application=application, rank=last + 1, opinion=opinion
    )
    _audit_entry(actor, "列入推荐名单", entry, rank=entry.rank, opinion=opinion)
    return entry


@transaction.atomic
def recommendation_entry_update(
    *, entry: RecommendationEntry, actor: User, opinion: str
) -> RecommendationEntry:
    """Change the opinion of one candidate while the list is a draft."""
    recommendation = lock_recommendation(entry.recommendation)
    _ensure_list_editable(actor, recommendation)
    opinion = _clean_opinion(opinion)
    entry = lock_entry(entry, recommendation)
    previous = entry.opinion
    entry.opinion = opinion
    entry.save(update_fields=["opinion"])
    _audit_entry(actor, "修改推荐意见", entry, opinion=opinion, previous=previous)
    return entry


@transaction.atomic
def recommendation_entry_move(*, entry: RecommendationEntry, actor: User, offset: int) -> bool:
    """Move one candidate up (-1) or down (+1) the list, swapping with its neighbour. Returns False
    when it is already first (last) and nothing moved."""
    recommendation = lock_recommendation(entry.recommendation)
    _ensure_list_editable(actor, recommendation)
    _renumber(recommendation)
    entries = list(recommendation.entries.select_related("application__unit").order_by("rank", "pk"))
    index = next((i for i, item in enumerate(entries) if item.pk == entry.pk), None)
    if index is None:
        raise AlreadyHandled("该候选单位已被移出推荐名单，页面已刷新为最新状态。")
    other = index + (1 if offset > 0 else -1)
    if not 0 <= other < len(entries):
        return False
    first, second = entries[index], entries[other]
    first.rank, second.rank = second.rank, first.rank
    first.save(update_fields=["rank"])
    second.save(update_fields=["rank"])
    _audit_entry(actor, "调整推荐顺序", first, rank=first.rank)
    return True


@transaction.atomic
def recommendation_entry_remove(*, entry: RecommendationEntry, actor: User) -> None:
    """Take one candidate off the draft list; the others close up."""
    recommendation = lock_recommendation(entry.recommendation)
    _ensure_list_editable(actor, recommendation)
    entry = lock_entry(entry, recommendation)
    _audit_entry(actor, "移出推荐名单", entry)
    entry.delete()
    _renumber(recommendation)


# --- readiness -----------------------------------------------------------------------------------


def _names(names: list[str]) -> str:
    shown = "、".join(names[:NAMES_SHOWN])
    return f"{shown}等" if len(names) > NAMES_SHOWN else shown


def recommendation_problems(recommendation: Recommendation, now: datetime | None = None) -> list[str]:
    """What keeps the list from going to finance or to the city, every reason at once.

    The list is complete only when nothing can change the county's result any more: the batch no
    longer takes submissions, every handed-in application is decided, and no returned application
    can still be resubmitted (a returned unit may resubmit until the screening deadline). And it
    holds every recommended application. The page shows these beside the disabled button.
    """
    now = now or timezone.now()
    batch = recommendation.batch
    problems = []
    if not recommendation.entries.exists():
        problems.append("推荐名单为空，请先将已推荐的申报列入名单。")
    if batch.accepts_submissions(now):
        problems.append(
            f"本批次申报尚未截止（申报截止时间：{local(batch.submission_deadline)}），申报单位仍可提交申报，"
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
            f"（{local(batch.screening_deadline)}）前仍可重新提交，请待其重新提交并作出初审决定，"
            "或初审截止后再提请会签或报送。"
        )
    unlisted = in_county.filter(state=ApplicationState.RECOMMENDED, recommendation_entry__isnull=True).count()
    if unlisted:
        problems.append(f"还有 {unlisted} 个已推荐为候选单位的申报未列入推荐名单。")
    region = recommendation.region
    if not (region.doc_prefix and region.contact_name and region.contact_phone):
        problems.append("推荐函须印发文字号和联系人：请先在“区县设置”中填写发文机关代字、联系人和联系电话。")
    return problems


def _ensure_list_complete(recommendation: Recommendation, *, state: str) -> None:
    """Refuse to move on a list in ``state`` that is empty or misses recommended applications.

    In any other state the transition itself answers (already handled), so nothing is checked.
    """
    if recommendation.state == state:
        problems = recommendation_problems(recommendation)
        if problems:
            raise ValidationError(problems, code="incomplete")


# --- transitions ---------------------------------------------------------------------------------

#: The Chinese name of each step, for the audit trail and the messages.
STEPS = {
    "request_cosign": "提请财政会签",
    "recall": "撤回会签申请",
    "cosign": "财政会签",
    "send_back": "财政退回推荐名单",
    "submit_to_city": "报送市人力社保局",
}


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
    audit_event(
        actor=actor,
        summary=STEPS[name],
        obj=recommendation,
        detail={"state": recommendation.state, "comment": comment},
    )
    return recommendation


def _clean_comment(comment: str, *, required: str = "") -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationError({"comment": required})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": f"意见不能超过 {COMMENT_MAX_LENGTH} 字。"})
    return comment


def _tell(recommendation: Recommendation, recipients, title: str, body: str = "") -> None:
    """Tell the next person in line: "<county><year>年度<title>", linking to the list."""
    notify(
        recipients=recipients,
        title=f"{recommendation.region}{recommendation.batch.year}年度{title}",
        body=body,
        url=recommendation_url(recommendation),
    )


@transaction.atomic
def recommendation_request_cosign(
    *, recommendation: Recommendation, actor: User, comment: str = ""
) -> Recommendation:
    """County HRSS hands the draft list to county finance for its co-signature (提请会签).

    Refused (every reason at once, see ``recommendation_problems``) for an empty list, while the
    batch still takes submissions, while an application is undecided or a returned one may still be
    resubmitted, and while recommended applications are missing from the list. Side effects:
    transition log (an earlier send-back reason is cleared from ``finance_comment``; the log keeps
    it), an audit entry, the county finance staff's inbox and e-mail.
    """
    require_perm(actor, "review.compile_recommendation", recommendation)
    recommendation = lock_recommendation(recommendation)
    comment = _clean_comment(comment)
    _ensure_list_complete(recommendation, state=RecommendationState.DRAFT)
    _transition(recommendation, actor, "request_cosign", comment or "提请财政部门会签")
    _tell(
        recommendation,
        county_finance_of(recommendation.region_id),
        "实训基地推荐名单待会签",
        body=comment or "区县人力社保局已完成初审并编制推荐名单，请审核会签。",
    )
    return recommendation


@transaction.atomic
def recommendation_recall(
    *, recommendation: Recommendation, actor: User, comment: str = ""
) -> Recommendation:
    """County HRSS takes the list back before finance has signed (撤回). Side effect: finance told."""
    require_perm(actor, "review.compile_recommendation", recommendation)
    recommendation = lock_recommendation(recommendation)
    comment = _clean_comment(comment)
    _transition(recommendation, actor, "recall", comment or "区县人力社保局撤回会签申请")
    _tell(recommendation, county_finance_of(recommendation.region_id), "推荐名单已撤回，暂无需会签")
    return recommendation


@transaction.atomic
def recommendation_cosign(
    *, recommendation: Recommendation, actor: User, comment: str = ""
) -> Recommendation:
    """County finance co-signs the list (会签, optional comment). Side effect: county HRSS told."""
    require_perm(actor, "review.cosign_recommendation", recommendation)
    recommendation = lock_recommendation(recommendation)
    comment = _clean_comment(comment)
    _ensure_list_complete(recommendation, state=RecommendationState.AWAITING_COSIGN)
    _transition(recommendation, actor, "cosign", comment or "同意")
    _tell(
        recommendation,
        county_hrss_of(recommendation.region_id),
        "推荐名单财政部门已会签",
        body=f"财政部门意见：{recommendation.finance_comment}\n请报送市人力社保局。",
    )
    return recommendation


@transaction.atomic
def recommendation_send_back(*, recommendation: Recommendation, actor: User, comment: str) -> Recommendation:
    """County finance returns the list to the draft (退回, comment required); an earlier
    co-signature is withdrawn with it. Side effect: county HRSS told why."""
    require_perm(actor, "review.cosign_recommendation", recommendation)
    recommendation = lock_recommendation(recommendation)
    comment = _clean_comment(comment, required="退回时请填写退回意见。")
    _transition(recommendation, actor, "send_back", comment)
    _tell(
        recommendation,
        county_hrss_of(recommendation.region_id),
        "推荐名单被财政部门退回",
        f"退回意见：{comment}",
    )
    return recommendation


@transaction.atomic
def recommendation_submit(
    *, recommendation: Recommendation, actor: User, comment: str = ""
) -> Recommendation:
    """County HRSS reports the co-signed list to the city (报送市人力社保局).

    Checked again like the request for the co-signature (the clock may have moved since). Locks the
    county's screening decisions (``screening_decide`` takes the same row lock) and the units'
    submissions (``screening.guards``). Side effects: transition log, audit entry, the letter's
    发文字号 allocated (gap-free per county and year), city HRSS staff told; the recommendation
    letter rendered by a Celery task after commit — or, if that message is lost, by
    ``recommendation_letters_sweep`` within a few minutes.
    """
    from ..tasks import render_recommendation_letter_task  # the task module imports this package

    require_perm(actor, "review.compile_recommendation", recommendation)
    recommendation = lock_recommendation(recommendation)
    comment = _clean_comment(comment)
    _ensure_list_complete(recommendation, state=RecommendationState.COSIGNED)
    _transition(recommendation, actor, "submit_to_city", comment or "报送市人力社保局")
    # The letter's number is taken now, in this transaction: gap-free for the county's year.
    recommendation.letter_number = document_number_allocate(
        prefix=recommendation.region.doc_prefix, year=timezone.localdate(recommendation.submitted_at).year
    )
    recommendation.save(update_fields=["letter_number"])
    notify(
        recipients=city_hrss_staff(),
        title=f"{recommendation.region}已报送{recommendation.batch.year}年度实训基地候选单位推荐名单",
        body=f"共推荐 {recommendation.entries.count()} 家候选单位（已经区县财政部门会签）。",
        url=reverse("review:city_overview") + f"?batch={recommendation.batch_id}",
    )
    # robust: the list is reported whatever the broker says; the sweep renders a letter whose
    # message was lost.
    transaction.on_commit(
        lambda: render_recommendation_letter_task.delay(recommendation_id=recommendation.pk), robust=True
    )
    return recommendation
