from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditEntry
from tests.factories import TEST_PASSWORD

LOGIN = "/accounts/login/"


def _login(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.mark.django_db
def test_login_page_is_chinese(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert "用户登录" in response.content.decode()


def test_login_success_reaches_dashboard(client, make_user):
    user = make_user(Role.CITY_HRSS)
    response = _login(client, user.username, TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("core:dashboard")
    assert AuditEntry.objects.get(action=AuditAction.LOGIN, actor=user).ip_address == "10.1.1.1"


def test_login_wrong_password_shows_chinese_error_and_keeps_username(client, make_user):
    user = make_user()
    response = _login(client, user.username, "wrong-password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码错误" in body
    assert f'value="{user.username}"' in body
    assert (
        AuditEntry.objects.get(action=AuditAction.LOGIN_FAILED, username=user.username).ip_address
        == "10.1.1.1"
    )


def test_login_empty_fields_get_chinese_messages(client, db):
    body = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
    assert "请输入用户名" in body
    assert "请输入密码" in body


def test_lockout_after_five_failures_for_username_and_ip(client, make_user):
    user = make_user()
    for _ in range(4):
        assert _login(client, user.username, "wrong").status_code == 200
    response = _login(client, user.username, "wrong")
    assert response.status_code == 403
    assert "已暂时锁定" in response.content.decode()
    # Even the right password is refused while locked.
    locked = _login(client, user.username, TEST_PASSWORD)
    assert locked.status_code == 403
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action=AuditAction.LOCKED_OUT, username=user.username).exists()


def test_lockout_does_not_block_colleague_behind_same_office_ip(client, make_user):
    victim, colleague = make_user(), make_user()
    for _ in range(5):
        _login(client, victim.username, "wrong", ip="10.9.9.9")
    response = _login(client, colleague.username, TEST_PASSWORD, ip="10.9.9.9")
    assert response.status_code == 302


def test_lockout_does_not_block_same_user_from_another_ip(client, make_user):
    user = make_user()
    for _ in range(5):
        _login(client, user.username, "wrong", ip="10.9.9.9")
    assert _login(client, user.username, TEST_PASSWORD, ip="10.8.8.8").status_code == 302


def test_lockout_ends_after_cool_off(client, make_user):
    user = make_user()
    for _ in range(5):
        _login(client, user.username, "wrong")
    with time_machine.travel(timezone.now() + timedelta(minutes=31)):
        assert _login(client, user.username, TEST_PASSWORD).status_code == 302


def test_idle_session_expires_after_thirty_minutes(client, make_user):
    user = make_user(Role.CITY_HRSS)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        assert client.get("/dashboard/").status_code == 200
    with time_machine.travel(start + timedelta(minutes=29), tick=False):
        assert client.get("/dashboard/").status_code == 200  # activity renews the window
    with time_machine.travel(start + timedelta(minutes=29 + 31), tick=False):
        response = client.get("/dashboard/")
        assert response.status_code == 302
        assert response.url.startswith(LOGIN)
        follow = client.get(response.url)
        assert "30分钟未操作" in follow.content.decode()
        assert "_auth_user_id" not in client.session


def test_logout_is_post_only_and_says_so(client, make_user):
    client.force_login(make_user())
    assert client.get("/accounts/logout/").status_code == 405
    response = client.post("/accounts/logout/", follow=True)
    assert "您已安全退出" in response.content.decode()


def test_idle_timeout_on_a_form_post_returns_to_the_form_page_after_login(client, make_user):
    user = make_user(Role.CITY_HRSS)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        client.get("/inbox/")
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        response = client.post("/inbox/read-all/", HTTP_REFERER="http://testserver/inbox/?page=2")
        assert response.status_code == 302
        assert response.url == f"{LOGIN}?next=/inbox/%3Fpage%3D2"
        again = _login_with_next(client, user, "/inbox/?page=2")
        assert again.url == "/inbox/?page=2"


def test_idle_timeout_on_a_post_ignores_a_foreign_referer(client, make_user):
    user = make_user(Role.CITY_HRSS)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        client.get("/inbox/")
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        response = client.post("/inbox/read-all/", HTTP_REFERER="https://evil.example.com/phish/")
        assert response.url == f"{LOGIN}?next=/dashboard/"
        assert client.post("/inbox/read-all/").url == f"{LOGIN}?next=/inbox/read-all/"  # signed out now


def test_idle_timeout_on_an_htmx_request_reloads_the_whole_login_page(client, make_user):
    user = make_user(Role.CITY_HRSS)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.force_login(user)
        client.get("/inbox/")
    with time_machine.travel(start + timedelta(minutes=45), tick=False):
        response = client.get(
            "/inbox/", HTTP_HX_REQUEST="true", HTTP_HX_CURRENT_URL="http://testserver/dashboard/"
        )
        assert response.status_code == 204
        assert response["HX-Redirect"] == f"{LOGIN}?next=/dashboard/"


def _login_with_next(client, user, next_url):
    return client.post(
        LOGIN,
        {"username": user.username, "password": TEST_PASSWORD, "next": next_url},
        REMOTE_ADDR="10.1.1.1",
    )


def test_lockout_and_audit_use_the_forwarded_client_address_behind_a_trusted_proxy(
    client, make_user, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user()
    proxy = {"REMOTE_ADDR": "172.18.0.1"}
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": user.username, "password": "wrong"},
            HTTP_X_FORWARDED_FOR="203.0.113.5",
            **proxy,
        )
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, ip_address="203.0.113.5").count() == 5
    # The attacker's address is locked; the same account from another client behind the proxy is not.
    locked = client.post(
        LOGIN,
        {"username": user.username, "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **proxy,
    )
    assert locked.status_code == 403
    other = client.post(
        LOGIN,
        {"username": user.username, "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )
    assert other.status_code == 302


def test_spoofed_forwarded_for_cannot_choose_the_address(client, make_user, settings):
    """Without a trusted proxy the header is the client's own words: ignored. Behind one proxy only
    the entry that proxy appended counts, not what the client put in front of it."""
    user = make_user()

    def fail_login(forwarded_for):
        credentials = {"username": user.username, "password": "wrong"}
        client.post(LOGIN, credentials, REMOTE_ADDR="10.7.7.7", HTTP_X_FORWARDED_FOR=forwarded_for)

    settings.TRUSTED_PROXY_COUNT = 0
    fail_login("1.2.3.4")
    settings.TRUSTED_PROXY_COUNT = 1
    fail_login("1.2.3.4, 203.0.113.9")
    assert list(AuditEntry.objects.order_by("id").values_list("ip_address", flat=True)) == [
        "10.7.7.7",
        "203.0.113.9",
    ]
