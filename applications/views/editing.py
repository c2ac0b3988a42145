"""Filling in the application: one page per section, the live auto-check beside it, evidence files.

Only members of the applicant unit open these pages (other roles: 403); another unit's application
answers 404, and a section that does not apply to the unit type too. Once the application has been
handed in the pages send the unit to the application's detail page with a friendly message.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.access import role_required, scoped_get_or_404

from ..eligibility import OUTCOME_LABELS, summarize
from ..forms.application import (
    INTEGRITY_PROMISE,
    SECTIONS_BY_KEY,
    VERSION_FIELD,
    Section,
    SectionForms,
    section_missing,
    sections_for,
    upload_help,
)
from ..indicators import application_check
from ..models import Application, Attachment
from ..policy import clause_tag
from ..selectors import application_for_check, applications_visible_to
from ..services import AlreadyHandled, application_ensure_editable
from ..uploads import download_name

TEMPLATE = "applications/form/section.html"
OUTCOME_BADGES = {"pass": "text-bg-success", "fail": "text-bg-danger", "needs_judgement": "text-bg-warning"}
EXTRA_ROWS_STEP = 3
MAX_EXTRA_ROWS = 30
STALE_PAGE = "页面内容已过期：本申报在其他窗口或由同事保存过。请核对后重新保存。"


def _application_or_404(request, pk: int) -> Application:
    return scoped_get_or_404(request, application_for_check(applications_visible_to(request.user)), pk=pk)


def _section_or_404(application: Application, key: str) -> Section:
    section = SECTIONS_BY_KEY.get(key)
    if section is None or not section.applies_to(application.unit.unit_type):
        raise Http404("该申报没有这一部分")
    return section


def _detail_url(application: Application) -> str:
    return reverse("applications:detail", args=[application.pk])


def _locked(application: Application) -> Application:
    """The row under lock, with what the forms read, so that a save never races a submission."""
    locked = (
        application_for_check(Application.objects.select_related("batch", "unit", "unit__region"))
        .select_for_update(of=("self",))
        .get(pk=application.pk)
    )
    return locked


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


def _render_section(request, application, section, bundle, attachments, *, overrides=None):
    unit_type = application.unit.unit_type
    present = {attachment.section for attachment in attachments}
    sections = sections_for(unit_type)
    nav = []
    for item in sections:
        missing = section_missing(item, application, present)
        nav.append({"section": item, "missing": missing, "complete": not missing, "active": item == section})
    position = sections.index(section)
    context = {
        "application": application,
        "section": section,
        "clause_tags": section.clause_tags(unit_type),
        "nav": nav,
        "complete_count": sum(1 for item in nav if item["complete"]),
        "current_missing": nav[position]["missing"],
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


@role_required(Role.APPLICANT)
@require_http_methods(["GET", "POST"])
def edit_section(request, pk: int, section: str):
    """One page of the form. 保存 writes the page (even incomplete); bad input re-renders it."""
    application = _application_or_404(request, pk)
    section_spec = _section_or_404(application, section)
    try:
        application_ensure_editable(application=application, actor=request.user)
    except AlreadyHandled as error:
        messages.warning(request, error.message)
        return redirect(_detail_url(application))

    if request.method == "GET":
        attachments = list(application.attachments.all())
        bundle = _bundle(section_spec, application, attachments, extra_rows=_extra_rows(request))
        return _render_section(request, application, section_spec, bundle, attachments)

    delete_id = request.POST.get("delete_attachment", "")
    try:
        with transaction.atomic():
            application = _locked(application)
            application_ensure_editable(application=application, actor=request.user)
            attachments = list(application.attachments.all())
            bundle = _bundle(section_spec, application, attachments, request=request)
            if bundle.is_stale():
                raise _Stale
            delete = None
            if delete_id:
                delete = next(
                    (item for item in bundle.attachments if str(item.pk) == delete_id),
                    None,
                )
                if delete is None:
                    messages.info(request, "该文件已删除。")
            if not bundle.is_valid():
                raise _Invalid
            bundle.save(actor=request.user, delete=delete)
    except AlreadyHandled as error:
        messages.warning(request, error.message)
        return redirect(_detail_url(application))
    except _Stale:
        # Nothing written; the page comes back with what was typed and the current version, so that
        # saving again after checking is a deliberate choice (files cannot be kept by the browser).
        reselect = "所选择的文件未上传，请重新选择。" if request.FILES else ""
        messages.error(request, f"{STALE_PAGE}{reselect}")
        return _render_section(
            request, application, section_spec, bundle, attachments, overrides=bundle.overrides()
        )
    except _Invalid:
        messages.error(request, "未保存：请按红色提示修改后再保存，已填写的内容仍保留在页面上。")
        return _render_section(
            request, application, section_spec, bundle, attachments, overrides=bundle.overrides()
        )
    except (ValidationError, IntegrityError) as error:
        # Checked before saving, so only a race (a colleague saving the same rows) lands here.
        conflict = "与其他人同时保存的内容冲突"
        text = "；".join(error.messages) if isinstance(error, ValidationError) else conflict
        messages.error(request, f"未保存：{text}。请刷新页面后重试。")
        return _render_section(
            request, application, section_spec, bundle, attachments, overrides=bundle.overrides()
        )

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
    return redirect(url)


class _Invalid(Exception):
    """Leave the transaction (nothing written) and re-render the page with its errors."""


class _Stale(Exception):
    """The page's version token is not the application's: leave without writing, re-render."""


@role_required(Role.APPLICANT)
@require_POST
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


@login_required
@require_GET
def attachment_download(request, pk: int):
    """A piece of evidence, for anyone who may open its application; everyone else gets 404."""
    attachment = scoped_get_or_404(
        request, Attachment.objects.filter(application__in=applications_visible_to(request.user)), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("文件不存在") from None
    # The name the unit gave, with the extension of what the file really is (checked on upload).
    filename = download_name(attachment.original_name, attachment.content_type)
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type=attachment.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


urlpatterns = [
    path("applications/<int:pk>/live-check/", live_check, name="live_check"),
    path("applications/<int:pk>/edit/<slug:section>/", edit_section, name="edit_section"),
    path("attachments/<int:pk>/download/", attachment_download, name="attachment_download"),
]
