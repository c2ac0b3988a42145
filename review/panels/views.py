"""HTTP for the expert review (clause 4.2): the expert pool, the panel (draw, members, mode, rubric,
opening, progress, closing), the expert's sheets (declaration, autosaved scoring, submission), the
ranking with the shortlist confirmation, and the Excel and PDF exports.

Views handle HTTP only: they ask the permission, find objects through scoped selectors (outside the
scope: 404, audited), call one service and turn ``AlreadyHandled`` / ``ValidationError`` into Chinese.
"""

import logging
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.models import Attachment
from applications.spreadsheets import XLSX_CONTENT_TYPE, dataset_to_xlsx
from shaoxing_bases.core.actions import perform
from shaoxing_bases.core.deadlines import countdown
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.core.http import private_download
from shaoxing_bases.core.timeline import transition_timeline
from shaoxing_bases.core.uploads import download_name
from shaoxing_bases.permissions import ask, get_object_for, permission_required

from . import selectors, services
from .documents import summary_pdf_bytes
from .enums import PanelState, SheetState
from .exports import panel_workbook
from .forms import (
    ConfirmForm,
    DeclareForm,
    DrawForm,
    ExpertForm,
    ExpertImportForm,
    MemberAddForm,
    ModeForm,
    RecuseForm,
    RubricFormSet,
    SheetForm,
    rubric_initial,
)
from .imports import ImportResult, import_experts
from .models import Expert, Panel, PanelMember, ScoreSheet, plain_number
from .resources import ExpertResource
from .services._common import scoring_closed_reason
from .sheet_page import sheet_context

logger = logging.getLogger(__name__)

EXPERTS_PAGE_SIZE = 50
MY_SHEETS_PAGE_SIZE = 50


# --- the expert pool -----------------------------------------------------------------------------


@require_GET
@permission_required("review.view_experts")
def expert_list(request):
    """专家库: every expert with their employer, specialties and account; phones masked unless the
    user keeps the pool."""
    query = request.GET.get("q", "").strip()[:50]
    specialty = request.GET.get("specialty", "").strip()[:50]
    page = Paginator(selectors.experts_list(query, specialty), EXPERTS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "review/panels/experts.html",
        {"page_obj": page, "is_paginated": page.has_other_pages(), "q": query, "specialty": specialty},
    )


def _expert_form_page(request, form, expert=None):
    return render(request, "review/panels/expert_form.html", {"form": form, "expert": expert})


@require_http_methods(["GET", "POST"])
@permission_required("review.manage_experts")
def expert_create(request):
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            expert = services.expert_save(actor=request.user, data=form.data_for_service())
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, f"已将{expert.name}加入专家库。")
            return redirect("review:expert_list")
    return _expert_form_page(request, form)


@require_http_methods(["GET", "POST"])
@permission_required("review.manage_experts")
def expert_edit(request, pk: int):
    expert = get_object_for(request, "review.manage_experts", Expert.objects.all(), pk=pk)
    form = ExpertForm(request.POST or None, instance=expert)
    if request.method == "POST" and form.is_valid():
        try:
            services.expert_save(actor=request.user, data=form.data_for_service(), expert=expert)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, f"已保存{expert.name}的信息。")
            return redirect("review:expert_list")
    return _expert_form_page(request, form, expert)


@require_http_methods(["GET", "POST"])
@permission_required("review.manage_experts")
def expert_import(request):
    """导入专家库 (.xlsx): every row checked first; nothing is imported while any row is wrong."""
    form = ExpertImportForm(request.POST or None, request.FILES or None)
    result: ImportResult | None = None
    if request.method == "POST" and form.is_valid():
        result = import_experts(actor=request.user, upload=form.cleaned_data["file"])
        if result.ok:
            messages.success(request, f"已导入专家库：新增 {result.created} 人，更新 {result.updated} 人。")
            return redirect("review:expert_list")
    return render(request, "review/panels/expert_import.html", {"form": form, "result": result})


@require_GET
@permission_required("review.view_experts")
def expert_export(request):
    masked = not ask("review.view_expert_contacts", request.user, layer="view")
    dataset = ExpertResource(mask_phones=masked).export(selectors.experts_list(), force_native_type=True)
    response = HttpResponse(dataset_to_xlsx(dataset, title="专家库"), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "绍兴市实训基地评审专家库.xlsx")
    return private_download(response)


# --- panels --------------------------------------------------------------------------------------


def _panel(request, pk: int, perm: str = "review.view_panel") -> Panel:
    return get_object_for(request, perm, selectors.panels_visible_to(request.user), pk=pk)


@require_GET
@permission_required("review.view_panel")
def panel_list(request):
    """评审组: one per batch in expert review or later, with where each stands."""
    panels = list(selectors.panels_visible_to(request.user).order_by("-batch__year"))
    return render(request, "review/panels/panel_list.html", {"panels": panels})


def _panel_page(request, panel, *, draw_form=None, member_form=None, mode_form=None):
    forming = panel.is_forming
    return render(
        request,
        "review/panels/panel.html",
        {
            "panel": panel,
            "batch": panel.batch,
            "members": selectors.panel_members(panel),
            "draws": selectors.panel_draws(panel),
            "indicators": list(panel.indicators.all()),
            "draw_form": draw_form or (DrawForm() if forming else None),
            "member_form": member_form or (MemberAddForm(panel=panel) if forming else None),
            "mode_form": mode_form or (ModeForm(initial={"mode": panel.mode}) if forming else None),
            "problems": services.panel_open_problems(panel) if forming else [],
            "declarations": list(selectors.declarations(panel)) if not forming else [],
            "counts": (counts := selectors.sheet_counts(panel)),
            "open_count": counts.get(SheetState.ASSIGNED, 0) + counts.get(SheetState.DECLARED, 0),
            "countdown": countdown(panel.batch.scoring_deadline),
            "timeline": _timeline(panel),
        },
    )


def _timeline(panel):
    return transition_timeline(panel, dict(PanelState.choices), system_actor="系统")


@require_GET
@permission_required("review.view_panel")
def panel(request, pk: int):
    return _panel_page(request, _panel(request, pk))


@require_POST
@permission_required("review.manage_panel")
def panel_draw(request, pk: int):
    found = _panel(request, pk, "review.manage_panel")
    form = DrawForm(request.POST)
    if not form.is_valid():
        return _panel_page(request, found, draw_form=form)
    outcome = perform(
        request,
        lambda: services.panel_draw(
            panel=found,
            actor=request.user,
            specialty=form.cleaned_data["specialty"],
            count=form.cleaned_data["count"],
        ),
        success=lambda record: f"已随机抽取 {len(record.drawn)} 名专家（随机种子 {record.seed}）。",
        form=form,
    )
    if outcome.refused:
        return _panel_page(request, found, draw_form=form)
    return redirect("review:panel", pk=found.pk)


@require_POST
@permission_required("review.manage_panel")
def member_add(request, pk: int):
    found = _panel(request, pk, "review.manage_panel")
    form = MemberAddForm(request.POST, panel=found)
    if not form.is_valid():
        return _panel_page(request, found, member_form=form)
    outcome = perform(
        request,
        lambda: services.panel_member_add(
            panel=found,
            actor=request.user,
            expert=form.cleaned_data["expert"],
            user=form.cleaned_data["user"],
        ),
        success=lambda member: f"已将{member.name}加入评审组（人工添加）。",
        form=form,
    )
    if outcome.refused:
        return _panel_page(request, found, member_form=form)
    return redirect("review:panel", pk=found.pk)


@require_POST
@permission_required("review.manage_panel")
def member_remove(request, pk: int):
    member = get_object_for(
        request,
        "review.manage_panel",
        PanelMember.objects.select_related("panel", "expert", "user").filter(
            panel__in=selectors.panels_visible_to(request.user)
        ),
        via=lambda member: member.panel,
        pk=pk,
    )
    perform(
        request,
        lambda: services.panel_member_remove(member=member, actor=request.user),
        success=f"已将{member.name}移出评审组。",
    )
    return redirect("review:panel", pk=member.panel_id)


@require_POST
@permission_required("review.manage_panel")
def panel_mode(request, pk: int):
    found = _panel(request, pk, "review.manage_panel")
    form = ModeForm(request.POST)
    if not form.is_valid():
        return _panel_page(request, found, mode_form=form)
    perform(
        request,
        lambda: services.panel_set_mode(panel=found, actor=request.user, mode=form.cleaned_data["mode"]),
        success="已保存评审方式。",
    )
    return redirect("review:panel", pk=found.pk)


@require_http_methods(["GET", "POST"])
@permission_required("review.view_panel")
def rubric(request, pk: int):
    """评分细则: read by city staff; edited by city HRSS while the panel is forming."""
    found = _panel(request, pk)
    indicators = list(found.indicators.all())
    may_edit = found.is_forming and ask("review.manage_panel", request.user, layer="view")
    formset = RubricFormSet(request.POST or None, initial=rubric_initial(indicators), prefix="rubric")
    rubric_errors: list[str] = []
    if request.method == "POST":
        if not ask("review.manage_panel", request.user, layer="view"):
            raise PermissionDenied
        if formset.is_valid():
            rows = [
                services.IndicatorRow(
                    pk=form.cleaned_data.get("id"),
                    name=form.cleaned_data["name"],
                    clauses=form.cleaned_data.get("clauses", ""),
                    max_points=form.cleaned_data["max_points"],
                    guidance=form.cleaned_data.get("guidance", ""),
                    evidence_sections=tuple(form.cleaned_data.get("evidence_sections", ())),
                    training_scale=form.cleaned_data.get("training_scale", False),
                    delete=form.cleaned_data.get("DELETE", False),
                )
                for form in formset.forms
                if form.has_changed() or form.cleaned_data.get("id")
            ]
            try:
                services.rubric_save(panel=found, actor=request.user, rows=rows)
            except AlreadyHandled as handled:
                messages.warning(request, handled.message)
                return redirect("review:panel", pk=found.pk)
            except ValidationError as error:
                rubric_errors = error.messages
            else:
                messages.success(request, "已保存评分细则。")
                return redirect("review:rubric", pk=found.pk)
    total = plain_number(sum((indicator.max_points for indicator in indicators), Decimal(0)))
    return render(
        request,
        "review/panels/rubric.html",
        {
            "panel": found,
            "batch": found.batch,
            "formset": formset,
            "indicators": indicators,
            "may_edit": may_edit,
            "rubric_errors": rubric_errors,
            "total": total,
        },
    )


@require_POST
@permission_required("review.manage_panel")
def panel_open(request, pk: int):
    found = _panel(request, pk, "review.manage_panel")
    perform(
        request,
        lambda: services.panel_open_scoring(panel=found, actor=request.user),
        success="专家评审已开始，已通知评审专家。",
    )
    return redirect("review:panel", pk=found.pk)


@require_GET
@permission_required("review.view_panel")
def progress(request, pk: int):
    """评审进度: experts × applications with each sheet's state."""
    found = _panel(request, pk)
    experts, rows, counts = selectors.progress_grid(found)
    return render(
        request,
        "review/panels/progress.html",
        {
            "panel": found,
            "batch": found.batch,
            "experts": experts,
            "rows": rows,
            "counts": counts,
            "open_count": counts.get(SheetState.ASSIGNED, 0) + counts.get(SheetState.DECLARED, 0),
            "countdown": countdown(found.batch.scoring_deadline),
        },
    )


@require_POST
@permission_required("review.manage_panel")
def panel_close(request, pk: int):
    found = _panel(request, pk, "review.manage_panel")
    outcome = perform(
        request,
        lambda: services.panel_close(panel=found, actor=request.user),
        success="专家评审已结束，可查看评审排名并确认初选名单。",
    )
    if outcome.refused:
        return redirect("review:progress", pk=found.pk)
    if outcome.done:
        return redirect("review:ranking", pk=found.pk)
    return redirect("review:panel", pk=found.pk)


def _ranking_page(request, found, *, confirm_form=None):
    finished = found.is_finished
    experts = selectors.ranking_experts(found) if finished else []
    rows = selectors.panel_ranking(found, with_sheets=True) if finished else []
    return render(
        request,
        "review/panels/ranking.html",
        {
            "panel": found,
            "batch": found.batch,
            "experts": experts,
            "rows": [(row, [row.cells.get(member.pk) for member in experts]) for row in rows],
            "confirm_form": confirm_form or ConfirmForm(),
            "open_count": selectors.open_sheet_count(found) if not finished else 0,
        },
    )


@require_GET
@permission_required("review.view_ranking")
def ranking(request, pk: int):
    """评审排名: each application's final score (or votes), every expert's total, the flags and the
    proposed shortlist; only once the panel has closed (scores are hidden until then)."""
    return _ranking_page(request, _panel(request, pk, "review.view_ranking"))


@require_POST
@permission_required("review.confirm_shortlist")
def confirm(request, pk: int):
    found = _panel(request, pk, "review.confirm_shortlist")
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _ranking_page(request, found, confirm_form=form)
    outcome = perform(
        request,
        lambda: services.shortlist_confirm(
            panel=found, actor=request.user, comment=form.cleaned_data["comment"]
        ),
        success="初选名单已确认，申报单位将于结果公示时获知。",
        form=form,
    )
    if outcome.refused:
        return _ranking_page(request, found, confirm_form=form)
    return redirect("review:ranking", pk=found.pk)


@require_GET
@permission_required("review.view_panel")
def panel_export(request, pk: int):
    """评分表与排名 (.xlsx): every sheet with each indicator's points, then the ranking."""
    found = _panel(request, pk)
    if not found.is_finished:
        messages.info(request, "评审结束后才能导出评分表（评审期间各专家评分互不可见）。")
        return redirect("review:panel", pk=found.pk)
    response = HttpResponse(panel_workbook(found), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        True, f"{found.batch.year}年度实训基地专家评分表及排名.xlsx"
    )
    return private_download(response)


@require_GET
@permission_required("review.view_panel", hide=True)
def summary_pdf(request, pk: int):
    """评审结果汇总表 (PDF) signed by the panel; after the panel has closed."""
    found = _panel(request, pk)
    if not found.is_finished:
        messages.info(request, "评审结束后才能打印评审结果汇总表。")
        return redirect("review:panel", pk=found.pk)
    response = HttpResponse(summary_pdf_bytes(found), content_type="application/pdf")
    response["Content-Disposition"] = (
        content_disposition_header(False, f"{found.batch.year}年度评审结果汇总表.pdf") or "inline"
    )
    return private_download(response)


# --- the expert's sheets -------------------------------------------------------------------------


@require_GET
@permission_required("review.list_own_sheets")
def my_sheets(request):
    """我的评审: the expert's sheets, what is due and by when (a page at a time)."""
    sheets = selectors.my_sheets(request.user)
    page = Paginator(sheets, MY_SHEETS_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "review/panels/my_sheets.html",
        {
            "sheets": page.object_list,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "open_count": sheets.filter(state__in=SheetState.open()).count(),
        },
    )


def _sheet(request, pk: int) -> ScoreSheet:
    return get_object_for(request, "review.score_sheet", selectors.sheets_of(request.user), pk=pk)


def _sheet_page(request, sheet, *, form=None, declare_form=None, recuse_form=None, status=200):
    panel = sheet.panel
    declared = sheet.state in (SheetState.DECLARED, SheetState.SUBMITTED)
    context = {
        "sheet": sheet,
        "panel": panel,
        "batch": panel.batch,
        "unit": sheet.application.unit,
        "application": sheet.application,
        "countdown": countdown(panel.batch.scoring_deadline),
        "closed_reason": scoring_closed_reason(panel),
        "declare_form": declare_form or DeclareForm(),
        "recuse_form": recuse_form or RecuseForm(),
    }
    if declared:
        context.update(sheet_context(sheet, form))
    return render(request, "review/panels/sheet.html", context, status=status)


@require_GET
@permission_required("review.score_sheet")
def sheet(request, pk: int):
    return _sheet_page(request, _sheet(request, pk))


@require_POST
@permission_required("review.score_sheet")
def sheet_declare(request, pk: int):
    found = _sheet(request, pk)
    form = DeclareForm(request.POST)
    form.is_valid()
    outcome = perform(
        request,
        lambda: services.sheet_declare(
            sheet=found, actor=request.user, statements=set(form.cleaned_data.get("statements", []))
        ),
        success="已声明无利害关系，可以开始评分。",
        form=form,
    )
    if outcome.refused:
        return _sheet_page(request, found, declare_form=form)
    return redirect("review:sheet", pk=found.pk)


@require_POST
@permission_required("review.score_sheet")
def sheet_recuse(request, pk: int):
    found = _sheet(request, pk)
    form = RecuseForm(request.POST)
    if not form.is_valid():
        return _sheet_page(request, found, recuse_form=form)
    outcome = perform(
        request,
        lambda: services.sheet_recuse(
            sheet=found,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        ),
        success="已申请回避，系统已为该申报另行抽取替补专家。",
        form=form,
    )
    if outcome.refused:
        return _sheet_page(request, found, recuse_form=form)
    return redirect("review:my_sheets")


def _sheet_form(request, found) -> SheetForm:
    return SheetForm(request.POST, indicators=list(found.panel.indicators.all()), votes=found.panel.votes)


@require_POST
@permission_required("review.score_sheet")
def sheet_save(request, pk: int):
    """保存草稿 (the button, and the last save when the page is left); with htmx (the autosave) it
    answers the status line only."""
    found = _sheet(request, pk)
    form = _sheet_form(request, found)
    error_list: list[str] = []
    if form.is_valid():
        try:
            found = services.sheet_save(
                sheet=found,
                actor=request.user,
                points=form.points(),
                comment=form.cleaned_data["comment"],
                vote=form.cleaned_data.get("vote", ""),
            )
        except AlreadyHandled as handled:
            error_list = [handled.message]
        except ValidationError as error:
            add_service_errors(error, form)
    if form.errors:
        error_list += [str(message) for messages_ in form.errors.values() for message in messages_]
    if request.htmx:
        return render(
            request,
            "review/panels/_save_status.html",
            {"sheet": found, "errors": error_list, "now": timezone.now()},
        )
    if not error_list:
        # The page again, not a redirect: a draft is no decision (nothing is audited), and the page
        # shows when it was last saved.
        messages.success(request, f"已保存草稿（{timezone.localtime(found.saved_at):%H:%M:%S}）。")
        return _sheet_page(request, found)
    return _sheet_page(request, found, form=form)


@require_POST
@permission_required("review.score_sheet")
def sheet_submit(request, pk: int):
    found = _sheet(request, pk)
    form = _sheet_form(request, found)
    if not form.is_valid():
        return _sheet_page(request, found, form=form)
    try:
        services.sheet_submit(
            sheet=found,
            actor=request.user,
            points=form.points(),
            comment=form.cleaned_data["comment"],
            vote=form.cleaned_data.get("vote", ""),
        )
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
        return redirect("review:sheet", pk=found.pk)
    except ValidationError as error:
        add_service_errors(error, form)
        found.refresh_from_db()
        return _sheet_page(request, found, form=form)
    messages.success(request, f"已提交{found.application.unit.name}的评分表。")
    return redirect("review:my_sheets")


@require_GET
@permission_required("review.score_sheet", hide=True)
def sheet_evidence(request, pk: int, attachment_pk: int):
    """One piece of evidence of the sheet's application, for its expert once declared."""
    found = _sheet(request, pk)
    if found.state not in (SheetState.DECLARED, SheetState.SUBMITTED):
        messages.info(request, "请先完成回避声明，再查看申报材料。")
        return redirect("review:sheet", pk=found.pk)
    attachment = get_object_or_404(Attachment, pk=attachment_pk, application_id=found.application_id)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        messages.error(request, "文件缺失，请联系系统管理员。")
        return redirect("review:sheet", pk=found.pk)
    return private_download(
        FileResponse(
            handle,
            as_attachment=True,
            filename=download_name(attachment.original_name, attachment.content_type),
            content_type=attachment.content_type,
        )
    )
