import secrets
from urllib.parse import urlencode

from axes.helpers import get_client_username
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from shaoxing_bases.client_ip import client_ip_address
from shaoxing_bases.permissions import permission_required

from .forms import LoginForm, NewPasswordForm, PasswordResetRequestForm, SSOMockForm, UnlockForm
from .lockouts import attempts_left, cooloff, cooloff_minutes, failure_limit, locked_accounts, lockout_of
from .services import account_unlock, password_reset_confirm, password_reset_request
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
        # After a failed password django-axes has counted the failures of this username from this
        # address (its handler runs on the failed-login signal): say how many are left.
        failures = getattr(self.request, "axes_failures_since_start", None)
        if failures is not None:
            context["attempts_left"] = attempts_left(failures)
            context["lockout_minutes"] = cooloff_minutes()
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's default); shows a confirmation message on the home page."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.success(request, "您已安全退出。")
        return response


def locked_out(request, original_response=None, credentials=None):
    """django-axes calls this when a username + address pair has failed too often, and for every
    attempt while it is locked: the page says until when (Asia/Shanghai) and whom to call."""
    username = get_client_username(request, credentials) or ""
    lockout = lockout_of(username, getattr(request, "axes_ip_address", None)) if username else None
    context = {
        "minutes": cooloff_minutes(),
        "limit": failure_limit(),
        "unlocks_at": lockout.unlocks_at if lockout else timezone.now() + cooloff(),
    }
    return render(request, "accounts/locked_out.html", context, status=403)


# --- 账号解锁 (staff) -----------------------------------------------------------------------------


@require_GET
@permission_required("accounts.unlock_accounts")
def lockouts(request):
    """账号解锁: the usernames locked now, from which address, until when."""
    context = {"lockouts": locked_accounts(), "limit": failure_limit(), "minutes": cooloff_minutes()}
    return render(request, "accounts/lockouts.html", context)


@require_POST
@permission_required("accounts.unlock_accounts")
def unlock(request):
    """解除锁定 of one username (every address), through the service that audits it."""
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要解锁的账号。")
        return redirect("accounts:lockouts")
    username = form.cleaned_data["username"]
    try:
        account_unlock(actor=request.user, username=username)
    except ValidationError as error:
        messages.info(request, f"已处理：{error.messages[0]}")
    else:
        messages.success(request, f"已解除账号“{username}”的登录锁定，该用户现在可以重新登录。")
    return redirect("accounts:lockouts")


# --- 找回密码 -------------------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """找回密码: the same answer whether or not an account has the address typed."""

    template_name = "accounts/password_reset_form.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        try:
            password_reset_request(
                email=form.cleaned_data["email"], client_ip=client_ip_address(self.request)
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["minutes"] = settings.PASSWORD_RESET_TIMEOUT // 60
        return context


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """设置新密码 through the link: the token is checked by Django's view; the password is set, the
    lockout cleared and the reset audited by `password_reset_confirm`."""

    template_name = "accounts/password_reset_confirm.html"
    form_class = NewPasswordForm
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        if self.user is None:  # only a valid link (hence a user) shows the form
            raise Http404
        try:
            password_reset_confirm(user=self.user, password=form.cleaned_data["new_password1"])
        except ValidationError as error:
            form.add_error("new_password1", error)
            return self.form_invalid(form)
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


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
