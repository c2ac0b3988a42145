"""HTTP for the publicity stage (clause 4.3): the public notice pages (no login: the list of notices,
a notice with its objection form and PDF, the receipt and the receipt lookup) and the city's pages
(publishing the notice, the notices and their objections, assigning and recording re-examinations),
with the experts' own assignments.

Views handle HTTP only: they ask the permission, find objects through scoped selectors (outside the
scope: 404, audited), call one service and turn ``AlreadyHandled`` / ``ValidationError`` into Chinese.
"""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from applications.batches.services import batch_transition_not_due
from applications.enums import ApplicationState, BatchState
from applications.models import Batch
from shaoxing_bases.accounts.models import User
from shaoxing_bases.client_ip import client_ip_address
from shaoxing_bases.core.actions import perform
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.core.http import private_download
from shaoxing_bases.core.timeline import transition_timeline
from shaoxing_bases.core.uploads import download_name
from shaoxing_bases.masking import mask_phone
from shaoxing_bases.permissions import ask, get_object_for, permission_required, public
from shaoxing_bases.ratelimit import within_limit

from ..panels.models import RankingEntry
from . import selectors, services
from .calendar import holiday_warning, window
from .enums import ObjectionState, PublicityState
from .forms import AssignForm, DecideForm, LookupForm, ObjectionForm, OpinionForm, StartForm
from .models import Objection, Publicity

OBJECTIONS_PAGE_SIZE = 30
RECEIPT_SESSION_KEY = "publicity_objection_receipt"
#: Receipt lookups per address per ten minutes: a person checks a few times; a guesser is stopped.
LOOKUP_LIMIT = (20, 600)


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, "；".join(error.messages))


# --- public pages ----------------------------------------------------------------------------------


@public
@require_safe
def notice_list(request):
    """公示公告: the notices open now and the earlier ones (unit names, counties and results only)."""
    now = timezone.now()
    notices = list(selectors.public_notices(now)[:50])
    return render(
        request,
        "review/publicity/public/list.html",
        {
            "current": [
                (notice, selectors.window_text(notice))
                for notice in notices
                if notice.accepts_objections(now)
            ],
            "past": [
                (notice, selectors.window_text(notice))
                for notice in notices
                if not notice.accepts_objections(now)
            ],
        },
    )


def _public_notice(pk: int) -> Publicity:
    found = selectors.public_notice(pk)
    if found is None:
        raise Http404
    return found


def _notice_page(request, publicity: Publicity, form: ObjectionForm | None = None, status: int = 200):
    now = timezone.now()
    entries = selectors.notice_entries(publicity)
    accepting = publicity.accepts_objections(now)
    if form is None and accepting:
        form = ObjectionForm(publicity=publicity, entries=entries)
    return render(
        request,
        "review/publicity/public/notice.html",
        {
            "publicity": publicity,
            "entries": entries,
            "window": selectors.window_text(publicity),
            "accepting": accepting,
            "closed_message": services.closed_message(publicity, now),
            "form": form,
            "disqualified": ApplicationState.DISQUALIFIED,
        },
        status=status,
    )


@public
@require_safe
def notice(request, pk: int):
    """A notice: its explicit dates, the list, the contact, the frozen document's SHA-256 and, while
    the window is open by the clock, the objection form."""
    return _notice_page(request, _public_notice(pk))


@public
@require_POST
def objection_file(request, pk: int):
    """File an objection; refused beside the field (the page again, with everything typed) outside
    the window, when rate-limited, for bad input. A form posted twice finds the first receipt."""
    publicity = _public_notice(pk)
    entries = selectors.notice_entries(publicity)
    form = ObjectionForm(request.POST, request.FILES, publicity=publicity, entries=entries)
    if not form.is_valid():
        return _notice_page(request, publicity, form)
    try:
        objection = services.objection_file(
            publicity=publicity,
            data=form.objection_input(),
            evidence=form.cleaned_data.get("evidence"),
            client_ip=client_ip_address(request),
        )
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
        return redirect("gongshi:lookup")
    except ValidationError as error:
        add_service_errors(error, form)
        return _notice_page(request, publicity, form)
    request.session[RECEIPT_SESSION_KEY] = objection.receipt_no
    return redirect("gongshi:receipt")


@public
@require_safe
def objection_receipt(request):
    """回执: the receipt number of the objection just filed (from the session, not from the URL)."""
    receipt_no = request.session.get(RECEIPT_SESSION_KEY)
    objection = (
        Objection.objects.select_related("publicity", "entry").filter(receipt_no=receipt_no).first()
        if receipt_no
        else None
    )
    if objection is None:
        messages.info(request, "请输入受理编号和联系电话查询异议办理情况。")
        return redirect("gongshi:lookup")
    return render(request, "review/publicity/public/receipt.html", {"objection": objection})


@public
@require_http_methods(["GET", "HEAD", "POST"])
def objection_lookup(request):
    """异议查询: receipt number + phone → the state, and the finding once resolved. Posted, so the
    phone number stays out of URLs and logs; rate-limited per address."""
    objection = None
    form = LookupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not within_limit(f"objection-lookup:{client_ip_address(request) or 'unknown'}", *LOOKUP_LIMIT):
            form.add_error(None, "查询过于频繁，请十分钟后再试。")
        else:
            from shaoxing_bases.validators import normalize_phone

            objection = selectors.objection_lookup(
                form.cleaned_data["receipt_no"], normalize_phone(form.cleaned_data["phone"])
            )
            if objection is None:
                form.add_error(None, "未找到该异议：请核对受理编号和提交时填写的联系电话。")
    return render(
        request,
        "review/publicity/public/lookup.html",
        {"form": form, "objection": objection, "resolved": objection is not None and objection.is_resolved},
    )


@public
@require_safe
def notice_pdf(request, pk: int):
    """The notice's PDF (made from the frozen HTML), with its SHA-256 on the notice page."""
    publicity = _public_notice(pk)
    if not publicity.notice_pdf:
        messages.info(request, "公示文件PDF正在生成，请稍后再下载。")
        return redirect("gongshi:notice", pk=publicity.pk)
    try:
        handle = publicity.notice_pdf.open("rb")
    except FileNotFoundError:
        messages.error(request, "公示文件缺失，请联系公示中的联系电话。")
        return redirect("gongshi:notice", pk=publicity.pk)
    response = FileResponse(
        handle, as_attachment=False, filename=f"{publicity.title}.pdf", content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- the city's pages ------------------------------------------------------------------------------


@require_GET
@permission_required("review.view_publicity")
def publicity_list(request):
    """评审结果公示: every notice with its objections, and the batches whose shortlist may be published."""
    ready = Batch.objects.filter(
        state=BatchState.EXPERT_REVIEW, publicity__isnull=True, panel__state="confirmed"
    ).order_by("-year")
    return render(
        request,
        "review/publicity/list.html",
        {"publicities": list(selectors.staff_publicities()[:50]), "ready": list(ready)},
    )


def _start_page(request, batch: Batch, form: StartForm, status: int = 200) -> HttpResponse:
    now = timezone.now()
    today = timezone.localdate()
    starts_on = form.cleaned_data.get("starts_on") if form.is_bound and form.is_valid() else None
    starts_on = starts_on or today + timedelta(days=1)
    starts_at, ends_at = window(starts_on, batch.publicity_days, batch.publicity_working_days)
    shortlist = list(
        RankingEntry.objects.filter(panel__batch=batch, shortlisted=True)
        .select_related("application__unit__region")
        .order_by("position")
    )
    return render(
        request,
        "review/publicity/start.html",
        {
            "batch": batch,
            "form": form,
            "shortlist": shortlist,
            "preview_start": starts_at,
            "preview_last": timezone.localtime(ends_at - timedelta(seconds=1)).date(),
            "blocked": batch_transition_not_due(batch, "start_publicity", now)
            if batch.state == BatchState.EXPERT_REVIEW
            else f"批次当前状态为“{batch.get_state_display()}”，不能发布公示。",
            "holiday_warning": holiday_warning(today, also=(starts_on, ends_at.date())),
        },
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@permission_required("review.start_publicity")
def publicity_start(request, batch_pk: int):
    """发布评审结果公示: the confirmed shortlist, the start date (the window shown with its dates) and
    the contact for objections."""
    batch = get_object_for(request, "applications.manage_batches", Batch.objects.all(), pk=batch_pk)
    existing = Publicity.objects.filter(batch=batch).first()
    if existing is not None:
        messages.info(request, "本批次的评审结果公示已发布。")
        return redirect("review:publicity", pk=existing.pk)
    if request.method != "POST":
        return _start_page(
            request,
            batch,
            StartForm(initial={"starts_on": timezone.localdate() + timedelta(days=1)}),
        )
    form = StartForm(request.POST)
    if not form.is_valid():
        return _start_page(request, batch, form)
    try:
        publicity = services.publicity_start(batch=batch, actor=request.user, settings=form.settings())
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
        return redirect("review:publicity_list")
    except ValidationError as error:
        add_service_errors(error, form)
        return _start_page(request, batch, form)
    messages.success(request, f"评审结果公示已发布，公示期为{selectors.window_text(publicity)}。")
    return redirect("review:publicity", pk=publicity.pk)


@require_GET
@permission_required("review.view_publicity")
def publicity_detail(request, pk: int):
    """One notice for the city: its window and state by the clock, the frozen list and hashes, and its
    objections (filtered by state, paginated)."""
    publicity = get_object_for(
        request, "review.view_publicity", Publicity.objects.select_related("batch"), pk=pk
    )
    state = request.GET.get("state", "")
    page = Paginator(selectors.objections_of(publicity, state), OBJECTIONS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    return render(
        request,
        "review/publicity/detail.html",
        {
            "publicity": publicity,
            "window": selectors.window_text(publicity),
            "accepting": publicity.accepts_objections(now),
            "entries": selectors.notice_entries(publicity),
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "query_string": f"state={state}" if state in ObjectionState.values else "",
            "state": state,
            "states": ObjectionState.choices,
            "blockers": selectors.decision_blockers(publicity.batch, now),
            "timeline": transition_timeline(publicity, dict(PublicityState.choices)),
        },
    )


@require_GET
@permission_required("review.list_own_objections")
def my_objections(request):
    """我的异议复核: the objections assigned to this expert."""
    return render(
        request,
        "review/publicity/my_objections.html",
        {"objections": list(selectors.my_objections(request.user)[:100])},
    )


def _objection(request, pk: int, perm: str = "review.view_objection") -> Objection:
    return get_object_for(request, perm, selectors.objection_for_staff(request.user), pk=pk)


def _objection_page(request, objection: Objection, **forms) -> HttpResponse:
    may_handle = ask("review.handle_objection", request.user, layer="view")
    context = {
        "objection": objection,
        "phone": objection.phone if may_handle else mask_phone(objection.phone),
        "timeline": transition_timeline(objection, dict(ObjectionState.choices)),
        "assign_form": forms.get("assign_form"),
        "opinion_form": forms.get("opinion_form"),
        "decide_form": forms.get("decide_form"),
    }
    if may_handle and objection.state == ObjectionState.RECEIVED and context["assign_form"] is None:
        context["assign_form"] = AssignForm(members=services.reviewer_choices(objection))
    if may_handle and objection.state == ObjectionState.UNDER_REVIEW and context["decide_form"] is None:
        context["decide_form"] = DecideForm()
    if objection.state == ObjectionState.UNDER_REVIEW and context["opinion_form"] is None:
        context["opinion_form"] = OpinionForm(initial={"opinion": objection.opinion})
    return render(request, "review/publicity/objection.html", context)


@require_GET
@permission_required("review.view_objection")
def objection_detail(request, pk: int):
    """One objection: the filer (phone in full for city HRSS), the reasons and evidence, the expert's
    opinion, the finding, the timeline, and the next step for whoever may take it."""
    return _objection_page(request, _objection(request, pk))


@require_POST
@permission_required("review.handle_objection")
def objection_assign(request, pk: int):
    objection = _objection(request, pk, "review.handle_objection")
    members = services.reviewer_choices(objection)
    form = AssignForm(request.POST, members=members)
    if not form.is_valid():
        return _objection_page(request, objection, assign_form=form)
    reviewer_id = form.cleaned_data["reviewer"]
    reviewer = User.objects.filter(pk=reviewer_id).first() if reviewer_id else None
    outcome = perform(
        request,
        lambda: services.objection_assign(
            objection=objection, actor=request.user, reviewer=reviewer, note=form.cleaned_data["note"]
        ),
        success="已安排复核。",
        form=form,
    )
    if outcome.refused:
        return _objection_page(request, objection, assign_form=form)
    return redirect("review:objection", pk=objection.pk)


@require_POST
@permission_required("review.give_objection_opinion")
def objection_opinion(request, pk: int):
    objection = _objection(request, pk, "review.give_objection_opinion")
    form = OpinionForm(request.POST)
    if not form.is_valid():
        return _objection_page(request, objection, opinion_form=form)
    outcome = perform(
        request,
        lambda: services.objection_give_opinion(
            objection=objection, actor=request.user, opinion=form.cleaned_data["opinion"]
        ),
        success="复核意见已提交。",
        form=form,
    )
    if outcome.refused:
        return _objection_page(request, objection, opinion_form=form)
    return redirect("review:objection", pk=objection.pk)


@require_POST
@permission_required("review.handle_objection")
def objection_decide(request, pk: int):
    objection = _objection(request, pk, "review.handle_objection")
    form = DecideForm(request.POST)
    if not form.is_valid():
        return _objection_page(request, objection, decide_form=form)
    upheld = form.cleaned_data["outcome"] == "upheld"
    outcome = perform(
        request,
        lambda: services.objection_decide(
            objection=objection, actor=request.user, upheld=upheld, findings=form.cleaned_data["findings"]
        ),
        success="复核结论已记录：" + ("异议成立，该单位已取消资格。" if upheld else "异议不成立。"),
        form=form,
    )
    if outcome.refused:
        return _objection_page(request, objection, decide_form=form)
    return redirect("review:objection", pk=objection.pk)


@require_GET
@permission_required("review.view_objection", hide=True)
def objection_evidence(request, pk: int):
    """The objection's evidence, for the city and the assigned expert."""
    objection = _objection(request, pk)
    if not objection.evidence:
        messages.info(request, "该异议未附证明材料。")
        return redirect("review:objection", pk=objection.pk)
    try:
        handle = objection.evidence.open("rb")
    except FileNotFoundError:
        messages.error(request, "文件缺失，请联系系统管理员。")
        return redirect("review:objection", pk=objection.pk)
    return private_download(
        FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(objection.evidence_name, objection.evidence_type),
            content_type=objection.evidence_type,
        )
    )
