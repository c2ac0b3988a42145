"""申报批次 pages of the city (市人力社保局): list, create, edit, detail with timeline, manual transitions,
and the Excel summary of a batch.

市财政局 reads the list and the detail (it co-organises the review, clause 4.2) but changes nothing.
HTTP only: every change goes through `batches.services`, whose errors come back on the page.
"""

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.core.http import private_download
from shaoxing_bases.core.timeline import TimelineEntry, transition_timeline
from shaoxing_bases.permissions import ask, permission_required

from ..enums import ApplicationState, BatchState
from ..models import Application, Batch
from ..resources import ApplicationExportResource, export_filename
from ..spreadsheets import XLSX_CONTENT_TYPE, dataset_to_xlsx
from .forms import BatchForm
from .jobs import BACKGROUND_FROM, batch_export_start
from .selectors import applications_for_export
from .services import (
    BATCH_TRANSITIONS,
    batch_create,
    batch_is_editable,
    batch_stages,
    batch_transition,
    batch_transition_not_due,
    batch_update,
)

#: What each manual transition does, shown in the confirmation before it runs.
TRANSITION_CONFIRMATIONS = {
    "open": "开始申报时间已到，确定现在开始申报吗？开始后批次设置只能顺延截止时间。",
    "close_submissions": "申报截止时间已到，确定现在截止申报吗？批次将进入区县初审。",
    "start_expert_review": "区县初审截止时间已到，确定现在结束区县初审、进入专家评审吗？",
    "start_publicity": "确定结束专家评审、进入公示吗？",
    "conclude": "确定结束本批次吗？结束后不能恢复。",
}
TRANSITION_STYLES = {"conclude": "btn-outline-danger", "close_submissions": "btn-outline-warning"}


def _state_counts(batch_ids) -> dict[int, list[tuple[str, int]]]:
    """Applications per state for each batch, in workflow order (one query for any number of batches)."""
    rows = (
        Application.objects.filter(batch_id__in=batch_ids)
        .values_list("batch_id", "state")
        .annotate(count=Count("id"))
        .order_by()
    )
    by_batch: dict[int, dict[str, int]] = defaultdict(dict)
    for batch_id, state, count in rows:
        by_batch[batch_id][state] = count
    return {
        batch_id: [
            (ApplicationState(state).label, counts[state])
            for state in ApplicationState.values
            if state in counts
        ]
        for batch_id, counts in by_batch.items()
    }


@require_GET
@permission_required("applications.view_batches")
def batch_list(request):
    page = Paginator(Batch.objects.order_by("-year"), 20).get_page(request.GET.get("page"))
    counts = _state_counts([batch.pk for batch in page])
    rows = [
        {
            "batch": batch,
            "counts": counts.get(batch.pk, []),
            "total": sum(n for _label, n in counts.get(batch.pk, [])),
        }
        for batch in page
    ]
    context = {"rows": rows, "page_obj": page, "is_paginated": page.has_other_pages()}
    return render(request, "applications/batches/list.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("applications.manage_batches")
def batch_create_view(request):
    if request.method == "POST":
        form = BatchForm(request.POST)
        if form.is_valid():
            try:
                batch = batch_create(actor=request.user, data=form.settings())
            except ValidationError as error:
                add_service_errors(error, form)
            else:
                messages.success(request, f"已创建“{batch}”。到达开始申报时间后系统将自动开始申报。")
                return redirect("applications:batch_detail", pk=batch.pk)
    else:
        latest = Batch.objects.order_by("-year").values_list("year", flat=True).first()
        form = BatchForm(initial={"year": (latest + 1) if latest else timezone.localdate().year})
    return render(request, "applications/batches/form.html", {"form": form, "batch": None})


@require_http_methods(["GET", "POST"])
@permission_required("applications.manage_batches")
def batch_edit(request, pk: int):
    batch = get_object_or_404(Batch, pk=pk)
    if not batch_is_editable(batch):
        messages.warning(request, f"批次已进入“{batch.get_state_display()}”阶段，设置不能再修改。")
        return redirect("applications:batch_detail", pk=batch.pk)
    form = BatchForm(request.POST or None, instance=batch)
    if request.method == "POST" and form.is_valid():
        try:
            changed = batch_update(batch=batch, actor=request.user, data=form.settings())
        except AlreadyHandled as handled:
            messages.warning(request, handled.message)
            return redirect("applications:batch_detail", pk=batch.pk)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, "批次设置已保存。" if changed else "没有需要保存的修改。")
            return redirect("applications:batch_detail", pk=batch.pk)
    return render(request, "applications/batches/form.html", {"form": form, "batch": batch})


def _available_transitions(batch: Batch) -> tuple[list[dict], list[str]]:
    """The buttons to show, and why a transition of this state is not offered yet."""
    now = timezone.now()
    names = [
        transition.name
        for transition in batch.get_available_state_transitions()  # type: ignore[attr-defined]  # FSMField adds it
        if transition.name in BATCH_TRANSITIONS
    ]
    waiting = [reason for name in names if (reason := batch_transition_not_due(batch, name, now))]
    buttons = [
        {
            "name": name,
            "label": BATCH_TRANSITIONS[name],
            "confirm": TRANSITION_CONFIRMATIONS.get(name, "确定执行该操作吗？"),
            "style": TRANSITION_STYLES.get(name, "btn-outline-primary"),
        }
        for name in names
        if not batch_transition_not_due(batch, name, now)
    ]
    return buttons, waiting


@require_GET
@permission_required("applications.view_batches")
def batch_detail(request, pk: int):
    batch = get_object_or_404(Batch, pk=pk)
    may_manage = ask("applications.manage_batches", request.user, layer="view")
    transitions, waiting = _available_transitions(batch) if may_manage else ([], [])
    labels = dict(BatchState.choices)
    created = TimelineEntry(
        at=batch.created_at,
        actor="",
        actor_role="",
        source="",
        target=labels[BatchState.DRAFT],
        description="",
        action="创建批次",
    )
    timeline = transition_timeline(batch, labels, opening=created, transition_labels=BATCH_TRANSITIONS)
    counts = _state_counts([batch.pk]).get(batch.pk, [])
    stages, blocking = batch_stages(batch)
    context = {
        "stages": stages,
        "blocking": blocking,
        "batch": batch,
        "timeline": timeline,
        "counts": counts,
        "total": sum(n for _label, n in counts),
        "accepting": batch.accepts_submissions(),
        "editable": batch_is_editable(batch),
        "transitions": transitions,
        "waiting": waiting,
    }
    return render(request, "applications/batches/detail.html", context)


@require_POST
@permission_required("applications.manage_batches")
def batch_transition_view(request, pk: int):
    batch = get_object_or_404(Batch, pk=pk)
    name = request.POST.get("transition", "")
    if name not in BATCH_TRANSITIONS:
        messages.error(request, "无效的操作，请刷新页面后重试。")
        return redirect("applications:batch_detail", pk=batch.pk)
    try:
        # The service re-checks state and due time under the row lock (a deadline moved meanwhile
        # is the one checked) and audits the move in the same transaction.
        batch = batch_transition(batch=batch, actor=request.user, name=name)
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    else:
        messages.success(request, f"已{BATCH_TRANSITIONS[name]}，批次当前状态：{batch.get_state_display()}。")
    return redirect("applications:batch_detail", pk=batch.pk)


@require_GET
@permission_required("applications.export_applications")
def batch_export(request, pk: int):
    """申报汇总表 (.xlsx): every handed-in application of the batch with all indicators. From
    `BACKGROUND_FROM` rows the page offers to build it in the background instead (`batch_export_start`)."""
    batch = get_object_or_404(Batch, pk=pk)
    applications = applications_for_export(request.user, batch)
    rows = applications.count()
    if rows >= BACKGROUND_FROM:
        return render(request, "applications/batches/export_large.html", {"batch": batch, "rows": rows})
    # Native types keep numbers as numbers in the sheet, so that the bureau can sum and sort them.
    dataset = ApplicationExportResource().export(applications, force_native_type=True)
    response = HttpResponse(
        dataset_to_xlsx(dataset, title=f"{batch.year}年度申报汇总"), content_type=XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, export_filename(batch))
    return private_download(response)


@require_POST
@permission_required("applications.export_applications")
def batch_export_start_view(request, pk: int):
    """Build the export in the background: back at once, to the job's progress page."""
    batch = get_object_or_404(Batch, pk=pk)
    job = batch_export_start(batch=batch, actor=request.user)
    messages.success(request, "已开始生成申报汇总，完成后将发送到您的消息中心。")
    return redirect("core:job", pk=job.pk)


urlpatterns = [
    path("batches/", batch_list, name="batch_list"),
    path("batches/new/", batch_create_view, name="batch_create"),
    path("batches/<int:pk>/", batch_detail, name="batch_detail"),
    path("batches/<int:pk>/edit/", batch_edit, name="batch_edit"),
    path("batches/<int:pk>/transition/", batch_transition_view, name="batch_transition"),
    path("batches/<int:pk>/export/", batch_export, name="batch_export"),
    path("batches/<int:pk>/export/start/", batch_export_start_view, name="batch_export_start"),
]
