"""申报批次 pages of the city (市人社局): list, create, edit, detail with timeline, manual transitions.

市财政局 reads the list and the detail (it co-organises the review, clause 4.2) but changes nothing.
Every state change goes through `services.batch_transition`; the deadlines move batches on by
themselves through the minute sweep (`services.batches_sweep`), and a timed transition runs by hand
only once its deadline has come (`services.batch_transition_not_due`, the one time rule).
"""

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_record
from shaoxing_bases.core.access import role_required
from shaoxing_bases.core.timeline import TimelineEntry, transition_timeline

from ..enums import ApplicationState, BatchState
from ..forms.batches import BatchForm, batch_is_editable
from ..models import Application, Batch
from ..services import BATCH_TRANSITIONS, AlreadyHandled, batch_transition, batch_transition_not_due

MANAGERS = (Role.CITY_HRSS, Role.ADMIN)
VIEWERS = (Role.CITY_HRSS, Role.CITY_FINANCE, Role.ADMIN)

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


@role_required(*VIEWERS)
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
    context = {
        "rows": rows,
        "page_obj": page,
        "is_paginated": page.has_other_pages(),
        "can_manage": request.user.role in MANAGERS,
    }
    return render(request, "applications/batches/list.html", context)


def _audit(request, batch: Batch, operation: str, **detail) -> None:
    audit_record(
        action=AuditAction.STATE_CHANGE,
        outcome=AuditOutcome.SUCCESS,
        request=request,
        actor=request.user,
        object_repr=f"申报批次：{batch}",
        detail={"batch": batch.pk, "operation": operation, **detail},
    )


@role_required(*MANAGERS)
def batch_create(request):
    if request.method == "POST":
        form = BatchForm(request.POST)
        if form.is_valid():
            with transaction.atomic():
                batch = form.save()
                _audit(request, batch, "batch_create")
            messages.success(request, f"已创建“{batch}”。到达开始申报时间后系统将自动开始申报。")
            return redirect("applications:batch_detail", pk=batch.pk)
    else:
        latest = Batch.objects.order_by("-year").values_list("year", flat=True).first()
        form = BatchForm(initial={"year": (latest + 1) if latest else timezone.localdate().year})
    return render(request, "applications/batches/form.html", {"form": form, "batch": None})


@role_required(*MANAGERS)
def batch_edit(request, pk: int):
    batch = get_object_or_404(Batch, pk=pk)
    if not batch_is_editable(batch):
        messages.warning(request, f"批次已进入“{batch.get_state_display()}”阶段，设置不能再修改。")
        return redirect("applications:batch_detail", pk=batch.pk)
    if request.method == "POST":
        with transaction.atomic():
            # Lock the row: the sweep must not open the batch between the check and the save.
            batch = Batch.objects.select_for_update().get(pk=pk)
            before = {name: getattr(batch, name) for name in BatchForm.Meta.fields}
            form = BatchForm(request.POST, instance=batch)
            if form.is_valid():
                changed = [
                    name for name in form.movable if form.cleaned_data.get(name, before[name]) != before[name]
                ]
                if changed:
                    form.save(commit=False).save(update_fields=changed)
                    _audit(request, batch, "batch_update", changed=changed)
                    messages.success(request, "批次设置已保存。")
                else:
                    messages.info(request, "没有需要保存的修改。")
                return redirect("applications:batch_detail", pk=batch.pk)
    else:
        form = BatchForm(instance=batch)
    return render(request, "applications/batches/form.html", {"form": form, "batch": batch})


def _available_transitions(batch: Batch) -> tuple[list[dict], list[str]]:
    """The buttons to show, and why a transition of this state is not offered yet."""
    now = timezone.now()
    names = [
        transition.name
        for transition in batch.get_available_state_transitions()
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


@role_required(*VIEWERS)
def batch_detail(request, pk: int):
    batch = get_object_or_404(Batch, pk=pk)
    can_manage = request.user.role in MANAGERS
    transitions, waiting = _available_transitions(batch) if can_manage else ([], [])
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
    context = {
        "batch": batch,
        "timeline": timeline,
        "counts": counts,
        "total": sum(n for _label, n in counts),
        "accepting": batch.accepts_submissions(),
        "can_manage": can_manage,
        "can_edit": can_manage and batch_is_editable(batch),
        "transitions": transitions,
        "waiting": waiting,
    }
    return render(request, "applications/batches/detail.html", context)


@role_required(*MANAGERS)
@require_POST
def batch_transition_view(request, pk: int):
    batch = get_object_or_404(Batch, pk=pk)
    name = request.POST.get("transition", "")
    if name not in BATCH_TRANSITIONS:
        messages.error(request, "无效的操作，请刷新页面后重试。")
        return redirect("applications:batch_detail", pk=batch.pk)
    try:
        with transaction.atomic():
            # The service re-checks state and due time under the row lock (a deadline moved meanwhile
            # is the one checked); the audit entry commits with the transition or not at all.
            batch = batch_transition(batch=batch, actor=request.user, name=name)
            _audit(request, batch, name, state=batch.state)
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    else:
        messages.success(request, f"已{BATCH_TRANSITIONS[name]}，批次当前状态：{batch.get_state_display()}。")
    return redirect(reverse("applications:batch_detail", kwargs={"pk": batch.pk}))


urlpatterns = [
    path("batches/", batch_list, name="batch_list"),
    path("batches/new/", batch_create, name="batch_create"),
    path("batches/<int:pk>/", batch_detail, name="batch_detail"),
    path("batches/<int:pk>/edit/", batch_edit, name="batch_edit"),
    path("batches/<int:pk>/transition/", batch_transition_view, name="batch_transition"),
]
