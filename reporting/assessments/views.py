"""HTTP of the assessments (clause 6.2): recording one, the city's decision on an exit, and the
evidence and exit notice downloads (404 outside the base's audience)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.core.http import private_download
from shaoxing_bases.core.uploads import download_name
from shaoxing_bases.permissions import get_object_for, permission_required

from ..bases.selectors import bases_visible_to, open_rectification, pending_exit
from ..models import Assessment
from . import services
from .forms import AssessmentForm, ExitDecisionForm


def _assessments_of(user):
    return Assessment.objects.select_related("base__region", "base__unit", "base__batch").filter(
        base__in=bases_visible_to(user)
    )


@require_http_methods(["GET", "POST"])
@permission_required("reporting.record_assessment")
def create(request, pk: int):
    """登记考核评估; refused input comes back with the Chinese message beside its field."""
    base = get_object_for(request, "reporting.record_assessment", bases_visible_to(request.user), pk=pk)
    form = AssessmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.assessment_record(
                base=base,
                actor=request.user,
                data=form.to_input(),
                evidence=form.cleaned_data.get("evidence"),
            )
        except AlreadyHandled as handled:
            messages.warning(request, handled.message)
            return redirect("bases:detail", pk=base.pk)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, f"已登记考核评估，结论：{assessment.get_result_display()}。")
            return redirect("bases:detail", pk=base.pk)
    return render(
        request,
        "reporting/assessments/form.html",
        {
            "base": base,
            "form": form,
            "open_rectification": open_rectification(base),
            "pending_exit": pending_exit(base),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("reporting.decide_exit")
def decide_exit(request, pk: int):
    """市人力社保局决定退出: the proposal with its assessment, then 同意退出 or 不予退出."""
    assessment = get_object_for(request, "reporting.decide_exit", _assessments_of(request.user), pk=pk)
    if not assessment.exit_pending:
        messages.info(request, "该退出建议已经决定。")
        return redirect("bases:detail", pk=assessment.base_id)
    form = ExitDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        approve = form.cleaned_data["decision"] == "approve"
        try:
            decided = services.assessment_decide_exit(
                assessment=assessment,
                actor=request.user,
                approve=approve,
                comment=form.cleaned_data["comment"],
            )
        except AlreadyHandled as handled:
            messages.warning(request, handled.message)
            return redirect("bases:detail", pk=assessment.base_id)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            if approve:
                messages.success(
                    request, f"已决定该基地退出，退出通知 {decided.exit_document_number} 已生成。"
                )
            else:
                messages.success(request, "已决定不予退出，已通知区县和建设单位。")
            return redirect("bases:detail", pk=assessment.base_id)
    return render(
        request,
        "reporting/assessments/decide.html",
        {"assessment": assessment, "base": assessment.base, "form": form},
    )


def _file(field, name: str, content_type: str):
    if not field:
        raise Http404("没有该文件")
    response = FileResponse(field.open("rb"), content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(False, name) or "inline"
    return private_download(response)


@require_GET
@permission_required("reporting.view_base", hide=True)
def evidence(request, pk: int):
    assessment = get_object_for(
        request, "reporting.view_base", _assessments_of(request.user), via=lambda found: found.base, pk=pk
    )
    return _file(
        assessment.evidence,
        download_name(assessment.evidence_name, assessment.evidence_content_type),
        assessment.evidence_content_type,
    )


@require_GET
@permission_required("reporting.view_base", hide=True)
def exit_notice(request, pk: int):
    assessment = get_object_for(
        request, "reporting.view_base", _assessments_of(request.user), via=lambda found: found.base, pk=pk
    )
    return _file(
        assessment.exit_notice, f"退出通知（{assessment.exit_document_number}）.pdf", "application/pdf"
    )
