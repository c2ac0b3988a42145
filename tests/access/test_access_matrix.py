import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shaoxing_bases.accounts.enums import Role

from .matrix import EXEMPT_NAMESPACES, PUBLIC, RULES


def _url_names(patterns=None, namespace=""):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def _project_url_names():
    return sorted(
        {name for name in _url_names() if not name.startswith(tuple(f"{ns}:" for ns in EXEMPT_NAMESPACES))}
    )


def test_every_url_has_a_declared_access_rule():
    missing = [name for name in _project_url_names() if name not in RULES]
    assert not missing, f"URL names without a rule in tests/access/matrix.py: {missing}"


def test_no_stale_rules():
    stale = sorted(set(RULES) - set(_project_url_names()))
    assert not stale, f"rules for URL names that no longer exist: {stale}"


ACTORS = [None, *Role.values]


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("actor", ACTORS, ids=lambda role: role or "anonymous")
def test_access_matrix(client, users_by_role, name, actor):
    rule = RULES[name]
    user = users_by_role[actor] if actor else None
    url = reverse(name, kwargs=rule.kwargs(user, users_by_role))
    if user is not None:
        client.force_login(user)
    response = getattr(client, rule.method)(url, rule.data)

    if rule.roles == PUBLIC:
        expected = rule.ok_signed_in if user is not None and rule.ok_signed_in else rule.ok
    elif user is None:
        assert response.status_code == 302, f"{name}: anonymous should be sent to login"
        assert response.url.startswith(reverse("accounts:login"))
        return
    else:
        expected = rule.ok if actor in rule.roles else rule.denied
    assert response.status_code == expected, f"{name} as {actor or 'anonymous'}"
    if response.status_code in (403, 404):
        assert "<html" in response.content.decode()
        assert "（" in response.content.decode()


def test_admin_requires_staff(client, users_by_role):
    client.force_login(users_by_role[Role.CITY_HRSS])
    assert client.get("/admin/").status_code == 302


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("method", ["get", "post"])
def test_bad_input_never_gives_a_server_error(client, users_by_role, name, method):
    """Every page, as a role allowed to open it, with empty and nonsense input: a Chinese answer
    (form errors, a redirect with a message, 400/403/404/405) — never an exception."""
    rule = RULES[name]
    actor = Role.APPLICANT if rule.roles == PUBLIC else sorted(rule.roles)[0]
    user = users_by_role[actor]
    url = reverse(name, kwargs=rule.kwargs(user, users_by_role))
    client.force_login(user)
    nonsense = {"page": "-1", "batch": "abc", "status": "<script>", "q": "%00", "section": "../../etc"}
    response = getattr(client, method)(url, nonsense)
    assert response.status_code < 500, f"{method.upper()} {name}"
