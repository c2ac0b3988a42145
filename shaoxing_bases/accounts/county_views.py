"""区县设置: county HRSS staff keep what their county's letters print (机关代字, contact)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from shaoxing_bases.core.forms import add_service_errors
from shaoxing_bases.permissions import get_object_for, permission_required

from .forms import CountySettingsForm
from .models import Region
from .services import county_settings_update


@require_http_methods(["GET", "POST"])
@permission_required("accounts.manage_county_settings")
def county_settings(request):
    region = get_object_for(
        request,
        "accounts.manage_county_settings",
        Region.objects.filter(pk=request.user.region_id),
        pk=request.user.region_id,
    )
    form = CountySettingsForm(request.POST or None, instance=Region.objects.get(pk=region.pk))
    if request.method == "POST" and form.is_valid():
        try:
            changed = county_settings_update(region=region, actor=request.user, data=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(error, form)
        else:
            messages.success(request, "区县设置已保存。" if changed else "没有需要保存的修改。")
            return redirect("accounts:county_settings")
    return render(request, "accounts/county_settings.html", {"form": form, "region": region})
