"""HTTP of the funding records (clause 5.1): the totals of the user's scope, the Excel export, and
county finance's form to record what its bureau gave a base."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_http_methods

from applications.spreadsheets import XLSX_CONTENT_TYPE
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.core.http import private_download
from shaoxing_bases.permissions import get_object_for, permission_required

from ..bases.selectors import bases_visible_to, regions
from . import selectors, services
from .forms import FundingForm

BASES_PAGE_SIZE = 50


def _filters(request, scope_regions):
    codes = {region.code for region in scope_regions}
    region_code = request.GET.get("county", "").strip()[:10]
    region_code = region_code if region_code in codes else ""
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = None
    if year is not None and not 2000 <= year <= 2100:
        year = None
    return region_code, year


def _scope_regions(user):
    found = regions()
    own = [region for region in found if region.pk == user.region_id]
    return own or found


@require_GET
@permission_required("reporting.view_funding")
def overview(request):
    """经费支持: totals per county and year and per base within the user's scope."""
    scope = _scope_regions(request.user)
    region_code, year = _filters(request, scope)
    records = selectors.filtered(
        selectors.funding_visible_to(request.user), year=year, region_code=region_code
    )
    shown = [region for region in scope if not region_code or region.code == region_code]
    summary = selectors.funding_summary(records, shown)
    page = Paginator(summary.per_base, BASES_PAGE_SIZE).get_page(request.GET.get("page"))
    filters = {key: value for key, value in (("county", region_code), ("year", year)) if value}
    return render(
        request,
        "reporting/funding/overview.html",
        {
            "summary": summary,
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "query_string": urlencode(filters),
            "regions": scope if len(scope) > 1 else [],
            "county": region_code,
            "year": year,
            "years": range(timezone.localdate().year, 2021, -1),
        },
    )


@require_GET
@permission_required("reporting.view_funding")
def export(request):
    scope = _scope_regions(request.user)
    region_code, year = _filters(request, scope)
    records = selectors.filtered(
        selectors.funding_visible_to(request.user), year=year, region_code=region_code
    )
    shown = [region for region in scope if not region_code or region.code == region_code]
    response = HttpResponse(selectors.funding_workbook(records, shown), content_type=XLSX_CONTENT_TYPE)
    name = f"实训基地经费支持{f'（{year}年）' if year else ''}.xlsx"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return private_download(response)


@require_http_methods(["GET", "POST"])
@permission_required("reporting.record_funding")
def create(request, pk: int):
    """登记经费支持 for one base of the county; what was typed stays on the form when refused."""
    base = get_object_for(request, "reporting.record_funding", bases_visible_to(request.user), pk=pk)
    form = FundingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.funding_record_create(base=base, actor=request.user, data=form.to_input())
        except AlreadyHandled as handled:
            messages.warning(request, handled.message)
            return redirect("bases:detail", pk=base.pk)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(
                request, f"已登记{record.year}年{record.get_purpose_display()}经费 {record.amount} 元。"
            )
            return redirect("bases:detail", pk=base.pk)
    return render(request, "reporting/funding/form.html", {"base": base, "form": form})
