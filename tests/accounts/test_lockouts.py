"""Lockouts in the portal's words: attempts left on the login page, the unlock time and a contact on
the lockout page, and the staff's 账号解锁 page (shaoxing_bases/accounts/lockouts.py, services.py)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.lockouts import locked_accounts, lockout_of
from shaoxing_bases.accounts.services import account_unlock
from shaoxing_bases.audit.models import AuditEntry
from tests.factories import TEST_PASSWORD

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOGIN = "/accounts/login/"
NOW = datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="10.1.1.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _attempts_left(response) -> str:
    match = re.search(r'data-testid="attempts-left">(.*?)</div>', response.content.decode())
    return match.group(1) if match else ""


def test_each_failure_says_how_many_attempts_are_left(client, make_user):
    user = make_user()
    assert _attempts_left(client.get(LOGIN)) == ""
    for left in (4, 3, 2, 1):
        response = _login(client, user.username, "wrong")
        assert response.status_code == 200
        assert _attempts_left(response) == f"再输错 {left} 次，该账号将在本机锁定30分钟。"


def test_an_unknown_username_counts_the_same_way(client, db):
    """Whether the account exists is not given away: a made-up name is counted like a real one."""
    assert "再输错 4 次" in _attempts_left(_login(client, "nobody-here", "wrong"))


def test_the_lockout_page_gives_the_unlock_time_and_a_contact(client, make_user, settings):
    settings.BUREAU_CONTACT_PHONE = "0575-12345678"
    user = make_user()
    with time_machine.travel(NOW, tick=False):
        for _ in range(4):
            _login(client, user.username, "wrong")
        response = _login(client, user.username, "wrong")
    assert response.status_code == 403
    body = response.content.decode()
    assert "已暂时锁定" in body
    assert re.search(r'data-testid="unlocks-at">2026年9月1日 09:30<', body)
    assert "0575-12345678" in body
    assert reverse("accounts:password_reset") in body


def test_the_unlock_time_runs_from_the_last_counting_failure(make_user):
    with time_machine.travel(NOW, tick=False):
        AccessAttempt.objects.create(
            username="zhang",
            ip_address="10.1.1.1",
            user_agent="a",
            failures_since_start=3,
            get_data="",
            post_data="",
            http_accept="",
            path_info="",
        )
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        AccessAttempt.objects.create(
            username="zhang",
            ip_address="10.1.1.1",
            user_agent="b",
            failures_since_start=2,
            get_data="",
            post_data="",
            http_accept="",
            path_info="",
        )
        lockout = lockout_of("zhang", "10.1.1.1")
    # Five failures counting: locked until the older row ages out (its 3 are needed for the 5).
    assert lockout.unlocks_at == NOW + timedelta(minutes=30)
    assert lockout.failures == 5
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        assert lockout_of("zhang", "10.1.1.1") is None


def _lock(username: str, ip: str = "10.2.2.2", failures: int = 5):
    return AccessAttempt.objects.create(
        username=username,
        ip_address=ip,
        user_agent="test",
        failures_since_start=failures,
        get_data="",
        post_data="",
        http_accept="",
        path_info="",
    )


def test_staff_unlock_a_user_who_can_then_sign_in(client, make_user):
    locked_user = make_user(display_name="王小明")
    for _ in range(5):
        _login(client, locked_user.username, "wrong")
    assert _login(client, locked_user.username, TEST_PASSWORD).status_code == 403

    staff = make_user(Role.CITY_HRSS)
    client.force_login(staff)
    page = client.get(reverse("accounts:lockouts")).content.decode()
    assert "王小明（申报单位）" in page
    assert f"用户名：{locked_user.username}" in page
    response = client.post(reverse("accounts:unlock"), {"username": locked_user.username})
    assert response.status_code == 302
    assert "已解除账号" in client.get(response.url).content.decode()
    entry = AuditEntry.objects.get(summary="解除账号锁定")
    assert entry.actor == staff
    assert entry.detail["username"] == locked_user.username
    assert entry.object_repr == "王小明"

    client.logout()
    assert _login(client, locked_user.username, TEST_PASSWORD).status_code == 302


def test_unlocking_a_name_that_is_not_locked_says_already_handled(client, make_user):
    staff = make_user(Role.ADMIN)
    client.force_login(staff)
    response = client.post(reverse("accounts:unlock"), {"username": "free-user"}, follow=True)
    assert "已处理" in response.content.decode()
    assert not AuditEntry.objects.filter(summary="解除账号锁定").exists()
    with pytest.raises(ValidationError):
        account_unlock(actor=staff, username="free-user")


def test_below_the_limit_nobody_is_listed(make_user):
    _lock("almost", failures=4)
    assert locked_accounts() == []


@pytest.mark.parametrize("role", [Role.COUNTY_HRSS, Role.CITY_FINANCE, Role.APPLICANT, Role.EXPERT])
def test_other_roles_may_not_unlock(client, make_user, role):
    _lock("someone")
    user = make_user(role)
    client.force_login(user)
    assert client.get(reverse("accounts:lockouts")).status_code == 403
    assert client.post(reverse("accounts:unlock"), {"username": "someone"}).status_code == 403
    with pytest.raises(PermissionDenied):
        account_unlock(actor=user, username="someone")
    assert AccessAttempt.objects.filter(username="someone").exists()


@pytest.mark.parametrize("rows", [1, 5])
def test_lockout_list_query_count_is_fixed(client, make_user, django_assert_num_queries, rows):
    for index in range(rows):
        _lock(make_user(username=f"locked{index}").username, ip=f"10.3.3.{index}")
    client.force_login(make_user(Role.CITY_HRSS))
    client.get(reverse("accounts:lockouts"))  # warm up: the idle timer's first stamp
    # session, user, unread count, attempts, users
    with django_assert_num_queries(5):
        body = client.get(reverse("accounts:lockouts")).content.decode()
    assert body.count('data-testid="lockout"') == rows
