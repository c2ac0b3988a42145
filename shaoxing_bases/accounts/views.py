from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from .forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.ZWFW_SSO_ENABLED
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); shows a confirmation message on the home page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "您已安全退出。")
        return response


def locked_out(request, credentials=None, *args, **kwargs):
    """django-axes calls this when a username+IP pair has failed too often."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=403)


@require_GET
def sso_callback(request):
    """Landing point of 浙江政务服务网 single sign-on: `?ticket=…` from the province's portal."""
    if not settings.ZWFW_SSO_ENABLED:
        raise Http404
    user = authenticate(request, ticket=request.GET.get("ticket", ""))
    if user is None:
        messages.error(request, "政务服务网登录失败：票据无效或该身份尚未关联本平台账号，请联系管理员。")
        return redirect(settings.LOGIN_URL)
    login(request, user, backend="shaoxing_bases.accounts.sso.ZwfwSSOBackend")
    return redirect(settings.LOGIN_REDIRECT_URL)
