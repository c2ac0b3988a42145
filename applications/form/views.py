"""Filling in the application: one page per section, the live auto-check beside it, evidence files.

Only members of the applicant unit open these pages (other roles: 403); another unit's application
answers 404, and a section that does not apply to the unit type too. Once the application has been
handed in the pages send the unit to the application's detail page with a friendly message.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.http import private_download
from shaoxing_bases.core.uploads import download_name
from shaoxing_bases.permissions import get_object_for, permission_required

from ..eligibility import OUTCOME_LABELS, summarize
from ..indicators import application_check
from ..models import Application, Attachment
from ..policy import clause_tag
from ..selectors import application_for_check, applications_visible_to
from ..workflow.services import application_ensure_editable
from .forms import (
    INTEGRITY_PROMISE,
    SECTIONS_BY_KEY,
    VERSION_FIELD,
    Section,
    SectionForms,
    sections_for,
    upload_help,
)
from .progress import form_progress, saved_application
from .services import StalePage, application_section_update

TEMPLATE = "applications/form/section.html"
OUTCOME_BADGES = {"pass": "text-bg-success", "fail": "text-bg-danger", "needs_judgement": "text-bg-warning"}
EXTRA_ROWS_STEP = 3
MAX_EXTRA_ROWS = 30


def _application_or_404(request, pk: int):
    return get_object_for(
        request,
        "applications.edit_application",
        application_for_check(applications_visible_to(request.user)),
        pk=pk,
    )


def _section_or_404(application: Application, key: str) -> Section:
    section = SECTIONS_BY_KEY.get(key)
    if section is None or not section.applies_to(application.unit.unit_type):
        raise Http404("该申报没有这一部分")
    return section


def _detail_url(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def check_panel_context(
    application: Application, overrides: dict | None = None, section: Section | None = None
):
    """The auto-check beside the form: every criterion of the unit type, with its outcome."""
    results = application_check(application, overrides)
    unit_type = application.unit.unit_type
    labels = {
        criterion.key: criterion.label for criterion in application.batch.policy.criteria_for(unit_type)
    }
    current = set(section.criteria) if section is not None else set()
    rows = [
        {
            "result": result,
            "tag": clause_tag(result.clause),
            "label": labels.get(result.key, result.key),
            "outcome_label": OUTCOME_LABELS[result.outcome],
            "badge": OUTCOME_BADGES[result.outcome],
            "current": result.key in current,
        }
        for result in results
    ]
    return {"check_rows": rows, "check_summary": summarize(results), "check_live": overrides is not None}


def _render_section(request, application, section, bundle, attachments, *, overrides=None, saved=None):
    """`saved`: the application as saved, when `application` may carry unsaved input (a bound form
    that failed validation has copied what was typed onto it): the ticks and the counter show what
    is saved, never what was only typed."""
    unit_type = application.unit.unit_type
    progress = form_progress(saved or application, attachments, active=section)
    sections = sections_for(unit_type)
    position = sections.index(section)
    context = {
        "application": application,
        "section": section,
        "clause_tags": section.clause_tags(unit_type),
        "progress": progress,
        "current_missing": progress.steps[position].missing,
        "next_section": sections[position + 1] if position + 1 < len(sections) else None,
        "bundle": bundle,
        "version_field": VERSION_FIELD,
        "form": bundle.form,
        "rows": bundle.rows,
        "blocks": bundle.blocks(),
        "file_input_names": ",".join(bundle.file_input_names()),
        "integrity_promise": INTEGRITY_PROMISE,
        "upload_help": upload_help(),
        "unit_profile_url": reverse("applications:unit_profile"),
        "detail_url": _detail_url(application),
        **check_panel_context(application, overrides, section),
    }
    return render(request, TEMPLATE, context)


def _bundle(section, application, attachments, request=None, extra_rows=0) -> SectionForms:
    bound = request is not None
    categories = section.evidence(application.unit.unit_type)
    return SectionForms(
        section=section,
        application=application,
        attachments=[attachment for attachment in attachments if attachment.section in categories],
        data=request.POST if bound else None,
        files=request.FILES if bound else None,
        extra_rows=extra_rows,
    )


def _extra_rows(request) -> int:
    try:
        return max(0, min(int(request.GET.get("extra", 0)), MAX_EXTRA_ROWS))
    except ValueError:
        return 0


@require_http_methods(["GET", "POST"])
@permission_required("applications.edit_application")
def edit_section(request, pk: int, section: str):
    """One page of the form. 保存 writes the page (even incomplete); bad input re-renders it."""
    application = _application_or_404(request, pk)
    section_spec = _section_or_404(application, section)
    try:
        application_ensure_editable(application=application, actor=request.user)
    except AlreadyHandled as error:
        messages.warning(request, error.message)
        return redirect(_detail_url(application))

    attachments = list(application.attachments.all())
    if request.method == "GET":
        bundle = _bundle(section_spec, application, attachments, extra_rows=_extra_rows(request))
        return _render_section(request, application, section_spec, bundle, attachments)

    bundle = _bundle(section_spec, application, attachments, request=request)

    def again(message: str):
        """Nothing written: the page comes back with everything typed and a Chinese error."""
        messages.error(request, message)
        return _render_section(
            request,
            application,
            section_spec,
            bundle,
            attachments,
            overrides=bundle.overrides(),
            saved=saved_application(application),
        )

    delete_id = request.POST.get("delete_attachment", "")
    delete = (
        next((item for item in bundle.attachments if str(item.pk) == delete_id), None) if delete_id else None
    )
    if delete_id and delete is None:
        messages.info(request, "该文件已删除。")
    if not bundle.is_valid():
        return again("未保存：请按红色提示修改后再保存，已填写的内容仍保留在页面上。")
    try:
        application_section_update(
            application=application, actor=request.user, update=bundle.update(delete=delete)
        )
    except StalePage as stale:
        # Saving again after checking is a deliberate choice; files cannot be kept by the browser.
        return again(f"{stale.message}{'所选择的文件未上传，请重新选择。' if request.FILES else ''}")
    except AlreadyHandled as error:
        messages.warning(request, error.message)
        return redirect(_detail_url(application))
    except (ValidationError, IntegrityError) as error:
        # Checked before saving, so only a race (a colleague saving the same rows) lands here.
        text = (
            "；".join(error.messages) if isinstance(error, ValidationError) else "与其他人同时保存的内容冲突"
        )
        return again(f"未保存：{text}。请刷新页面后重试。")

    if delete is not None:
        messages.success(request, f"已删除文件“{delete.original_name}”，本页内容已保存。")
    else:
        messages.success(request, f"“{section_spec.title}”已保存。")
    url = reverse("applications:edit_section", args=[application.pk, section_spec.key])
    if "add_rows" in request.POST:
        return redirect(f"{url}?extra={min(_extra_rows(request) + EXTRA_ROWS_STEP, MAX_EXTRA_ROWS)}")
    if "save_next" in request.POST:
        sections = sections_for(application.unit.unit_type)
        position = sections.index(section_spec)
        if position + 1 < len(sections):
            url = reverse("applications:edit_section", args=[application.pk, sections[position + 1].key])
        else:  # the last section: on to the final step, 检查并提交
            url = reverse("applications:submit", args=[application.pk])
    return redirect(url)


@require_POST
@permission_required("applications.edit_application")
def live_check(request, pk: int):
    """htmx: the auto-check panel for what is typed on the page now. Saves nothing."""
    application = _application_or_404(request, pk)
    section = SECTIONS_BY_KEY.get(request.GET.get("section", ""))
    overrides = None
    if section is not None and section.applies_to(application.unit.unit_type) and application.is_editable:
        bundle = SectionForms(section=section, application=application, data=request.POST)
        overrides = bundle.overrides()
    context = check_panel_context(application, overrides, section)
    return render(request, f"{TEMPLATE}#check_panel", context)


@require_GET
@permission_required("applications.view_application", hide=True)
def attachment_download(request, pk: int):
    """A piece of evidence, for anyone who may open its application; everyone else gets 404."""
    attachment = get_object_for(
        request,
        "applications.view_application",
        Attachment.objects.filter(application__in=applications_visible_to(request.user)).select_related(
            "application__unit"
        ),
        via=lambda attachment: attachment.application,
        pk=pk,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    # The name the unit gave, with the extension of what the file really is (checked on upload).
    filename = download_name(attachment.original_name, attachment.content_type)
    return private_download(
        FileResponse(handle, as_attachment=True, filename=filename, content_type=attachment.content_type)
    )


urlpatterns = [
    path("applications/<int:pk>/live-check/", live_check, name="live_check"),
    path("applications/<int:pk>/edit/<slug:section>/", edit_section, name="edit_section"),
    path("attachments/<int:pk>/download/", attachment_download, name="attachment_download"),
]
