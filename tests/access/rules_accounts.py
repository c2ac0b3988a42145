"""Access rules of the account pages: password reset (public) and the staff's 账号解锁."""

from axes.models import AccessAttempt
from django.utils import timezone

from shaoxing_bases.accounts.enums import Role

from .matrix import PUBLIC, Rule

UNLOCKERS = frozenset({Role.CITY_HRSS, Role.ADMIN})
LOCKED_NAME = "matrix_locked_user"


def _a_locked_account(user, users):
    AccessAttempt.objects.create(
        username=LOCKED_NAME,
        ip_address="10.7.7.7",
        user_agent="matrix",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/accounts/login/",
        failures_since_start=5,
        attempt_time=timezone.now(),
    )
    return {}


RULES: dict[str, Rule] = {
    "accounts:password_reset": Rule(PUBLIC),
    "accounts:password_reset_done": Rule(PUBLIC),
    # A link with a wrong token: the "link invalid or expired" page.
    "accounts:password_reset_confirm": Rule(
        PUBLIC, kwargs=lambda user, users: {"uidb64": "MQ", "token": "bad-token"}
    ),
    "accounts:password_reset_complete": Rule(PUBLIC),
    "accounts:lockouts": Rule(UNLOCKERS),
    "accounts:unlock": Rule(
        UNLOCKERS,
        method="post",
        ok=302,
        kwargs=_a_locked_account,
        data={"username": LOCKED_NAME},
        effect="done",
    ),
}
