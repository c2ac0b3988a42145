"""Unit pages: self-registration, the unit profile with colleague accounts, the staff's unit list and
detail. HTTP only: changes go through `units.services`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods

from shaoxing_bases.accounts.rules import is_county_staff
from shaoxing_bases.client_ip import client_ip_address
from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.permissions import get_object_for, permission_required, public
from shaoxing_bases.ratelimit import within_limit

from ..models import ApplicantUnit
from ..selectors import units_visible_to
from .forms import (
    DUPLICATE_CREDIT_CODE,
    AccountForm,
    MemberForm,
    UnitContactForm,
    UnitFilterForm,
    UnitRegistrationForm,
    county_hint_for,
)
from .selectors import unit_applications, unit_members, units_for_list, with_application_counts
from .services import unit_add_member, unit_register, unit_update_contact

UNITS_PER_PAGE = 20
REGISTER_TEMPLATE = "applications/units/register.html"


# --- self-registration --------------------------------------------------------------------------


def _hint_lookup_allowed(request) -> bool:
    """The live hint's "already registered" lookups, counted per client address."""
    return within_limit(
        f"registration-hint:ip:{client_ip_address(request)}",
        settings.REGISTRATION_HINT_LIMIT_PER_IP,
        settings.REGISTRATION_HINT_WINDOW_SECONDS,
    )


@public
@require_http_methods(["GET", "POST"])
def register(request):
    """单位注册 (public): the unit and its first account in one step, then signed in."""
    if request.user.is_authenticated:
        messages.info(request, "您已登录。如需为本单位增加账号，请在“单位信息”页面添加同事账号。")
        return redirect("core:dashboard")
    if request.htmx and request.method == "GET" and "credit_code" in request.GET:
        # Live hint while the credit code is typed: which county it belongs to.
        hint = county_hint_for(
            request.GET.get("credit_code", ""), may_look_up=lambda: _hint_lookup_allowed(request)
        )
        return render(request, f"{REGISTER_TEMPLATE}#county_hint", {"hint": hint})

    if request.method == "POST":
        unit_form = UnitRegistrationForm(request.POST)
        account_form = AccountForm(request.POST)
        unit_valid, account_valid = unit_form.is_valid(), account_form.is_valid()
        if unit_valid and account_valid:
            unit = unit_form.save(commit=False)
            user = account_form.build_user(email=unit.email)
            try:
                user = unit_register(unit=unit, user=user, password=account_form.cleaned_data["password1"])
            except ValidationError as error:
                add_service_errors(error, unit_form, account_form)
            except IntegrityError:
                # Two registrations of one code at the same moment: the second one lands here.
                unit_form.add_error("credit_code", DUPLICATE_CREDIT_CODE)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    f"注册成功！{unit.name}（{unit.region.name}）的账号已开通，您已登录。"
                    "可在“单位信息”中为同事添加账号。",
                )
                if unit_form.county_note:
                    messages.warning(request, unit_form.county_note)
                return redirect("core:dashboard")
    else:
        unit_form = UnitRegistrationForm()
        account_form = AccountForm()

    hint = county_hint_for(unit_form["credit_code"].value() or "")
    if unit_form.errors.get("credit_code") and hint["state"] in ("incomplete", "invalid", "registered"):
        hint = {"state": "empty"}  # the field's own error already says what is wrong
    context = {
        "unit_form": unit_form,
        "account_form": account_form,
        "hint": hint,
        "has_errors": request.method == "POST",
    }
    return render(request, REGISTER_TEMPLATE, context)


# --- the applicant's own unit -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@permission_required("applications.manage_unit")
def unit_profile(request):
    """单位信息: details (contact fields editable) and the colleague accounts of the unit."""
    if request.user.unit_id is None:
        raise Http404("该账号未关联申报单位")
    unit = get_object_or_404(units_visible_to(request.user), pk=request.user.unit_id)
    # Each form works on its own copy so that a rejected edit never shows as the saved details.
    contact_form = UnitContactForm(instance=ApplicantUnit.objects.get(pk=unit.pk), prefix="contact")
    member_form = MemberForm(prefix="member")
    open_form = ""

    if request.method == "POST":
        action = request.POST.get("action")
        if action == "update_contact":
            contact_form = UnitContactForm(
                request.POST, instance=ApplicantUnit.objects.get(pk=unit.pk), prefix="contact"
            )
            open_form = "contact"
            if contact_form.is_valid():
                try:
                    unit_update_contact(unit=unit, actor=request.user, data=contact_form.cleaned_data)
                except ValidationError as error:
                    add_service_errors(error, contact_form)
                else:
                    messages.success(request, "单位信息已保存。")
                    return redirect("applications:unit_profile")
        elif action == "add_member":
            member_form = MemberForm(request.POST, prefix="member")
            open_form = "member"
            if member_form.is_valid():
                try:
                    colleague = unit_add_member(
                        actor=request.user,
                        user=member_form.build_user(),
                        password=member_form.cleaned_data["password"],
                    )
                except ValidationError as error:
                    add_service_errors(error, member_form)
                except IntegrityError:
                    member_form.add_error("username", "该用户名已被使用，请换一个。")
                else:
                    messages.success(
                        request,
                        f"已添加同事账号“{colleague.username}”（{colleague.display_name}），"
                        "请将用户名和初始密码告知本人。",
                    )
                    return redirect("applications:unit_profile")
        else:
            return redirect("applications:unit_profile")

    context = {
        "unit": unit,
        "contact_form": contact_form,
        "member_form": member_form,
        "members": unit_members(unit),
        "open_form": open_form,
    }
    return render(request, "applications/units/profile.html", context)


# --- staff: unit list and detail ----------------------------------------------------------------


@require_GET
@permission_required("applications.list_units")
def unit_list(request):
    """申报单位名录: county staff see their county only; the city and admins filter by county."""
    city_wide = not is_county_staff(request.user)
    form = UnitFilterForm(request.GET or None, show_region=city_wide)
    filters = form.cleaned_data if form.is_valid() else {}
    units = units_for_list(
        request.user,
        q=filters.get("q", ""),
        unit_type=filters.get("unit_type", ""),
        region=filters.get("region") if city_wide else None,
    )
    page = Paginator(units, UNITS_PER_PAGE).get_page(request.GET.get("page"))
    query = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        "form": form,
        "page_obj": page,
        "units": with_application_counts(page.object_list),
        "is_paginated": page.has_other_pages(),
        "query_string": urlencode(query),
        "city_wide": city_wide,
    }
    return render(request, "applications/units/list.html", context)


@require_GET
@permission_required("applications.list_units")
def unit_detail(request, pk: int):
    """One unit for the responsible staff: full contact details, accounts and handed-in applications."""
    unit = get_object_for(request, "applications.view_unit", units_visible_to(request.user), pk=pk)
    context = {
        "unit": unit,
        "members": unit_members(unit),
        "applications": unit_applications(request.user, unit),
    }
    return render(request, "applications/units/detail.html", context)


urlpatterns = [
    path("units/register/", register, name="register"),
    path("units/mine/", unit_profile, name="unit_profile"),
    path("units/", unit_list, name="unit_list"),
    path("units/<int:pk>/", unit_detail, name="unit_detail"),
]
