"""HTTP for the decision (clause 4.3): the city's page per batch (draft, blockers, co-signature, issue,
downloads, outbox), the notice as HTML, and the PDFs.

Views handle HTTP only: they ask the permission, find objects through the permission's scope
(outside it: 404, audited), call one service and turn ``AlreadyHandled`` / ``ValidationError`` into
Chinese messages.
"""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from applications.batches.services import batch_transition_blockers
from applications.enums import BatchState
from applications.models import Batch
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.core.http import private_download
from shaoxing_bases.core.timeline import transition_timeline
from shaoxing_bases.permissions import get_object_for, permission_required

from . import selectors, services
from .documents import decision_notice_context
from .enums import DecisionState
from .forms import CosignForm, DecisionForm, DeclineForm
from .models import Decision

logger = logging.getLogger(__name__)


@require_GET
@permission_required("review.view_decisions")
def decision_list(request):
    """认定发文: the batches in publicity or concluded, with where their decision stands."""
    return render(request, "review/decisions/list.html", {"batches": list(selectors.decision_batches())})


def _page(request, batch: Batch, *, form=None, cosign_form=None, decline_form=None, status: int = 200):
    decision = selectors.decision_for(batch)
    issued = decision if decision is not None and decision.is_issued else None
    outbox = selectors.outbox(issued) if issued else []
    items = selectors.decision_items(issued) if issued else []
    rows = [] if issued else list(selectors.candidates(batch))
    if form is None and (decision is None or decision.state == DecisionState.DRAFT):
        initial = (
            {"title": decision.title, "body": decision.body, "decision_date": decision.decision_date}
            if decision is not None
            else services.decision_initial(batch)
        )
        form = DecisionForm(initial=initial)
    return render(
        request,
        "review/decisions/decision.html",
        {
            "batch": batch,
            "decision": decision,
            "items": items,
            "rows": rows,
            "form": form,
            "cosign_form": cosign_form or CosignForm(),
            "decline_form": decline_form or DeclineForm(),
            "blockers": batch_transition_blockers(batch, "conclude")
            if batch.state == BatchState.PUBLICITY
            else [],
            "refusal": services.decision_issue_refusal(decision) if decision and not issued else "",
            "letters": selectors.decision_letters(issued) if issued else [],
            "outbox": outbox,
            "held": sum(1 for message in outbox if message.released_at is None),
            "timeline": transition_timeline(decision, dict(DecisionState.choices), system_actor="系统")
            if decision
            else [],
            "today": timezone.localdate(),
        },
        status=status,
    )


def _batch(request, batch_pk: int) -> Batch | None:
    batch = get_object_or_404(Batch, pk=batch_pk)
    if batch.state not in selectors.DECISION_BATCH_STATES:
        messages.info(
            request, f"批次当前为“{batch.get_state_display()}”阶段：评审结果公示后才能办理认定发文。"
        )
        return None
    return batch


@require_GET
@permission_required("review.view_decisions")
def decision(request, batch_pk: int):
    batch = _batch(request, batch_pk)
    if batch is None:
        return redirect("review:decision_list")
    return _page(request, batch)


@require_POST
@permission_required("review.draft_decision")
def decision_draft(request, batch_pk: int):
    batch = _batch(request, batch_pk)
    if batch is None:
        return redirect("review:decision_list")
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return _page(request, batch, form=form, status=400)
    try:
        services.decision_draft_save(batch=batch, actor=request.user, **form.cleaned_data)
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    except ValidationError as error:
        add_service_errors(error, form)
        return _page(request, batch, form=form, status=400)
    else:
        messages.success(request, "认定文件草稿已保存，请市财政局会签。")
    return redirect("review:decision", batch_pk=batch.pk)


def _decision(request, pk: int, perm: str) -> Decision:
    return get_object_for(request, perm, Decision.objects.select_related("batch"), pk=pk)


@require_POST
@permission_required("review.cosign_decision")
def decision_cosign(request, pk: int):
    found = _decision(request, pk, "review.cosign_decision")
    form = CosignForm(request.POST)
    if not form.is_valid():
        return _page(request, found.batch, cosign_form=form, status=400)
    try:
        services.decision_cosign(decision=found, actor=request.user, comment=form.cleaned_data["comment"])
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已会签，市人力社保局可印发认定文件。")
    return redirect("review:decision", batch_pk=found.batch_id)


@require_POST
@permission_required("review.cosign_decision")
def decision_decline(request, pk: int):
    found = _decision(request, pk, "review.cosign_decision")
    form = DeclineForm(request.POST)
    if not form.is_valid():
        return _page(request, found.batch, decline_form=form, status=400)
    try:
        services.decision_decline(decision=found, actor=request.user, reason=form.cleaned_data["reason"])
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    except ValidationError as error:
        add_service_errors(error, form)
        return _page(request, found.batch, decline_form=form, status=400)
    else:
        messages.success(request, "已退回市人力社保局。")
    return redirect("review:decision", batch_pk=found.batch_id)


@require_POST
@permission_required("review.issue_decision")
# Issuing concludes the batch (batch_transition asks this too): the issuer must be allowed to move it.
@permission_required("applications.manage_batches")
def decision_issue(request, pk: int):
    found = _decision(request, pk, "review.issue_decision")
    try:
        issued = services.decision_issue(decision=found, actor=request.user)
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(
            request, f"认定文件已印发（{issued.document_number}），文件正在生成；通知已放入待发送列表。"
        )
    return redirect("review:decision", batch_pk=found.batch_id)


@require_POST
@permission_required("review.release_decision_notices")
def decision_release(request, pk: int):
    found = _decision(request, pk, "review.release_decision_notices")
    try:
        count = services.decision_outbox_release(decision=found, actor=request.user)
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
    else:
        messages.success(request, f"已发送{count}条通知（站内消息和电子邮件）。")
    return redirect("review:decision", batch_pk=found.batch_id)


def _issued(request, pk: int) -> Decision:
    return get_object_for(
        request, "review.read_decision_notice", selectors.decisions_readable_by(request.user), pk=pk
    )


@require_GET
@permission_required("review.read_decision_notice", hide=True)
def decision_notice(request, pk: int):
    """The issued notice as a web page (the same context as its PDF)."""
    found = _issued(request, pk)
    if not found.is_issued:
        messages.info(request, "认定文件尚未印发。")
        return redirect("review:decision", batch_pk=found.batch_id)
    return render(
        request, "review/decisions/notice.html", {"decision": found, **decision_notice_context(found)}
    )


def _file_response(request, field, filename: str, fallback):
    if not field:
        messages.info(request, "文件正在生成，请稍后刷新页面再下载。")
        return fallback
    try:
        handle = field.open("rb")
    except FileNotFoundError:
        logger.error("decision document missing: %s", field.name)
        messages.error(request, "文件缺失，请联系系统管理员重新生成。")
        return fallback
    return private_download(
        FileResponse(handle, as_attachment=True, filename=filename, content_type="application/pdf")
    )


@require_GET
@permission_required("review.read_decision_notice", hide=True)
def decision_pdf(request, pk: int):
    found = _issued(request, pk)
    fallback = redirect("review:decision_notice", pk=found.pk)
    if not found.is_issued:
        messages.info(request, "认定文件尚未印发。")
        return fallback
    return _file_response(
        request, found.pdf, f"{found.batch.year}年度实训基地认定文件（{found.document_number}）.pdf", fallback
    )


@require_GET
@permission_required("review.download_approval_letter", hide=True)
def approval_letter(request, pk: int):
    letter = get_object_for(
        request,
        "review.download_approval_letter",
        selectors.letters_visible_to(request.user),
        pk=pk,
    )
    fallback = redirect("applications:detail", pk=letter.application_id)
    return _file_response(request, letter.pdf, f"{letter.application.unit.name}认定通知书.pdf", fallback)
