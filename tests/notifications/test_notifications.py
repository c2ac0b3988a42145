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


def test_a_send_in_progress_elsewhere_is_not_repeated_and_the_sweep_looks_again_later(
    make_user, django_capture_on_commit_callbacks
):
    """Deliberately changed: a busy claim no longer schedules a retry with a 180 s countdown (longer
    countdowns stretch the broker's visibility timeout); the claim moved the e-mail's due time past
    its expiry, and the minute sweep sends if the other worker died."""
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from shaoxing_bases.notifications.services import notification_emails_sweep

    user = make_user()
    (notification,) = notify(recipients=[user], title="评审结果", email=False)
    claimed_at = timezone.now()
    Notification.objects.filter(pk=notification.pk).update(
        email_claimed_at=claimed_at, email_due_at=claimed_at + timedelta(minutes=5)
    )
    send_notification_email_task(notification_id=notification.pk)
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_emails_sweep(now=claimed_at + timedelta(minutes=1)) == 0  # not due yet
    # That worker died: its claim has expired by the time the e-mail is due again.
    with (
        time_machine.travel(claimed_at + timedelta(minutes=6), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notification_emails_sweep() == 1
    assert len(mail.outbox) == 1


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

    def first_worker():
        try:
            send_notification_email_task(notification_id=notification.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=first_worker)
    worker.start()
    assert in_smtp.wait(timeout=10)
    started = time.monotonic()
    send_notification_email_task(notification_id=notification.pk)  # busy elsewhere: returns at once
    assert time.monotonic() - started < 5
    release_smtp.set()
    worker.join(timeout=10)
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None


# --- the broker is down at commit; the minute sweep sends what is due and unsent -----------------


@pytest.fixture
def broker_refuses(monkeypatch):
    from kombu.exceptions import OperationalError

    def refuse(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(send_notification_email_task, "delay", refuse)
    return refuse


def test_notify_with_the_broker_down_commits_and_leaves_the_email_due(
    make_user, broker_refuses, django_capture_on_commit_callbacks, caplog
):
    from django.db import transaction

    user = make_user()
    after = []
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        (notification,) = notify(recipients=[user], title="申报已提交")
        transaction.on_commit(lambda: after.append("ran"))
    assert after == ["ran"]  # the failed enqueue did not stop the transaction's other callbacks
    assert "could not enqueue notifications.send_email" in caplog.text
    notification.refresh_from_db()
    assert notification.emailed_at is None
    assert notification.email_due_at is not None
    assert mail.outbox == []


def test_sweep_mails_a_due_email_once_and_only_after_the_grace(
    make_user, broker_refuses, monkeypatch, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from shaoxing_bases.core.tasks import sweep_deadlines
    from shaoxing_bases.notifications.services import EMAIL_SWEEP_GRACE, notification_emails_sweep

    user = make_user()
    with django_capture_on_commit_callbacks(execute=True):
        (notification,) = notify(recipients=[user], title="申报已提交")
    monkeypatch.undo()  # the broker is back
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_emails_sweep(now=now) == 0  # the task enqueued at commit has its grace
    later = now + EMAIL_SWEEP_GRACE + timedelta(seconds=1)
    with time_machine.travel(later, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert sweep_deadlines() >= 1
    assert len(mail.outbox) == 1
    notification.refresh_from_db()
    assert (notification.emailed_at is not None, notification.email_due_at, notification.email_attempts) == (
        True,
        None,
        1,
    )
    with (
        time_machine.travel(later + timedelta(hours=3), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert notification_emails_sweep() == 0
        sweep_deadlines()
    assert len(mail.outbox) == 1


def test_sweep_leaves_alone_what_wants_no_email_or_was_sent(make_user, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    from shaoxing_bases.notifications.services import notification_emails_sweep

    no_address = make_user(email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[make_user()], title="已发送")
        notify(recipients=[make_user()], title="仅站内", email=False)
        (silent,) = notify(recipients=[no_address], title="无邮箱")
    assert len(mail.outbox) == 1
    assert silent.email_due_at is None
    with django_capture_on_commit_callbacks(execute=True):
        assert notification_emails_sweep(now=timezone.now() + timedelta(days=1)) == 0
    assert len(mail.outbox) == 1


def test_sweep_takes_a_bounded_batch_per_run(make_user, monkeypatch, django_capture_on_commit_callbacks):
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    from shaoxing_bases.notifications import services

    monkeypatch.setattr(services, "EMAIL_SWEEP_BATCH", 2)
    users = [make_user() for _ in range(3)]
    Notification.objects.bulk_create(
        Notification(recipient=user, title="待发", email_due_at=timezone.now()) for user in users
    )
    with (
        time_machine.travel(timezone.now() + timedelta(seconds=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert services.notification_emails_sweep() == 2
        assert services.notification_emails_sweep() == 1
        assert services.notification_emails_sweep() == 0
    assert len(mail.outbox) == 3


def test_a_failed_send_is_retried_later_and_given_up_after_the_last_attempt(make_user, monkeypatch, caplog):
    from django.utils import timezone

    from shaoxing_bases.notifications import services

    def smtp_down(**kwargs):
        raise ConnectionRefusedError("SMTP down")

    monkeypatch.setattr("shaoxing_bases.notifications.tasks.send_mail", smtp_down)
    (notification,) = notify(recipients=[make_user()], title="评审结果", email=False)
    before = timezone.now()
    with pytest.raises(ConnectionRefusedError):
        send_notification_email_task(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_attempts == 1
    assert notification.email_claimed_at is None
    assert notification.email_due_at >= before + services.EMAIL_RETRY_STEP
    Notification.objects.filter(pk=notification.pk).update(email_attempts=services.EMAIL_MAX_ATTEMPTS - 1)
    with pytest.raises(ConnectionRefusedError):
        send_notification_email_task(notification_id=notification.pk)
    notification.refresh_from_db()
    assert notification.email_due_at is None  # the sweep stops trying; the inbox has the message
    assert "giving up" in caplog.text


def test_the_email_sweep_is_part_of_the_minute_sweep():
    from shaoxing_bases.background import DEADLINE_SWEEPERS
    from shaoxing_bases.notifications.services import notification_emails_sweep

    assert notification_emails_sweep in DEADLINE_SWEEPERS
