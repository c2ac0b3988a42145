"""Who may open which page. Every named URL pattern must have a rule here.

A rule says which roles get the page (`PUBLIC` for everyone including anonymous visitors); the
test then expects anonymous visitors to be sent to the login page, the listed roles to get
`ok`, and every other role to get `denied` (403, or 404 where the object is out of scope).
A POST that answers 302 also says what it did: `effect="done"` (an audited change, no warning) or
`effect="refused"` (a Chinese message, nothing changed); a denied POST never changes anything.
Later features add one row per new URL name.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.notifications.services import notify

PUBLIC = "public"
ALL_ROLES = frozenset(Role.values)
CITY_AND_ADMIN = frozenset({Role.CITY_HRSS, Role.CITY_FINANCE, Role.ADMIN})


@dataclass(frozen=True)
class Rule:
    roles: frozenset[str] | str
    method: str = "get"
    ok: int = 200
    denied: int = 403
    ok_signed_in: int | None = None  # a public page that answers signed-in users differently
    # Builds the URL kwargs for the acting user (None for anonymous); may create objects.
    kwargs: Callable[..., dict] = field(default=lambda user, users: {})
    data: dict = field(default_factory=dict)
    effect: str | None = None  # "done" | "refused": what an allowed POST answering 302 did
    # The named permission that decides this row, when it is not the view's own gate (a step of a
    # list whose action is in the URL asks the step's permission on the list).
    perm: str | None = None


def _own_notification(user, users):
    owner = user or users[Role.APPLICANT]
    (notification,) = notify(recipients=[owner], title="测试消息", email=False)
    return {"pk": notification.pk}


def _unread_message(user, users):
    _own_notification(user, users)
    return {}


CORE_RULES: dict[str, Rule] = {
    "core:home": Rule(PUBLIC),
    "core:dashboard": Rule(ALL_ROLES),
    # A temporary redirect: the hashed static name changes with every release.
    "core:favicon": Rule(PUBLIC, ok=302),
    "accounts:login": Rule(PUBLIC, ok_signed_in=302),  # signed-in users go on to the dashboard
    "accounts:logout": Rule(PUBLIC, method="post", ok=302, effect="done"),
    # Disabled unless single sign-on is configured: 404 for everyone (tests/accounts/test_sso.py
    # covers them turned on; the mock page also needs the mock client).
    "accounts:sso_start": Rule(PUBLIC, ok=404),
    "accounts:sso_callback": Rule(PUBLIC, ok=404),
    "accounts:sso_mock": Rule(PUBLIC, ok=404),
    "review:county_settings": Rule(frozenset({Role.COUNTY_HRSS})),
    "notifications:inbox": Rule(ALL_ROLES),
    "notifications:mark_read": Rule(
        ALL_ROLES, method="post", ok=302, kwargs=_own_notification, effect="done"
    ),
    "notifications:mark_all_read": Rule(
        ALL_ROLES, method="post", ok=302, kwargs=_unread_message, effect="done"
    ),
    "audit:trail": Rule(CITY_AND_ADMIN),
}


def _collect_rules() -> dict[str, Rule]:
    """CORE_RULES plus the RULES of every tests/access/rules_*.py module (one per feature area)."""
    import importlib
    import pkgutil
    from pathlib import Path

    collected = dict(CORE_RULES)
    for module_info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module_info.name.startswith("rules_"):
            module = importlib.import_module(f"{__package__}.{module_info.name}")
            duplicated = set(collected) & set(module.RULES)
            assert not duplicated, f"rules declared twice: {duplicated}"
            collected.update(module.RULES)
    return collected


RULES = _collect_rules()

# Namespaces whose pages have their own guard (Django admin requires is_staff).
EXEMPT_NAMESPACES = ("admin",)
