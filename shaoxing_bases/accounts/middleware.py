"""Ends a session after SESSION_IDLE_TIMEOUT without a request, and says so on the login page."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

LAST_SEEN_KEY = "last_seen"
# Writing the session on every request costs a database write per page; refreshing the stamp once
# a minute keeps the idle limit accurate to a minute without that cost.
REFRESH_AFTER_SECONDS = 60


def _same_host_path(request, url: str) -> str:
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(url)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return ""


def _return_path(request) -> str:
    """Where to continue after signing in again.

    A page GET comes back to itself. A POST (or any other method) cannot be replayed: a redirect
    to its URL would answer 405 or repeat nothing, so the user returns to the page the form was on
    (the same-host Referer), or to the dashboard. An htmx request returns to the page it was made
    from (HX-Current-URL), not to the fragment it asked for.
    """
    if _is_htmx(request):
        came_from = request.headers.get("HX-Current-URL", "")
    elif request.method in ("GET", "HEAD"):
        return request.get_full_path()
    else:
        came_from = request.META.get("HTTP_REFERER", "")
    return _same_host_path(request, came_from) or resolve_url(settings.LOGIN_REDIRECT_URL)


def _is_htmx(request) -> bool:
    # HtmxMiddleware runs after this one, so request.htmx is not there yet.
    return request.headers.get("HX-Request") == "true"


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = timezone.now().timestamp()
            last_seen = request.session.get(LAST_SEEN_KEY)
            if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT.total_seconds():
                logout(request)
                messages.warning(request, "您已超过30分钟未操作，为保障账号安全已自动退出，请重新登录。")
                response = redirect_to_login(_return_path(request))
                if _is_htmx(request):
                    # htmx would swap the login page into a fragment: load it as the whole page.
                    htmx_response = HttpResponse(status=204)
                    htmx_response["HX-Redirect"] = response.url
                    return htmx_response
                return response
            if last_seen is None or now - last_seen >= REFRESH_AFTER_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
