import pytest
from django.core import mail

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditEntry
from shaoxing_bases.notifications.models import Notification
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.notifications.tasks import send_notification_email_task


def test_notify_fills_inbox_and_mails_once_after_commit(make_user, django_capture_on_commit_callbacks):
    user = make_user(Role.APPLICANT)
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify(
            recipients=[user, user], title="申报已退回", body="请补充材料", url="/dashboard/"
        )
    assert Notification.objects.filter(recipient=user).count() == 1
    assert len(mail.outbox) == 1
    assert "申报已退回" in mail.outbox[0].subject
    # A redelivered task does not mail twice.
    send_notification_email_task(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_notify_without_commit_sends_no_mail(make_user, django_capture_on_commit_callbacks):
    user = make_user()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(recipients=[user], title="t")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_unread_count_in_header_and_mark_read_follows_link(client, make_user):
    user = make_user()
    (notification,) = notify(recipients=[user], title="新消息", url="/dashboard/", email=False)
    client.force_login(user)
    body = client.get("/inbox/").content.decode()
    assert 'data-testid="unread-count">1<' in body
    response = client.post(f"/inbox/{notification.pk}/read/")
    assert response.status_code == 302
    assert response.url == "/dashboard/"
    notification.refresh_from_db()
    assert notification.is_read
    assert 'data-testid="unread-count"' not in client.get("/inbox/").content.decode()


def test_mark_read_refuses_foreign_links_and_foreign_notifications(client, make_user):
    owner, other = make_user(), make_user()
    (notification,) = notify(recipients=[owner], title="x", url="https://evil.example.com/", email=False)
    client.force_login(other)
    assert client.post(f"/inbox/{notification.pk}/read/").status_code == 404
    denial = AuditEntry.objects.get(action=AuditAction.PERMISSION_DENIED)
    assert denial.actor == other
    assert denial.path == f"/inbox/{notification.pk}/read/"
    assert client.post("/inbox/999999/read/").status_code == 404
    assert AuditEntry.objects.filter(action=AuditAction.PERMISSION_DENIED).count() == 1  # no such message
    client.force_login(owner)
    assert client.post(f"/inbox/{notification.pk}/read/").url == "/inbox/"


def test_mark_all_read(client, make_user):
    user = make_user()
    notify(recipients=[user], title="a", email=False)
    notify(recipients=[user], title="b", email=False)
    client.force_login(user)
    client.post("/inbox/read-all/")
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


@pytest.mark.parametrize("rows", [1, 5])
def test_inbox_query_count_is_fixed(client, make_user, django_assert_num_queries, rows):
    user = make_user()
    for index in range(rows):
        notify(recipients=[user], title=f"m{index}", email=False)
    client.force_login(user)
    client.get("/dashboard/")  # first request stamps the idle timer; measure the steady state
    with django_assert_num_queries(5):
        client.get("/inbox/")


def _mail_on_commit(user):
    (notification,) = notify(recipients=[user], title="评审结果", email=False)
    return notification


@pytest.mark.django_db(transaction=True)
def test_email_is_sent_outside_any_transaction_with_the_row_claimed(monkeypatch):
    """No row lock is held while the SMTP server is slow: the claim is committed first."""
    from django.db import connection

    from tests.factories import UserFactory

    notification = _mail_on_commit(UserFactory())
    seen = {}

    def fake_send_mail(**kwargs):
        seen["in_transaction"] = connection.in_atomic_block
        seen["claimed"] = Notification.objects.get(pk=notification.pk).email_claimed_at is not None
        mail.outbox.append(kwargs)

    monkeypatch.setattr("shaoxing_bases.notifications.tasks.send_mail", fake_send_mail)
    send_notification_email_task(notification_id=notification.pk)
    assert seen == {"in_transaction": False, "claimed": True}
    notification.refresh_from_db()
    assert notification.emailed_at is not None
    assert notification.email_claimed_at is None


def test_failed_send_releases_the_claim_and_the_retry_sends_once(make_user, monkeypatch):
    from django.core.mail import send_mail as real_send_mail

    notification = _mail_on_commit(make_user())
    attempts = []

    def flaky_send_mail(**kwargs):
        attempts.append(Notification.objects.get(pk=notification.pk).email_claimed_at)
        if len(attempts) == 1:
            raise ConnectionRefusedError("SMTP down")
        return real_send_mail(**kwargs)

    monkeypatch.setattr("shaoxing_bases.notifications.tasks.send_mail", flaky_send_mail)
    with pytest.raises(ConnectionRefusedError):
        send_notification_email_task(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_claimed_at is None
    assert notification.emailed_at is None
    send_notification_email_task(notification_id=notification.pk)  # the retry
    assert len(attempts) == 2
    assert attempts[1] is not None  # claimed afresh by the retry
    assert len(mail.outbox) == 1
    send_notification_email_task(notification_id=notification.pk)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_send_in_progress_elsewhere_is_not_repeated_but_looked_at_again_later(make_user, monkeypatch):
    from celery.exceptions import Retry
    from django.utils import timezone

    notification = _mail_on_commit(make_user())
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=timezone.now())
    countdowns = []

    def fake_retry(**kwargs):
        countdowns.append(kwargs.get("countdown"))
        return Retry()

    monkeypatch.setattr(send_notification_email_task, "retry", fake_retry)
    with pytest.raises(Retry):
        send_notification_email_task(notification_id=notification.pk)
    assert mail.outbox == []
    assert countdowns == [180]


def test_a_claim_left_by_a_dead_worker_expires(make_user):
    from datetime import timedelta

    from django.utils import timezone

    notification = _mail_on_commit(make_user())
    stale = timezone.now() - timedelta(minutes=10)
    Notification.objects.filter(pk=notification.pk).update(email_claimed_at=stale)
    send_notification_email_task(notification_id=notification.pk)
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_slow_smtp_server_does_not_block_a_duplicate_delivery(monkeypatch):
    """Needs PostgreSQL: while one worker waits for SMTP, a second delivery of the same task
    neither waits on a row lock nor mails again."""
    import threading
    import time

    from celery.exceptions import Retry
    from django.db import connection, connections

    from tests.factories import UserFactory

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks across connections; SQLite has none")
    notification = _mail_on_commit(UserFactory())
    in_smtp, release_smtp = threading.Event(), threading.Event()

    def slow_send_mail(**kwargs):
        in_smtp.set()
        release_smtp.wait(timeout=10)
        mail.outbox.append(kwargs)

    monkeypatch.setattr("shaoxing_bases.notifications.tasks.send_mail", slow_send_mail)
    monkeypatch.setattr(send_notification_email_task, "retry", lambda **kwargs: Retry())

    def first_worker():
        try:
            send_notification_email_task(notification_id=notification.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=first_worker)
    worker.start()
    assert in_smtp.wait(timeout=10)
    started = time.monotonic()
    with pytest.raises(Retry):
        send_notification_email_task(notification_id=notification.pk)
    assert time.monotonic() - started < 5
    release_smtp.set()
    worker.join(timeout=10)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
