"""HTTP of the training bases: the public list and statistics (no sign-in), the staff list, a
unit's own bases and the base page with its funding, assessments and timeline.

Views handle HTTP only: they ask the permission, find the base through the user's scope (outside
it: 404, audited) and render.
"""

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header, urlencode
from django.views.decorators.http import require_GET, require_safe

from applications.policy import UNIT_TYPE_LABELS
from applications.spreadsheets import XLSX_CONTENT_TYPE
from shaoxing_bases.core.timeline import TimelineEntry, transition_timeline
from shaoxing_bases.permissions import get_object_for, permission_required, public

from ..enums import BaseState
from ..funding.selectors import base_funding
from . import selectors
from .statistics import statistics_chart, statistics_charts

PUBLIC_PAGE_SIZE = 20
STAFF_PAGE_SIZE = 30


def _choice(value: str, allowed) -> str:
    value = (value or "").strip()[:30]
    return value if value in allowed else ""


@public
@require_safe
def public_list(request):
    """市级高技能人才公共实训基地名单: the listed bases (an exited base has left it), by county and
    type; no sign-in, nothing but what the decision made public."""
    regions = selectors.regions()
    region_code = _choice(request.GET.get("county", ""), {region.code for region in regions})
    unit_type = _choice(request.GET.get("type", ""), UNIT_TYPE_LABELS)
    page = Paginator(
        selectors.public_bases(region_code=region_code, unit_type=unit_type), PUBLIC_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    filters = {key: value for key, value in (("county", region_code), ("type", unit_type)) if value}
    return render(
        request,
        "reporting/bases/public_list.html",
        {
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "query_string": urlencode(filters),
            "regions": regions,
            "unit_types": UNIT_TYPE_LABELS.items(),
            "county": region_code,
            "unit_type": unit_type,
        },
    )


@public
@require_safe
def statistics(request):
    """统计分析: charts of the listed bases, each with its table and an Excel download."""
    total, charts = statistics_charts()
    return render(request, "reporting/bases/statistics.html", {"total": total, "charts": charts})


@public
@require_safe
def statistics_export(request, chart: str):
    found = statistics_chart(chart)
    if found is None:
        raise Http404("没有这张统计图")
    response = HttpResponse(found.xlsx(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, f"{found.title}.xlsx")
    return response


@require_GET
@permission_required("reporting.list_bases")
def staff_list(request):
    """实训基地管理: the bases of the user's scope in every state, with rectification deadlines,
    pending exits and the funds recorded."""
    regions = selectors.regions()
    region_code = _choice(request.GET.get("county", ""), {region.code for region in regions})
    state = _choice(request.GET.get("state", ""), BaseState.values)
    page = Paginator(
        selectors.staff_bases(request.user, region_code=region_code, state=state), STAFF_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    filters = {key: value for key, value in (("county", region_code), ("state", state)) if value}
    return render(
        request,
        "reporting/bases/staff_list.html",
        {
            "page_obj": page,
            "is_paginated": page.has_other_pages(),
            "query_string": urlencode(filters),
            "regions": regions,
            "states": BaseState.choices,
            "county": region_code,
            "state": state,
        },
    )


@require_GET
@permission_required("reporting.view_own_bases")
def mine(request):
    """我的基地: the unit's own bases (usually one)."""
    bases = list(selectors.with_overview(selectors.bases_visible_to(request.user)))
    return render(request, "reporting/bases/mine.html", {"bases": bases})


def base_timeline(base) -> list[TimelineEntry]:
    opening = TimelineEntry(
        at=base.approved_at,
        actor="",
        actor_role="",
        source="",
        target="认定为市级高技能人才公共实训基地",
        description=f"认定文号：{base.document_number}",
    )
    return transition_timeline(base, dict(BaseState.choices), opening=opening)


@require_GET
@permission_required("reporting.view_base")
def detail(request, pk: int):
    """基地详情: facts, funding, assessments (with the pending exit) and the state timeline."""
    base = get_object_for(request, "reporting.view_base", selectors.bases_visible_to(request.user), pk=pk)
    funding = base_funding(base)
    return render(
        request,
        "reporting/bases/detail.html",
        {
            "base": base,
            "unit_type": UNIT_TYPE_LABELS.get(base.unit.unit_type, ""),
            "funding": funding,
            "assessments": selectors.base_assessments(base),
            "open_rectification": selectors.open_rectification(base),
            "pending_exit": selectors.pending_exit(base),
            "timeline": base_timeline(base),
        },
    )
