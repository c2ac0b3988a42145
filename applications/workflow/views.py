"""The unit's side of the application workflow: its list, start, detail with timeline, submit,
recall for editing (撤回修改), give up the batch (放弃本批次申报) and the printable archive copy.

Views handle HTTP only: every state change goes through `applications.services`, whose Chinese
`ValidationError`s are shown on the page and whose `AlreadyHandled` becomes a friendly "已处理"
message. Applications outside the user's scope answer 404 (`applications_visible_to`).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.http import SignedInRequest
from shaoxing_bases.permissions import get_object_for, permission_required

from ..dossier import application_dossier, application_for_dossier, check_rows
from ..enums import ApplicationState
from ..form.progress import FormProgress, form_progress, saved_application
from ..models import Application, Batch
from ..selectors import applications_visible_to
from .dashboard import (
    applicant_overview,
    application_closed,
    application_deadline,
    edit_url,
    submission_blocker,
)
from .forms import SubmitForm, WithdrawForm
from .services import (
    WITHDRAW_CONSEQUENCE,
    application_edit_refusal,
    application_recall,
    application_recall_refusal,
    application_start,
    application_submission_check,
    application_submit,
    application_withdraw,
)


def _already_handled(request: SignedInRequest, exc: AlreadyHandled) -> None:
    text = exc.message if "已处理" in exc.message else f"已处理：{exc.message}"
    messages.info(request, text)


def _own_application(request: SignedInRequest, pk: int, perm: str) -> Application:
    """The unit's own application, within the user's scope (another unit's → 404)."""
    return get_object_for(request, perm, applications_visible_to(request.user), pk=pk)


def missing_item_links(progress: FormProgress, missing: list[str]) -> list[tuple[str, str]]:
    """Each missing item with the link to the form section where it is filled in (the form's own
    per-section completeness check says which section that is)."""
    owners: dict[str, str] = {}
    for step in progress.steps:
        for item in step.missing:
            owners.setdefault(item, step.url)
    first = progress.steps[0].url if progress.steps else ""
    return [(item, owners.get(item, first)) for item in missing]


@require_GET
@permission_required("applications.view_own_applications")
def my_applications(request: SignedInRequest) -> HttpResponse:
    """我的申报: the unit's applications with their next step, and the batches it can still join."""
    context = applicant_overview(request.user)
    return render(request, "applications/workflow/my_applications.html", context)


@require_POST
@permission_required("applications.start_application")
def application_start_view(request: SignedInRequest, batch_pk: int) -> HttpResponse:
    """开始申报: open the unit's application for a batch, then go to the first form section."""
    batch = get_object_or_404(Batch, pk=batch_pk)
    try:
        application = application_start(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("applications:my_applications")
    messages.success(request, f"已创建“{batch.title}”的申报，请逐项填报后提交。")
    return redirect(edit_url(application))


@require_GET
@permission_required("applications.view_application")
def application_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    """申报详情: read-only, with the auto-check, the county's comment and the timeline.

    The template asks the unit's permissions (edit, submit, withdraw) for its buttons; the view adds
    what the clock says (`application_edit_refusal`, `submission_blocker`).
    """
    application = get_object_for(
        request,
        "applications.view_application",
        application_for_dossier(applications_visible_to(request.user)),
        pk=pk,
    )
    context = application_dossier(application)
    in_progress = application.is_editable
    blocker = submission_blocker(application) if in_progress else ""
    closed = application_closed(application)
    recallable = application.state in ApplicationState.recallable()
    context.update(
        # What the state and the clock allow; the template adds who may (the unit's permissions).
        can_edit=in_progress and not application_edit_refusal(application),
        can_submit=in_progress and not blocker,
        blocker=blocker,
        closed=closed,
        can_recall=recallable and not application_recall_refusal(application),
        # A draft past its deadline is over by itself: nothing to give up.
        can_withdraw=application.state in ApplicationState.withdrawable() and not closed,
        withdraw_consequence=WITHDRAW_CONSEQUENCE,
        edit_url=edit_url(application),
        deadline=application_deadline(application),
    )
    return render(request, "applications/workflow/detail.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("applications.submit_application")
def application_submit_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """提交（或退回后重新提交）: a confirmation page listing what blocks and what fails."""
    application = _own_application(request, pk, "applications.submit_application")
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
                form.add_error("confirmed", exc)
            else:
                errors = exc.messages
            check = application_submission_check(application)
        else:
            messages.success(
                request,
                "已重新提交，等待区县初审。"
                if resubmitting
                else "申报已提交，等待区县初审。提交后不能再修改。",
            )
            return redirect("applications:detail", pk=application.pk)
    saved = saved_application(application)
    progress = form_progress(saved, list(saved.attachments.all()))
    context = {
        "application": application,
        "form": form,
        "errors": errors,
        "check": check,
        "progress": progress,
        "missing": missing_item_links(progress, check.missing),
        "failing_rows": check_rows(application, check.failing),
        "blocker": submission_blocker(application),
        "resubmitting": resubmitting,
        "edit_url": edit_url(application),
    }
    return render(request, "applications/workflow/submit.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("applications.recall_application")
def application_recall_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """撤回修改: a confirmation saying what recalling means, then back to the form."""
    application = _own_application(request, pk, "applications.recall_application")
    if application.state not in ApplicationState.recallable():
        messages.info(request, f"已处理：该申报当前状态为“{application.get_state_display()}”，无需撤回修改。")
        return redirect("applications:detail", pk=application.pk)
    refusal = application_recall_refusal(application)
    if request.method == "POST":
        try:
            application_recall(application=application, actor=request.user)
        except AlreadyHandled as exc:
            _already_handled(request, exc)
            return redirect("applications:detail", pk=application.pk)
        except ValidationError as exc:
            refusal = "；".join(exc.messages)
        else:
            deadline = timezone.localtime(application.batch.submission_deadline)
            messages.success(
                request,
                f"已撤回修改，申报已回到填报中。请修改后在 {deadline:%Y-%m-%d %H:%M}（申报截止）前重新提交，"
                "逾期未提交的不能再提交。",
            )
            return redirect(edit_url(application))
    context = {"application": application, "refusal": refusal}
    return render(request, "applications/workflow/recall.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("applications.withdraw_application")
def application_withdraw_view(request: SignedInRequest, pk: int) -> HttpResponse:
    """放弃本批次申报: the consequence spelled out, a box to tick, an optional reason."""
    application = _own_application(request, pk, "applications.withdraw_application")
    if request.method != "POST" and application.state not in ApplicationState.withdrawable():
        messages.info(
            request,
            f"已处理：该申报当前状态为“{application.get_state_display()}”，不能放弃本批次申报。",
        )
        return redirect("applications:detail", pk=application.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            application_withdraw(
                application=application,
                actor=request.user,
                reason=form.cleaned_data["reason"],
                confirmed=form.cleaned_data["confirmed"],
            )
        except AlreadyHandled as exc:
            _already_handled(request, exc)
        except ValidationError as exc:
            form.add_error("confirmed", exc)
            return render(
                request, "applications/workflow/withdraw.html", _withdraw_context(application, form)
            )
        else:
            messages.success(request, "已放弃本批次申报。")
        return redirect("applications:detail", pk=application.pk)
    return render(request, "applications/workflow/withdraw.html", _withdraw_context(application, form))


def _withdraw_context(application: Application, form: WithdrawForm) -> dict:
    recallable = application.state in ApplicationState.recallable()
    return {
        "application": application,
        "form": form,
        "consequence": WITHDRAW_CONSEQUENCE,
        # Only wanting to change it? Say so where 撤回修改 would do.
        "can_recall": recallable and not application_recall_refusal(application),
    }


@require_GET
@permission_required("applications.view_application")
def application_print(request: SignedInRequest, pk: int) -> HttpResponse:
    """打印版（区县存档）: a clean A4 page. Staff only ever see handed-in applications (the scope);
    the unit may also print its draft, which carries a "草稿" mark and no submission time."""
    application = get_object_for(
        request,
        "applications.view_application",
        application_for_dossier(applications_visible_to(request.user)),
        pk=pk,
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
    path("applications/<int:pk>/recall/", application_recall_view, name="recall"),
    path("applications/<int:pk>/withdraw/", application_withdraw_view, name="withdraw"),
    path("applications/<int:pk>/print/", application_print, name="print"),
]
