"""HTTP for the annual reports (clause 6.3): the base's list, form and submission; the county's
queue and review; the city's overview, receipt, opening, late windows and export; the archive PDF.

Views handle HTTP only: they ask the permission, find objects through scoped selectors (outside the
scope: 404, audited), call one service and turn ``AlreadyHandled`` / ``ValidationError`` into a
Chinese message — re-rendering the page with what was typed.
"""

from datetime import datetime, time
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from applications.batches.jobs import BACKGROUND_FROM
from applications.spreadsheets import XLSX_CONTENT_TYPE
from shaoxing_bases.core.actions import perform
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.core.http import private_download
from shaoxing_bases.core.timeline import transition_timeline
from shaoxing_bases.permissions import get_object_for, permission_required

from . import selectors, services
from .checks import report_thresholds
from .documents import report_sections
from .enums import QueueFilter, ReportState
from .exports import annual_reports_workbook
from .forms import CityDecisionForm, LateWindowForm, OpenYearForm, QueueFilterForm, ReviewForm, SectionForm
from .jobs import annual_reports_export_start, export_filename
from .models import AnnualReport
from .sections import SECTIONS, SECTIONS_BY_KEY

PAGE_SIZE = 30


def _report(request, pk: int, perm: str) -> AnnualReport:
    return get_object_for(
        request, perm, selectors.report_for_page(selectors.reports_visible_to(request.user)), pk=pk
    )


def _detail_url(report: AnnualReport) -> str:
    return reverse("annual_reports:detail", args=[report.pk])


def _page(request, queryset):
    page_obj = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    return page_obj, page_obj.has_other_pages()


# --- the base ------------------------------------------------------------------------------------


@require_GET
@permission_required("reporting.view_own_annual_reports")
def my_reports(request):
    """我的年度报告: the unit's reports, newest year first."""
    page_obj, is_paginated = _page(
        request, selectors.reports_visible_to(request.user).order_by("-year", "pk")
    )
    return render(
        request,
        "reporting/annual/my_reports.html",
        {"page_obj": page_obj, "reports": page_obj.object_list, "is_paginated": is_paginated},
    )


def _edit_page(request, report, section, form, *, status=200):
    position = SECTIONS.index(section)
    overrides = form.cleaned_data if form.is_bound and hasattr(form, "cleaned_data") else None
    return render(
        request,
        "reporting/annual/edit.html",
        {
            "report": report,
            "section": section,
            "sections": SECTIONS,
            "form": form,
            "next_section": SECTIONS[position + 1] if position + 1 < len(SECTIONS) else None,
            "thresholds": report_thresholds(report, overrides) if section.key == "functions" else [],
            "deadline": services.last_day(report.year),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
@permission_required("reporting.edit_annual_report")
def edit(request, pk: int, section: str):
    """One section of the form. 保存 writes it (even incomplete); bad input re-renders it as typed."""
    report = _report(request, pk, "reporting.edit_annual_report")
    spec = SECTIONS_BY_KEY.get(section)
    if spec is None:
        raise Http404("没有这一部分")
    if not report.is_editable:
        messages.info(request, f"该年度报告已提交（{report.get_state_display()}），不能再修改。")
        return redirect(_detail_url(report))
    if request.method == "GET":
        return _edit_page(request, report, spec, SectionForm(spec, report))
    form = SectionForm(spec, report, request.POST)
    if request.htmx and request.GET.get("live") and spec.key == "functions":
        # The thresholds beside the figures as they are typed (nothing saved): valid fields only.
        form.is_valid()
        overrides = {name: value for name, value in form.values().items() if name not in form.errors}
        return render(
            request,
            "reporting/annual/_thresholds.html",
            {"thresholds": report_thresholds(report, overrides), "live": True},
        )
    if not form.is_valid():
        return _edit_page(request, report, spec, form)
    try:
        services.annual_report_section_update(
            report=report, actor=request.user, section=spec.key, values=form.values()
        )
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
        return redirect(_detail_url(report))
    except ValidationError as error:
        add_service_errors(error, form)
        return _edit_page(request, report, spec, form)
    report.refresh_from_db()
    messages.success(request, f"已保存“{spec.title}”。")
    if spec.key == "funds" and report.funds_exceed_received:
        messages.warning(
            request,
            f"资金使用合计 {report.funds_used:,.2f} 元，"
            f"超过本年度到位扶持资金 {report.funds_received:,.2f} 元，"
            "请核对（如含其他来源资金，请在存在问题中说明）。",
        )
    position = SECTIONS.index(spec)
    if "save_next" in request.POST:
        if position + 1 < len(SECTIONS):
            return redirect("annual_reports:edit", pk=report.pk, section=SECTIONS[position + 1].key)
        return redirect(_detail_url(report))
    return redirect("annual_reports:edit", pk=report.pk, section=spec.key)


@require_POST
@permission_required("reporting.submit_annual_report")
def submit(request, pk: int):
    report = _report(request, pk, "reporting.submit_annual_report")
    perform(
        request,
        lambda: services.annual_report_submit(report=report, actor=request.user),
        success=f"已提交{report.year}年度报告，等待{report.base.region.name}人力社保局审核。",
    )
    return redirect(_detail_url(report))


# --- the report page (everyone who may see it) -----------------------------------------------------


def _detail_page(request, report, *, review_form=None, city_form=None, late_form=None, status=200):
    return render(
        request,
        "reporting/annual/detail.html",
        {
            "report": report,
            "sections": report_sections(report),
            "section_list": SECTIONS,
            "thresholds": report_thresholds(report),
            "timeline": transition_timeline(report, dict(ReportState.choices)),
            "submission_refusal": services.submission_refusal(report),
            "deadline": services.last_day(report.year),
            "review_form": review_form or ReviewForm(),
            "city_form": city_form or CityDecisionForm(),
            "late_form": late_form or LateWindowForm(),
        },
        status=status,
    )


@require_GET
@permission_required("reporting.view_annual_report")
def detail(request, pk: int):
    return _detail_page(request, _report(request, pk, "reporting.view_annual_report"))


@require_POST
@permission_required("reporting.review_annual_report")
def review(request, pk: int):
    """County HRSS: 审核通过 or 退回修改 (with reasons)."""
    report = _report(request, pk, "reporting.review_annual_report")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, report, review_form=form)
    outcome = perform(
        request,
        lambda: services.annual_report_review(
            report=report,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            comment=form.cleaned_data["comment"],
        ),
        success="已退回基地修改。"
        if form.cleaned_data["decision"] == "return"
        else "已审核通过，报送市人力社保局。",
        form=form,
    )
    if outcome.refused:
        return _detail_page(request, report, review_form=form)
    if not outcome.done:
        return redirect(_detail_url(report))
    return redirect(reverse("annual_reports:county_queue") + f"?year={report.year}")


@require_POST
@permission_required("reporting.receive_annual_report")
def city_decide(request, pk: int):
    """City HRSS: 备案, or questions back to the county."""
    report = _report(request, pk, "reporting.receive_annual_report")
    form = CityDecisionForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, report, city_form=form)
    outcome = perform(
        request,
        lambda: services.annual_report_city_decide(
            report=report,
            actor=request.user,
            decision=form.cleaned_data["decision"],
            note=form.cleaned_data["note"],
        ),
        success="已备案。" if form.cleaned_data["decision"] == "receive" else "已将问题退回区县核实。",
        form=form,
    )
    if outcome.refused:
        return _detail_page(request, report, city_form=form)
    if not outcome.done:
        return redirect(_detail_url(report))
    return redirect(reverse("annual_reports:city_overview") + f"?year={report.year}")


@require_POST
@permission_required("reporting.grant_annual_late_window")
def grant_late(request, pk: int):
    report = _report(request, pk, "reporting.grant_annual_late_window")
    form = LateWindowForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, report, late_form=form)
    until = timezone.make_aware(datetime.combine(form.cleaned_data["until"], time.max.replace(microsecond=0)))
    outcome = perform(
        request,
        lambda: services.annual_report_grant_late_window(report=report, actor=request.user, until=until),
        success=f"已准予补报，截止 {form.cleaned_data['until']:%Y年%-m月%-d日}。",
        form=form,
    )
    if outcome.refused:
        return _detail_page(request, report, late_form=form)
    return redirect(_detail_url(report))


@require_GET
@permission_required("reporting.view_annual_report", hide=True)
def archive(request, pk: int):
    """The archive PDF of an approved report."""
    report = _report(request, pk, "reporting.view_annual_report")
    if not report.archive:
        raise Http404("存档PDF尚未生成")
    response = FileResponse(
        report.archive.open("rb"),
        as_attachment=True,
        filename=f"{report.base.name}{report.year}年度报告.pdf",
        content_type="application/pdf",
    )
    return private_download(response)


# --- the county ----------------------------------------------------------------------------------


@require_GET
@permission_required("reporting.review_annual_report")
def county_queue(request):
    """年度报告审核: the county's reports of a year — due, submitted, overdue, flagged."""
    years = selectors.years_with_reports()
    year = selectors.year_from_query(request.GET.get("year"), years)
    filters = QueueFilterForm(request.GET or None)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    page_obj, is_paginated = _page(request, selectors.county_queue(request.user, year=year, status=status))
    return render(
        request,
        "reporting/annual/county_queue.html",
        {
            "years": years,
            "year": year,
            "status": status,
            "tabs": [("", "全部"), *QueueFilter.choices],
            "page_obj": page_obj,
            "reports": page_obj.object_list,
            "is_paginated": is_paginated,
            "query_string": f"year={year}&status={status}",
            "deadline": services.last_day(year),
        },
    )


# --- the city ------------------------------------------------------------------------------------


def _overview_page(request, *, open_form=None, status=200):
    years = selectors.years_with_reports()
    year = selectors.year_from_query(request.GET.get("year"), years)
    page_obj, is_paginated = _page(request, selectors.awaiting_city(year))
    return render(
        request,
        "reporting/annual/city_overview.html",
        {
            "years": years,
            "year": year,
            "rows": selectors.county_overview(year),
            "page_obj": page_obj,
            "awaiting": page_obj.object_list,
            "is_paginated": is_paginated,
            "query_string": f"year={year}",
            "overdue": selectors.overdue_reports(year)[:50],
            "open_form": open_form or OpenYearForm(initial={"year": timezone.localdate().year}),
            "deadline": services.last_day(year),
        },
        status=status,
    )


@require_GET
@permission_required("reporting.view_annual_overview")
def city_overview(request):
    """各区县年度报告: all counties side by side, the reports awaiting 备案, the overdue ones."""
    return _overview_page(request)


@require_POST
@permission_required("reporting.open_annual_reporting")
def open_year(request):
    """City HRSS opens a year's reporting by hand (the 1 December timer does the same)."""
    form = OpenYearForm(request.POST)
    if not form.is_valid():
        return _overview_page(request, open_form=form)
    year = form.cleaned_data["year"]
    try:
        opened = services.annual_reporting_open(year=year, actor=request.user)
    except AlreadyHandled as handled:
        messages.info(request, handled.message)
    except ValidationError as error:
        add_service_errors(error, form)
        return _overview_page(request, open_form=form)
    else:
        if opened:
            messages.success(request, f"已开启{year}年度报告填报，{opened} 个实训基地收到填报通知。")
        else:
            messages.success(request, f"已开启{year}年度报告填报。目前没有需要填报的实训基地。")
    return redirect(reverse("annual_reports:city_overview") + f"?year={year}")


@require_GET
@permission_required("reporting.export_annual_reports")
def export(request):
    """The year's reports with every figure, as Excel. From `BACKGROUND_FROM` reports the page offers
    to build it in the background instead (`export_start`)."""
    years = selectors.years_with_reports()
    year = selectors.year_from_query(request.GET.get("year"), years)
    rows = selectors.reports_visible_to(request.user).filter(year=year).count()
    if rows >= BACKGROUND_FROM:
        return render(request, "reporting/annual/export_large.html", {"year": year, "rows": rows})
    content = annual_reports_workbook(year=year, user=request.user)
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = (
        f"attachment; filename=\"annual-reports-{year}.xlsx\"; filename*=UTF-8''"
        + quote(export_filename(year))
    )
    return private_download(response)


@require_POST
@permission_required("reporting.export_annual_reports")
def export_start(request):
    """Build the year's export in the background: back at once, to the job's progress page."""
    raw = request.POST.get("year", "")
    years = selectors.years_with_reports()
    if not (raw.isdecimal() and int(raw) in years):
        messages.error(request, "所选年度没有年度报告，无法导出。")
        return redirect("annual_reports:city_overview")
    job = annual_reports_export_start(year=int(raw), actor=request.user)
    messages.success(request, f"已开始生成{raw}年度报告汇总，完成后将发送到您的消息中心。")
    return redirect("core:job", pk=job.pk)
