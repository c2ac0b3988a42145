import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditEntry
from shaoxing_bases.permissions import REGISTRY, ask, permission_probe

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


def _changes_after(mark: int):
    return AuditEntry.objects.filter(pk__gt=mark).exclude(action=AuditAction.PERMISSION_DENIED)


def _mark() -> int:
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()
    return last or 0


def _levels(response) -> set[int]:
    return {message.level for message in get_messages(response.wsgi_request)}


@pytest.mark.parametrize("name", sorted(RULES))
@pytest.mark.parametrize("actor", ACTORS, ids=lambda role: role or "anonymous")
def test_access_matrix(client, users_by_role, name, actor):
    rule = RULES[name]
    user = users_by_role[actor] if actor else None
    url = reverse(name, kwargs=rule.kwargs(user, users_by_role))
    if user is not None:
        client.force_login(user)
    mark = _mark()
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
        # Refused means nothing changed: no business action in the trail (only the denial).
        assert not _changes_after(mark).filter(action=AuditAction.STATE_CHANGE).exists(), name
    elif rule.method == "post" and response.status_code == 302 and rule.effect and user is not None:
        _assert_effect(rule, response, mark, name)


def _assert_effect(rule, response, mark, name):
    """A 302 is either "done" (an audited change, no warning) or "refused with a message"."""
    levels = _levels(response)
    changes = _changes_after(mark)
    if rule.effect == "done":
        assert changes.exists(), f"{name}: answered 302 but left no trace of what it did"
        assert not levels & {message_levels.WARNING, message_levels.ERROR}, f"{name}: done, but warned"
    else:
        assert rule.effect == "refused", name
        assert levels & {message_levels.INFO, message_levels.WARNING, message_levels.ERROR}, (
            f"{name}: refused without telling the user why"
        )
        assert not changes.filter(action=AuditAction.STATE_CHANGE).exists(), f"{name}: refused, but changed"


def test_every_allowed_post_that_redirects_says_what_it_did():
    """Rules of POSTs answering 302 must say whether they expect the change done or refused."""
    undeclared = [
        name
        for name, rule in RULES.items()
        if rule.method == "post" and rule.ok == 302 and rule.effect not in ("done", "refused")
    ]
    assert not undeclared, f"POST rules without effect=done|refused: {undeclared}"


# --- one permission, asked by view, template and service -----------------------------------------


def _view_permission(url):
    view = resolve(url).func
    assert hasattr(view, "permission_required"), (
        f"{url}: view declares no permission (use @permission_required)"
    )
    return view.permission_required


@pytest.mark.parametrize("name", sorted(RULES))
def test_the_matrix_and_the_rules_registry_agree(users_by_role, name):
    """The roles written in the matrix are exactly those the view's named rule lets in: who may open a
    page is decided by `rules`, not by a role tuple in the view."""
    rule = RULES[name]
    user = users_by_role[Role.APPLICANT]
    url = reverse(name, kwargs=rule.kwargs(user, users_by_role))
    perm = _view_permission(url)
    if rule.roles == PUBLIC:
        assert perm is None, f"{name}: public in the matrix, but the view asks {perm}"
        return
    assert perm in REGISTRY, f"{name}: {perm} is not a registered permission"
    perm = rule.perm or perm
    allowed = {role for role in Role.values if ask(perm, users_by_role[role], layer="test")}
    assert allowed == set(rule.roles), f"{name}: {perm} lets in {sorted(allowed)}"


def test_views_templates_and_services_ask_the_same_permission(client, users_by_role):
    """Every page, as every role allowed to open it: the permissions a service asked during a request
    were asked by the view too, and each is asked by some template (the button is shown by the same
    rule that the service enforces)."""
    template_perms: set[str] = set()
    service_perms: dict[str, set[str]] = {}
    for name, rule in sorted(RULES.items()):
        if rule.roles == PUBLIC:
            continue
        for role in sorted(rule.roles):
            user = users_by_role[role]
            client.force_login(user)
            url = reverse(name, kwargs=rule.kwargs(user, users_by_role))
            with permission_probe() as asked:
                getattr(client, rule.method)(url, rule.data)
            by_layer: dict[str, set[str]] = {}
            for check in asked:
                by_layer.setdefault(check.layer, set()).add(check.perm)
            template_perms |= by_layer.get("template", set())
            in_service = by_layer.get("service", set())
            assert in_service <= by_layer.get("view", set()), (
                f"{name} as {role}: the service asked {sorted(in_service - by_layer.get('view', set()))}, "
                "which the view did not"
            )
            service_perms.setdefault(name, set()).update(in_service)
    unshown = {
        name: sorted(perms - template_perms)
        for name, perms in service_perms.items()
        if perms - template_perms
    }
    assert not unshown, (
        f"actions whose permission no template asks (a button shown by another rule?): {unshown}"
    )
    assert any(service_perms.values()), "the probe saw no service at all"


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
