"""找回密码 by e-mail: the same answer whether an account exists or not, limited per address and
per client, a link that expires and works once, the new password through the validators, the
reset audited and the login lockout cleared (shaoxing_bases/accounts/services.py)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from shaoxing_bases.accounts.services import password_reset_request
from shaoxing_bases.accounts.tasks import send_password_reset_email_task
from shaoxing_bases.audit.models import AuditEntry, AuditOutcome
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

RESET = "/accounts/password-reset/"
NEW_PASSWORD = "Xin@Mima2026"


@pytest.fixture
def user(make_user):
    return make_user(email="chen.xiaoyan@example.cn", display_name="陈晓燕")


def _ask(client, email, ip="10.1.1.1"):
    return client.post(RESET, {"email": email}, REMOTE_ADDR=ip)


def _link(message) -> str:
    return re.search(r"http://[^/\s]+(/accounts/password-reset/\S+/)", message.body).group(1)


def test_an_existing_address_gets_a_link_and_an_unknown_one_the_same_page(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        known = _ask(client, "Chen.XiaoYan@example.cn")
        unknown = _ask(client, "nobody@example.cn")
    assert (known.status_code, known.url) == (unknown.status_code, unknown.url)
    assert known.url == reverse("accounts:password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["chen.xiaoyan@example.cn"]
    assert "重置密码" in message.subject
    assert "60分钟内" in message.body
    assert user.username in message.body
    requested = AuditEntry.objects.get(summary="申请找回密码：已发送重置邮件")
    assert requested.username == user.username
    assert "@example.cn" in requested.detail["email"]
    assert "chen.xiaoyan" not in requested.detail["email"]
    assert AuditEntry.objects.filter(summary__startswith="申请找回密码：该邮箱没有").exists()


def test_the_link_sets_a_new_password_through_the_validators_once(
    client, user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, user.email)
    link = _link(mail.outbox[0])
    response = client.get(link)
    assert response.status_code == 302  # the token moves into the session, out of the address
    form_url = response.url
    weak = client.post(form_url, {"new_password1": "12345678", "new_password2": "12345678"})
    assert weak.status_code == 200
    assert "密码须至少包含" in weak.content.decode()
    mismatch = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "Other@2026x"})
    assert "两次输入的新密码不一致" in mismatch.content.decode()
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.url == reverse("accounts:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AuditEntry.objects.filter(summary="通过电子邮件重置密码", username=user.username).exists()
    # Used once: the same link is now invalid.
    assert "重置链接无效或已过期" in client.get(link).content.decode()
    assert (
        client.post("/accounts/login/", {"username": user.username, "password": NEW_PASSWORD}).status_code
        == 302
    )


def test_the_link_expires_after_an_hour(client, user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, user.email)
    link = _link(mail.outbox[0])
    with time_machine.travel(timedelta(hours=1, minutes=1)):
        assert "重置链接无效或已过期" in client.get(link, follow=True).content.decode()


def test_a_reset_clears_the_lockout(client, user, django_capture_on_commit_callbacks):
    for _ in range(5):
        client.post(
            "/accounts/login/", {"username": user.username, "password": "wrong"}, REMOTE_ADDR="10.5.5.5"
        )
    locked = client.post(
        "/accounts/login/", {"username": user.username, "password": TEST_PASSWORD}, REMOTE_ADDR="10.5.5.5"
    )
    assert locked.status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        _ask(client, user.email)
    form_url = client.get(_link(mail.outbox[0])).url
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    entry = AuditEntry.objects.get(summary="通过电子邮件重置密码")
    assert entry.detail["lockout_cleared"] >= 1
    response = client.post(
        "/accounts/login/", {"username": user.username, "password": NEW_PASSWORD}, REMOTE_ADDR="10.5.5.5"
    )
    assert response.status_code == 302


def test_requests_for_one_address_are_limited(client, user, settings, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for index in range(settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT):
            assert _ask(client, user.email, ip=f"10.6.6.{index}").status_code == 302
        refused = _ask(client, user.email.upper(), ip="10.6.6.99")
    assert refused.status_code == 200
    assert "请求过于频繁" in refused.content.decode()
    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT
    assert AuditEntry.objects.filter(outcome=AuditOutcome.DENIED, summary__contains="过于频繁").count() == 1
    # An unknown address is limited the same way: the refusal says nothing about accounts.
    for _ in range(settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT):
        _ask(client, "ghost@example.cn", ip="10.6.7.1")
    assert "请求过于频繁" in _ask(client, "ghost@example.cn", ip="10.6.7.2").content.decode()


def test_requests_from_one_client_are_limited(client, settings, db):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    for index in range(3):
        assert _ask(client, f"someone{index}@example.cn", ip="10.8.8.8").status_code == 302
    assert "请求过于频繁" in _ask(client, "someone9@example.cn", ip="10.8.8.8").content.decode()
    assert _ask(client, "someone9@example.cn", ip="10.8.8.9").status_code == 302
    with time_machine.travel(timedelta(hours=1, minutes=1)):
        # The window ends an hour after its first request.
        assert _ask(client, "someone10@example.cn", ip="10.8.8.8").status_code == 302


def test_inactive_accounts_get_no_mail(client, make_user, django_capture_on_commit_callbacks):
    make_user(email="gone@example.cn", is_active=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert _ask(client, "gone@example.cn").status_code == 302
    assert mail.outbox == []


def test_the_mail_task_run_twice_mails_once(user):
    send_password_reset_email_task(user_id=user.pk, request_id="abc")
    send_password_reset_email_task(user_id=user.pk, request_id="abc")
    assert len(mail.outbox) == 1


def test_the_service_enqueues_after_the_commit(user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        password_reset_request(email=user.email, client_ip="10.1.1.1")
    assert mail.outbox == []
    assert len(callbacks) == 1
