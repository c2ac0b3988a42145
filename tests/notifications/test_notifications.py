import pytest
from django.core import mail

from shaoxing_bases.accounts.enums import Role
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
