"""Requests the portal refuses before any view runs: methods it does not serve, NUL characters."""

import pytest

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["TRACE", "PUT", "PATCH", "DELETE", "OPTIONS", "CONNECT", "PROPFIND"])
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/audit/", "/no-such-page/"])
def test_methods_the_portal_does_not_serve_answer_a_chinese_405(client, method, path):
    response = client.generic(method, path)
    assert response.status_code == 405
    assert "请求方式不正确" in response.content.decode()
    assert response["Allow"] == "GET, HEAD, POST"
    assert "Content-Security-Policy" in response.headers


def test_trace_never_reaches_the_view_even_when_signed_in(client, make_user):
    client.force_login(make_user(Role.CITY_HRSS))
    response = client.generic("TRACE", "/audit/", HTTP_COOKIE="secret=1")
    assert response.status_code == 405
    assert "secret" not in response.content.decode()


@pytest.mark.parametrize("method", ["get", "head", "post"])
def test_get_head_and_post_pass_through_to_the_view(rf, method):
    # Whether a view serves HEAD is its own business (require_GET refuses it, require_safe not).
    from django.http import HttpResponse

    from shaoxing_bases.core.middleware import MethodNotAllowedPageMiddleware

    reached = HttpResponse("view")
    assert MethodNotAllowedPageMiddleware(lambda request: reached)(getattr(rf, method)("/")) is reached


@pytest.mark.django_db
def test_get_head_and_post_still_reach_the_views(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.head("/accounts/login/").status_code == 200
    assert client.post("/accounts/login/", {"username": "x", "password": "y"}).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"path": "/", "data": {"q": "\x00"}},
        {"path": "/", "data": {"a\x00": "1"}},
        {"path": "/accounts/login/", "method": "post", "data": {"username": "a\x00", "password": "x"}},
        {"path": "/", "HTTP_USER_AGENT": "curl\x00"},
    ],
)
def test_nul_anywhere_in_the_request_answers_400_not_500(client, request_kwargs):
    kwargs = dict(request_kwargs)
    method = kwargs.pop("method", "get")
    response = getattr(client, method)(kwargs.pop("path"), kwargs.pop("data", {}), **kwargs)
    assert response.status_code == 400
    assert "空字符" in response.content.decode()
    assert "Content-Security-Policy" in response.headers


@pytest.mark.django_db
def test_a_nul_in_the_session_cookie_answers_400_not_a_crash(client):
    # Without the guard the session lookup sends the key to PostgreSQL and even the 500 page fails.
    client.cookies["sessionid"] = "abcdefghijkl\x00mnop"
    response = client.get("/")
    assert response.status_code == 400


def test_audit_trail_filter_with_nul_answers_400(client, make_user):
    client.force_login(make_user(Role.CITY_HRSS))
    response = client.get("/audit/?username=%00")
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"username": "adm\u202ein"}, "改变文字显示方向"),
        ({"username": "a\x07"}, "控制字符"),
        ({"action": "no-such-action"}, "操作"),
    ],
)
def test_audit_trail_refuses_filters_that_are_not_plain_text(client, make_user, query, message):
    AuditEntry.objects.all().delete()
    client.force_login(make_user(Role.CITY_HRSS))
    response = client.get("/audit/", query)
    assert response.status_code == 400
    body = response.content.decode()
    assert 'data-testid="filter-errors"' in body
    assert message in body
    assert 'data-testid="audit-entry"' not in body  # nothing listed on a refused filter
