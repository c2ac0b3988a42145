"""Ends a session after SESSION_IDLE_TIMEOUT without a request, and says so on the login page."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils import timezone

LAST_SEEN_KEY = "last_seen"
# Writing the session on every request costs a database write per page; refreshing the stamp once
# a minute keeps the idle limit accurate to a minute without that cost.
REFRESH_AFTER_SECONDS = 60


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
                return redirect_to_login(request.get_full_path())
            if last_seen is None or now - last_seen >= REFRESH_AFTER_SECONDS:
                request.session[LAST_SEEN_KEY] = now
        return self.get_response(request)
