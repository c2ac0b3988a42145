"""The unit's side of the application workflow: its list, start, detail with timeline, submit,
withdraw and the printable archive copy.

Views handle HTTP only: every state change goes through `applications.services`, whose Chinese
`ValidationError`s are shown on the page and whose `AlreadyHandled` becomes a friendly "已处理"
message. Applications outside the user's scope answer 404 (`applications_visible_to`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_record
from shaoxing_bases.core.access import role_required, scoped_get_or_404

from ..dashboard import (
    FIRST_SECTION,
    applicant_overview,
    application_deadline,
    edit_url,
    submission_blocker,
)
from ..dossier import application_dossier, application_for_dossier, check_rows
from ..enums import ApplicationState
from ..forms.application import section_missing, sections_for
from ..forms.workflow import SubmitForm, WithdrawForm
from ..models import Application, Batch
from ..selectors import applications_visible_to
from ..services import (
    AlreadyHandled,
    application_edit_refusal,
    application_start,
    application_submission_check,
    application_submit,
    application_withdraw,
)

#: Who may open an application at all; the scope (own unit / own county / handed in) is the queryset's.
VIEWER_ROLES = (Role.APPLICANT, *Role.county_roles(), *Role.city_roles(), Role.ADMIN)


def _already_handled(request: HttpRequest, exc: AlreadyHandled) -> None:
    text = exc.message if "已处理" in exc.message else f"已处理：{exc.message}"
    messages.info(request, text)


def _audit(request: HttpRequest, application: Application, transition: str) -> None:
    audit_record(
        action=AuditAction.STATE_CHANGE,
        outcome=AuditOutcome.SUCCESS,
        request=request,
        actor=request.user,
        object_repr=str(application),
        detail={"model": "application", "pk": application.pk, "transition": transition},
    )


def _own_application(request: HttpRequest, pk: int) -> Application:
    """The unit's own application, within the user's scope (another unit's → 404)."""
    return scoped_get_or_404(request, applications_visible_to(request.user), pk=pk)


def missing_item_links(application: Application, missing: list[str]) -> list[tuple[str, str]]:
    """Each missing item with the link to the form section where it is filled in (the form's own
    per-section completeness check says which section that is)."""
    present = {attachment.section for attachment in application.attachments.all()}
    owners: dict[str, str] = {}
    for section in sections_for(application.unit.unit_type):
        for item in section_missing(section, application, present):
            owners.setdefault(item, section.key)
    return [
        (item, reverse("applications:edit_section", args=[application.pk, owners.get(item, FIRST_SECTION)]))
        for item in missing
    ]


@role_required(Role.APPLICANT)
def my_applications(request: HttpRequest) -> HttpResponse:
    """我的申报: the unit's applications with their next step, and the batches it can still join."""
    context = applicant_overview(request.user)
    return render(request, "applications/workflow/my_applications.html", context)


@role_required(Role.APPLICANT)
@require_POST
def application_start_view(request: HttpRequest, batch_pk: int) -> HttpResponse:
    """开始申报: open the unit's application for a batch, then go to the first form section."""
    batch = get_object_or_404(Batch, pk=batch_pk)
    if request.user.unit_id is None:
        messages.error(request, "您的账号尚未关联申报单位，请先注册申报单位。")
        return redirect("applications:my_applications")
    try:
        application = application_start(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("applications:my_applications")
    _audit(request, application, "start")
    messages.success(request, f"已创建“{batch.title}”的申报，请逐项填报后提交。")
    return redirect(edit_url(application))


@role_required(*VIEWER_ROLES)
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """申报详情: read-only, with the auto-check, the county's comment and the timeline."""
    application = scoped_get_or_404(
        request, application_for_dossier(applications_visible_to(request.user)), pk=pk
    )
    context = application_dossier(application)
    is_owner = request.user.role == Role.APPLICANT and request.user.unit_id == application.unit_id
    in_progress = is_owner and application.is_editable
    blocker = submission_blocker(application) if in_progress else ""
    context.update(
        is_owner=is_owner,
        can_edit=in_progress and not application_edit_refusal(application),
        can_submit=in_progress and not blocker,
        blocker=blocker,
        can_withdraw=is_owner and application.state in ApplicationState.withdrawable(),
        edit_url=edit_url(application),
        deadline=application_deadline(application) if is_owner else None,
    )
    return render(request, "applications/workflow/detail.html", context)


@role_required(Role.APPLICANT)
def application_submit_view(request: HttpRequest, pk: int) -> HttpResponse:
    """提交（或退回后重新提交）: a confirmation page listing what blocks and what fails."""
    application = _own_application(request, pk)
    if not application.is_editable:
        # A second click, or a stale page: the first request (or the county) already moved it on.
        messages.info(request, f"已处理：该申报当前状态为“{application.get_state_display()}”，无需再提交。")
        return redirect("applications:detail", pk=application.pk)
    check = application_submission_check(application)
    form = SubmitForm(
        request.POST if request.method == "POST" else None, needs_confirmation=bool(check.failing)
    )
    errors: list[str] = []
    resubmitting = application.state == ApplicationState.RETURNED
    if request.method == "POST" and form.is_valid():
        try:
            application_submit(
                application=application, actor=request.user, confirmed=form.cleaned_data["confirmed"]
            )
        except AlreadyHandled as exc:
            _already_handled(request, exc)
            return redirect("applications:detail", pk=application.pk)
        except ValidationError as exc:
            if getattr(exc, "code", None) == "needs_confirmation":
                form.add_error("confirmed", "请勾选确认后再提交。")
            else:
                errors = exc.messages
            check = application_submission_check(application)
        else:
            _audit(request, application, "submit")
            messages.success(
                request,
                "已重新提交，等待区县初审。"
                if resubmitting
                else "申报已提交，等待区县初审。提交后不能再修改。",
            )
            return redirect("applications:detail", pk=application.pk)
    context = {
        "application": application,
        "form": form,
        "errors": errors,
        "check": check,
        "missing": missing_item_links(application, check.missing),
        "failing_rows": check_rows(application, check.failing),
        "blocker": submission_blocker(application),
        "resubmitting": resubmitting,
        "edit_url": edit_url(application),
    }
    return render(request, "applications/workflow/submit.html", context)


@role_required(Role.APPLICANT)
def application_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    """撤回: confirmation with an optional reason."""
    application = _own_application(request, pk)
    if request.method != "POST" and application.state not in ApplicationState.withdrawable():
        messages.info(request, f"已处理：该申报当前状态为“{application.get_state_display()}”，不能撤回。")
        return redirect("applications:detail", pk=application.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                application=application, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except AlreadyHandled as exc:
            _already_handled(request, exc)
        else:
            _audit(request, application, "withdraw")
            messages.success(request, "申报已撤回。")
        return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/workflow/withdraw.html", {"application": application, "form": form})


@role_required(*VIEWER_ROLES)
def application_print(request: HttpRequest, pk: int) -> HttpResponse:
    """打印版（区县存档）: a clean A4 page. Staff only ever see handed-in applications (the scope);
    the unit may also print its draft, which carries a "草稿" mark and no submission time."""
    application = scoped_get_or_404(
        request, application_for_dossier(applications_visible_to(request.user)), pk=pk
    )
    context = application_dossier(application)
    context["handed_in"] = application.state in ApplicationState.visible_to_county()
    context["detail_url"] = reverse("applications:detail", args=[application.pk])
    return render(request, "applications/workflow/print.html", context)


urlpatterns = [
    path("applications/mine/", my_applications, name="my_applications"),
    path("applications/start/<int:batch_pk>/", application_start_view, name="start"),
    path("applications/<int:pk>/", application_detail, name="detail"),
    path("applications/<int:pk>/submit/", application_submit_view, name="submit"),
    path("applications/<int:pk>/withdraw/", application_withdraw_view, name="withdraw"),
    path("applications/<int:pk>/print/", application_print, name="print"),
]
