"""The one service later features call to tell people something: inbox plus e-mail."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from .models import Notification


@transaction.atomic
def notify(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", email: bool = True
) -> list[Notification]:
    """Put a message in each recipient's inbox.

    Side effects: one Notification per distinct active recipient; when `email` is set, a Celery
    task mails those with an address, enqueued only after the transaction commits.
    """
    from .tasks import send_notification_email_task  # task module imports this one

    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    created = Notification.objects.bulk_create(
        Notification(recipient=user, title=title[:200], body=body, url=url[:500]) for user in unique.values()
    )
    if email:
        for notification in created:
            if notification.recipient.email:
                send_notification_email_task.delay_on_commit(notification_id=notification.pk)
    return created


def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one message read (idempotent)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
