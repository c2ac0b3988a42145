import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods

from .forms import LoginForm, SSOMockForm
from .sso import get_client, mock_client_configured

# Session keys of one pending 政务服务网 sign-in: the state nonce and where to go afterwards.
SSO_STATE_KEY = "zwfw_sso_state"
SSO_NEXT_KEY = "zwfw_sso_next"


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


def _safe_next(request, url: str) -> str:
    allowed = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if url and allowed else ""


@require_GET
def sso_start(request):
    """Begins a 政务服务网 sign-in: a one-time state in the session, then the province's page.

    The callback accepts a ticket only together with this state, so that nobody can sign a
    victim's browser in with a ticket obtained elsewhere (login CSRF).
    """
    if not settings.ZWFW_SSO_ENABLED:
        raise Http404
    state = secrets.token_urlsafe(32)
    request.session[SSO_STATE_KEY] = state
    request.session[SSO_NEXT_KEY] = _safe_next(request, request.GET.get("next", ""))
    callback = request.build_absolute_uri(reverse("accounts:sso_callback"))
    return redirect(get_client().authorize_url(state=state, callback=callback))


@require_GET
def sso_callback(request):
    """Landing point of 浙江政务服务网 single sign-on: `?ticket=…&state=…` from the province."""
    if not settings.ZWFW_SSO_ENABLED:
        raise Http404
    expected = request.session.pop(SSO_STATE_KEY, None)  # one-time, whatever the outcome
    next_url = request.session.pop(SSO_NEXT_KEY, "")
    state = request.GET.get("state", "")
    if not expected or not state or not constant_time_compare(state, expected):
        messages.error(request, "政务服务网登录失败：登录请求已失效或来源不明，请重新点击“政务服务网登录”。")
        return redirect(settings.LOGIN_URL)
    user = authenticate(request, ticket=request.GET.get("ticket", ""))
    if user is None:
        messages.error(request, "政务服务网登录失败：票据无效或该身份尚未关联本平台账号，请联系管理员。")
        return redirect(settings.LOGIN_URL)
    login(request, user, backend="shaoxing_bases.accounts.sso.ZwfwSSOBackend")
    return redirect(_safe_next(request, next_url) or settings.LOGIN_REDIRECT_URL)


@require_http_methods(["GET", "POST"])
def sso_mock(request):
    """Development stand-in for the province's sign-in page (404 unless the mock client is set).

    Typing a name issues the ticket `mock-<name>` and returns to our own callback with the state
    (never to the `callback` parameter, so that the page cannot serve as an open redirect).
    """
    if not mock_client_configured():
        raise Http404
    form = SSOMockForm(
        request.POST if request.method == "POST" else None, initial={"state": request.GET.get("state", "")}
    )
    if request.method == "POST" and form.is_valid():
        query = {"ticket": f"mock-{form.cleaned_data['username']}", "state": form.cleaned_data["state"]}
        return redirect(f"{reverse('accounts:sso_callback')}?{urlencode(query)}")
    return render(request, "accounts/sso_mock.html", {"form": form})
