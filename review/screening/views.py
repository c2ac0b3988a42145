"""HTTP for the county screening (clause 4.1): the work queue, the screening page, the county's
recommendation list with the finance co-signature, the letter download and the city overview.

Views handle HTTP only: they ask the permission (`core.permissions`), find objects through scoped
selectors (outside the scope: 404, and the probe is audited), call one service — which checks,
locks, writes and audits — and turn ``AlreadyHandled`` / ``ValidationError`` into a Chinese message.
"""

import logging
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.dossier import application_dossier
from applications.enums import ApplicationState
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.core.deadlines import countdown
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.core.http import private_download
from shaoxing_bases.documents.selectors import issued_document_for
from shaoxing_bases.permissions import get_object_for, permission_required

from . import selectors, services
from .documents import LETTER_KIND
from .enums import RecommendationState, ScreeningDecision
from .forms import (
    CountySettingsForm,
    EntryAddForm,
    FinanceOpinionForm,
    OpinionForm,
    QueueFilterForm,
    ScreeningForm,
    SignedScanForm,
    TransitionForm,
)
from .models import Recommendation, RecommendationEntry

logger = logging.getLogger(__name__)

QUEUE_PAGE_SIZE = 50
ENTRIES_PAGE_SIZE = 50


def _back_to_entry(entry: RecommendationEntry):
    """The list page showing ``entry`` (by its rank), after a change to it."""
    url = reverse("review:recommendation", kwargs={"pk": entry.recommendation_id})
    page = (max(entry.rank, 1) - 1) // ENTRIES_PAGE_SIZE + 1
    return redirect(f"{url}?page={page}" if page > 1 else url)


def _error_text(error: ValidationError) -> str:
    return "；".join(error.messages)


def _application(request, pk: int):
    return get_object_for(
        request, "review.screen_application", selectors.applications_for_screening(request.user), pk=pk
    )


def _recommendation(request, pk: int, perm: str = "review.view_recommendation") -> Recommendation:
    return get_object_for(request, perm, selectors.recommendations_visible_to(request.user), pk=pk)


# --- the county work queue -----------------------------------------------------------------------


@require_GET
@permission_required("review.screen_application")
def queue(request):
    """初审工作台: the county's handed-in applications of one batch with their auto-check summary."""
    batches = selectors.batches_for_screening()
    batch = selectors.batch_from_query(batches, request.GET.get("batch"))
    filters = QueueFilterForm(request.GET or None)
    state = unit_type = ""
    if filters.is_valid():
        state, unit_type = filters.cleaned_data["status"], filters.cleaned_data["unit_type"]
    rows, page_obj, recommendation = [], None, None
    if batch is not None:
        applications = selectors.screening_queue(request.user, batch, state=state, unit_type=unit_type)
        page_obj = Paginator(applications, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
        rows = [(application, selectors.screening_check(application)) for application in page_obj]
        recommendation = selectors.recommendations_visible_to(request.user).filter(batch=batch).first()
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "review/screening/queue.html",
        {
            "batches": batches,
            "batch": batch,
            "filters": filters,
            "rows": rows,
            "page_obj": page_obj,
            "is_paginated": bool(page_obj and page_obj.has_other_pages()),
            "query_string": query.urlencode(),
            "countdown": countdown(batch.screening_deadline) if batch else None,
            "recommendation": recommendation,
        },
    )


# --- the screening page --------------------------------------------------------------------------


def _screen_page(request, application, *, form=None):
    check = selectors.screening_check(application)
    form = form or ScreeningForm(check.rows)
    evidence = selectors.evidence_by_criterion(application)
    rows = [(row, form.judgements.get(row.key), evidence.get(row.key, [])) for row in check.rows]
    closed = services.screening_closed_reason(application)
    return render(
        request,
        "review/screening/screen.html",
        {
            **application_dossier(application),
            "batch": application.batch,
            "check": check,
            "rows": rows,
            "form": form,
            "decision_form": form.decision,
            "blockers": services.recommendation_blockers(check) if check.failing else "",
            "finance_opinion": getattr(application, "finance_opinion", None),
            "decidable": application.state == ApplicationState.SUBMITTED and not closed,
            "closed_reason": closed,
            "countdown": countdown(application.batch.screening_deadline),
        },
    )


@require_GET
@permission_required("review.screen_application")
def screen(request, pk: int):
    """One application read-only beside its per-clause auto-check with each clause's evidence, the
    judgements, the finance bureau's opinion and the decision — one form."""
    return _screen_page(request, _application(request, pk))


@require_POST
@permission_required("review.screen_application")
def decide(request, pk: int):
    """Judgements and 推荐 / 退回修改 / 初审不通过 in one go ("仅保存判断": the judgements only).
    Anything wrong re-renders the page with everything typed and the errors beside their fields."""
    application = _application(request, pk)
    check = selectors.screening_check(application)
    form = ScreeningForm(check.rows, request.POST)
    deciding = "save_only" not in request.POST
    if not form.is_valid():
        return _screen_page(request, application, form=form)
    decision = form.decision.cleaned_data["decision"] if deciding else None
    try:
        services.screening_record(
            application=application,
            actor=request.user,
            judgements=form.judgement_inputs(),
            decision=decision,
            reason=form.decision.cleaned_data["reason"],
        )
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
        return redirect("review:screen", pk=application.pk)
    except ValidationError as error:
        # Nothing was saved; the service worked on its own locked copy and ``application`` is current.
        form.add_service_errors(error)
        return _screen_page(request, application, form=form)
    if not deciding:
        messages.success(request, "已保存条款判断。")
        return redirect(f"{reverse('review:screen', args=[application.pk])}#decision")
    messages.success(
        request, f"已作出初审结论：{ScreeningDecision(str(decision)).label}。已通知{application.unit.name}。"
    )
    return redirect(f"{reverse('review:queue')}?batch={application.batch_id}")


# --- county finance's opinions -------------------------------------------------------------------


@require_GET
@permission_required("review.give_finance_opinion")
def finance_queue(request):
    """财政意见: the county's handed-in applications of one batch, with finance's opinion so far."""
    batches = selectors.batches_for_screening()
    batch = selectors.batch_from_query(batches, request.GET.get("batch"))
    page_obj = None
    if batch is not None:
        applications = selectors.finance_queue(request.user, batch)
        page_obj = Paginator(applications, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "review/screening/finance_queue.html",
        {
            "batches": batches,
            "batch": batch,
            "page_obj": page_obj,
            "applications": page_obj.object_list if page_obj else [],
            "is_paginated": bool(page_obj and page_obj.has_other_pages()),
            "query_string": f"batch={batch.pk}" if batch else "",
            "countdown": countdown(batch.screening_deadline) if batch else None,
        },
    )


def _finance_page(request, application, form=None):
    return render(
        request,
        "review/screening/finance_opinion.html",
        {
            **application_dossier(application),
            "batch": application.batch,
            "check": selectors.screening_check(application),
            "form": form
            or FinanceOpinionForm(
                initial={"opinion": application.finance_opinion.opinion}
                if hasattr(application, "finance_opinion")
                else None
            ),
            "finance_opinion": getattr(application, "finance_opinion", None),
            "closed_reason": services.finance_opinion_closed_reason(application),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("review.give_finance_opinion")
def finance_opinion(request, pk: int):
    """One application for county finance: read-only, with its auto-check, and finance's opinion."""
    application = get_object_for(
        request, "review.give_finance_opinion", selectors.applications_for_screening(request.user), pk=pk
    )
    if request.method == "GET":
        return _finance_page(request, application)
    form = FinanceOpinionForm(request.POST)
    if not form.is_valid():
        return _finance_page(request, application, form)
    try:
        services.finance_opinion_give(
            application=application, actor=request.user, opinion=form.cleaned_data["opinion"]
        )
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
        return redirect("review:finance_opinion", pk=application.pk)
    except ValidationError as error:
        add_service_errors(error, form)
        return _finance_page(request, application, form)
    messages.success(request, f"已保存对{application.unit.name}的财政部门意见。")
    return redirect(f"{reverse('review:finance_queue')}?batch={application.batch_id}")


# --- the county's recommendation list ------------------------------------------------------------


@require_GET
@permission_required("review.list_county_recommendations")
def recommendations(request):
    """推荐名单: the county's list for every batch, with where each stands."""
    batches = list(selectors.batches_for_screening())
    lists = {rec.batch_id: rec for rec in selectors.recommendations_visible_to(request.user)}
    return render(
        request,
        "review/screening/recommendations.html",
        {"rows": [(batch, lists.get(batch.pk)) for batch in batches]},
    )


@require_GET
@permission_required("review.list_county_recommendations")
def recommendation_for_batch(request, batch_pk: int):
    """The county's list for one batch; before anyone compiled one, a page that says so (a GET never
    creates anything: county HRSS starts the list with a POST)."""
    batch = get_object_or_404(selectors.batches_for_screening(), pk=batch_pk)
    existing = selectors.recommendations_visible_to(request.user).filter(batch=batch).first()
    if existing is not None:
        return redirect("review:recommendation", pk=existing.pk)
    unsaved = Recommendation(batch=batch, region=request.user.region)
    return render(
        request,
        "review/screening/recommendation_empty.html",
        {"batch": batch, "recommendation": unsaved, "countdown": countdown(batch.screening_deadline)},
    )


@require_POST
@permission_required("review.compile_recommendation")
def recommendation_start(request, batch_pk: int):
    """开始编制: county HRSS opens its list for the batch (an existing one is simply opened)."""
    batch = get_object_or_404(selectors.batches_for_screening(), pk=batch_pk)
    recommendation = services.recommendation_start(
        batch=batch, region=request.user.region, actor=request.user
    )
    return redirect("review:recommendation", pk=recommendation.pk)


#: The steps of the list, by state: (action, label, button tone, whose step).
STEPS_BY_STATE = {
    RecommendationState.DRAFT: [("request_cosign", "提请财政会签", "primary", "compile")],
    RecommendationState.AWAITING_COSIGN: [
        ("recall", "撤回会签申请", "outline-secondary", "compile"),
        ("cosign", "会签同意", "primary", "cosign"),
        ("send_back", "退回区县人力社保局", "outline-danger", "cosign"),
    ],
    RecommendationState.COSIGNED: [
        ("submit", "报送市人力社保局", "success", "compile"),
        ("send_back", "退回区县人力社保局", "outline-danger", "cosign"),
    ],
}


def _recommendation_page(request, recommendation, *, add_form=None, transition_form=None, scan_form=None):
    # A page of the list at a time: a county may recommend hundreds, and each row carries its forms.
    entries = Paginator(selectors.recommendation_entries(recommendation), ENTRIES_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    to_list = selectors.applications_to_list(recommendation)
    batch = recommendation.batch
    draft = recommendation.is_editable
    return render(
        request,
        "review/screening/recommendation.html",
        {
            "recommendation": recommendation,
            "batch": batch,
            "entries": entries.object_list,
            "page_obj": entries,
            "is_paginated": entries.has_other_pages(),
            "to_list": list(to_list) if draft else [],
            "unlisted_count": len(to_list) if not draft else 0,
            "add_form": add_form or (EntryAddForm(applications=to_list) if draft else None),
            "transition_form": transition_form or TransitionForm(),
            "scan_form": scan_form or SignedScanForm(),
            "steps": STEPS_BY_STATE.get(recommendation.state, []),
            "problems": services.recommendation_problems(recommendation)
            if recommendation.state in (RecommendationState.DRAFT, RecommendationState.AWAITING_COSIGN)
            else [],
            "timeline": selectors.recommendation_timeline(recommendation),
            "countdown": countdown(batch.screening_deadline),
            "overview": _county_counts(recommendation),
            "issued_letter": issued_document_for(LETTER_KIND, recommendation)
            if recommendation.letter
            else None,
        },
    )


def _county_counts(recommendation):
    rows = selectors.county_overview(recommendation.batch, region=recommendation.region)
    return rows[0] if rows else None


@require_GET
@permission_required("review.view_recommendation")
def recommendation(request, pk: int):
    """The list with its entries, the steps the user may take, and the transition timeline."""
    return _recommendation_page(request, _recommendation(request, pk))


def _entry(request, pk: int) -> RecommendationEntry:
    entries = RecommendationEntry.objects.select_related(
        "recommendation__batch", "recommendation__region", "application__unit"
    ).filter(recommendation__in=selectors.recommendations_visible_to(request.user))
    return get_object_for(
        request, "review.compile_recommendation", entries, via=lambda entry: entry.recommendation, pk=pk
    )


@require_POST
@permission_required("review.compile_recommendation")
def entry_add(request, pk: int):
    found = _recommendation(request, pk, "review.compile_recommendation")
    form = EntryAddForm(request.POST, applications=selectors.applications_to_list(found))
    if not form.is_valid():
        return _recommendation_page(request, found, add_form=form)
    try:
        services.recommendation_entry_add(
            recommendation=found,
            actor=request.user,
            application=form.cleaned_data["application"],
            opinion=form.cleaned_data["opinion"],
        )
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    except ValidationError as error:
        add_service_errors(error, form)
        return _recommendation_page(request, found, add_form=form)
    else:
        messages.success(request, f"已将{form.cleaned_data['application'].unit.name}列入推荐名单。")
    return redirect("review:recommendation", pk=found.pk)


@require_POST
@permission_required("review.compile_recommendation")
def entry_update(request, pk: int):
    entry = _entry(request, pk)
    form = OpinionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "；".join(str(error) for error in form.errors["opinion"]))
        return _back_to_entry(entry)
    try:
        services.recommendation_entry_update(
            entry=entry, actor=request.user, opinion=form.cleaned_data["opinion"]
        )
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(request, "已更新推荐意见。")
    return _back_to_entry(entry)


@require_POST
@permission_required("review.compile_recommendation")
def entry_move(request, pk: int):
    entry = _entry(request, pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    try:
        moved = services.recommendation_entry_move(entry=entry, actor=request.user, offset=offset)
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    else:
        if moved:
            messages.success(request, "已调整推荐顺序。")
            entry.refresh_from_db(fields=["rank"])
        else:
            messages.info(request, "该候选单位已在名单首位或末位，顺序未变。")
    return _back_to_entry(entry)


@require_POST
@permission_required("review.compile_recommendation")
def entry_remove(request, pk: int):
    entry = _entry(request, pk)
    try:
        services.recommendation_entry_remove(entry=entry, actor=request.user)
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    else:
        messages.success(request, f"已将{entry.application.unit.name}移出推荐名单。")
    return redirect("review:recommendation", pk=entry.recommendation_id)


#: action → (service, the permission it asks, message when done)
TRANSITIONS: dict[str, tuple[Callable[..., Recommendation], str, str]] = {
    "request_cosign": (
        services.recommendation_request_cosign,
        "review.compile_recommendation",
        "已提请区县财政局会签。",
    ),
    "recall": (
        services.recommendation_recall,
        "review.compile_recommendation",
        "已撤回会签申请，名单恢复为编制中。",
    ),
    "cosign": (
        services.recommendation_cosign,
        "review.cosign_recommendation",
        "已会签。区县人力社保局可报送市人力社保局。",
    ),
    "send_back": (
        services.recommendation_send_back,
        "review.cosign_recommendation",
        "已退回区县人力社保局。",
    ),
    "submit": (
        services.recommendation_submit,
        "review.compile_recommendation",
        "推荐名单已报送市人力社保局，推荐函正在生成。",
    ),
}


@require_POST
@permission_required("review.list_county_recommendations")
def recommendation_transition(request, pk: int, action: str):
    """One step of the list: 提请会签, 撤回, 会签, 退回, 报送 — each with its own permission."""
    if action not in TRANSITIONS:
        raise Http404
    service, perm, done = TRANSITIONS[action]
    found = _recommendation(request, pk, perm)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        return _recommendation_page(request, found, transition_form=form)
    try:
        service(recommendation=found, actor=request.user, comment=form.cleaned_data["comment"])
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    except ValidationError as error:
        add_service_errors(error, form)
        found.refresh_from_db()
        return _recommendation_page(request, found, transition_form=form)
    else:
        messages.success(request, done)
    return redirect("review:recommendation", pk=found.pk)


@require_GET
@permission_required("review.view_recommendation", hide=True)
def letter(request, pk: int):
    """The 推荐函 PDF: county staff of that county, city staff and administrators; others 404."""
    found = _recommendation(request, pk)
    if not found.letter:
        if found.is_submitted:
            messages.info(request, "推荐函正在生成，请稍后刷新页面再下载。")
        else:
            messages.info(request, "推荐名单报送市人力社保局后才会生成推荐函。")
        return redirect("review:recommendation", pk=found.pk)
    filename = f"{found.region.name}{found.batch.year}年度实训基地候选单位推荐函.pdf"
    try:
        handle = found.letter.open("rb")
    except FileNotFoundError:
        logger.error("letter file of recommendation %s is missing: %s", found.pk, found.letter.name)
        messages.error(request, "推荐函文件缺失，请联系系统管理员重新生成。")
        return redirect("review:recommendation", pk=found.pk)
    return private_download(
        FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    )


@require_POST
@permission_required("review.compile_recommendation")
def signed_scan_upload(request, pk: int):
    """上传盖章扫描件: the signed and stamped letter, scanned (PDF)."""
    found = _recommendation(request, pk, "review.compile_recommendation")
    form = SignedScanForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.recommendation_signed_scan_upload(
                recommendation=found, actor=request.user, uploaded=form.cleaned_data["scan"]
            )
        except AlreadyHandled as handled:
            messages.warning(request, handled.message)
            return redirect("review:recommendation", pk=found.pk)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, "已上传推荐函盖章扫描件，市人力社保局可查阅。")
            return redirect("review:recommendation", pk=found.pk)
    return _recommendation_page(request, found, scan_form=form)


@require_GET
@permission_required("review.view_recommendation", hide=True)
def signed_scan(request, pk: int):
    """The stamped scan of the letter: county staff of that county, city staff and administrators."""
    found = _recommendation(request, pk)
    if not found.signed_scan:
        messages.info(request, "尚未上传推荐函盖章扫描件。")
        return redirect("review:recommendation", pk=found.pk)
    filename = f"{found.region.name}{found.batch.year}年度实训基地候选单位推荐函（盖章扫描件）.pdf"
    try:
        handle = found.signed_scan.open("rb")
    except FileNotFoundError:
        messages.error(request, "扫描件文件缺失，请重新上传。")
        return redirect("review:recommendation", pk=found.pk)
    return private_download(
        FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    )


# --- the city overview ---------------------------------------------------------------------------


@require_GET
@permission_required("review.view_city_overview")
def city_overview(request):
    """各区县初审与推荐情况: received, decided, list state, lateness and letter, per county."""
    batches = selectors.batches_for_screening()
    batch = selectors.batch_from_query(batches, request.GET.get("batch"))
    rows = selectors.county_overview(batch) if batch else []
    totals = {
        name: sum(getattr(row, name) for row in rows)
        for name in ("received", "recommended", "returned", "rejected", "pending")
    }
    return render(
        request,
        "review/screening/city_overview.html",
        {
            "batches": batches,
            "batch": batch,
            "rows": rows,
            "totals": totals,
            "submitted_count": sum(
                1 for row in rows if row.recommendation and row.recommendation.is_submitted
            ),
            "late_count": sum(1 for row in rows if row.late),
            "countdown": countdown(batch.screening_deadline) if batch else None,
            "now": timezone.now(),
        },
    )


# --- 区县设置 --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("review.manage_county_settings")
def county_settings(request):
    """区县设置: county HRSS staff keep what their county's letters print (机关代字, contact)."""
    region = get_object_for(
        request,
        "review.manage_county_settings",
        Region.objects.filter(pk=request.user.region_id),
        pk=request.user.region_id,
    )
    form = CountySettingsForm(request.POST or None, instance=Region.objects.get(pk=region.pk))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.county_settings_update(
                region=region, actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, "区县设置已保存。" if changed else "没有需要保存的修改。")
            return redirect("review:county_settings")
    return render(request, "review/screening/county_settings.html", {"form": form, "region": region})
