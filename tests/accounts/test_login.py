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
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN, actor=user).exists()


def test_login_wrong_password_shows_chinese_error_and_keeps_username(client, make_user):
    user = make_user()
    response = _login(client, user.username, "wrong-password")
    body = response.content.decode()
    assert response.status_code == 200
    assert "用户名或密码错误" in body
    assert f'value="{user.username}"' in body
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN_FAILED, username=user.username).exists()


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
