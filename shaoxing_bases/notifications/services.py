"""The one service later features call to tell people something: inbox plus e-mail."""

import enum
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shaoxing_bases.audit.services import audit_event

from .models import Notification


@transaction.atomic
def notify(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", email: bool = True
) -> list[Notification]:
    """Put a message in each recipient's inbox.

    Side effects: one Notification per distinct active recipient; when `email` is set, a Celery
    task mails those with an address, enqueued only after the transaction commits.
    """
    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    created = Notification.objects.bulk_create(
        Notification(recipient=user, title=title[:200], body=body, url=url[:500]) for user in unique.values()
    )
    if email:
        for notification in created:
            if notification.recipient.email:
                # robust: once the change has committed, a broker outage must not turn the user's
                # request into a 500; the message stays in the inbox and its e-mail is retried.
                transaction.on_commit(_mail_later(notification.pk), robust=True)
    return created


def _mail_later(notification_id: int):
    from .tasks import send_notification_email_task

    def enqueue() -> None:
        send_notification_email_task.delay(notification_id=notification_id)

    return enqueue


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one message read (idempotent). Side effect: an audit entry the first time — when a unit
    read a notice about its deadline can matter later."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
        audit_event(actor=notification.recipient, summary="阅读站内消息", obj=notification)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user) -> int:
    """Mark every unread message of `user` read. Side effect: one audit entry with the count."""
    count = Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
    if count:
        audit_event(actor=user, summary="站内消息全部标为已读", detail={"count": count})
    return count


class EmailClaim(enum.Enum):
    CLAIMED = "claimed"  # this caller sends now
    DONE = "done"  # already mailed, or the notification is gone
    BUSY = "busy"  # another task is sending it right now


def _email_claim_expiry() -> timedelta:
    # No task runs longer than Celery's hard time limit: an older claim belongs to a dead worker.
    return timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


@transaction.atomic
def notification_email_claim(*, notification_id: int) -> tuple[EmailClaim, Notification | None]:
    """Claim one notification's e-mail for the caller, in a short transaction of its own.

    Side effects: sets `email_claimed_at` under a row lock. The caller sends outside any
    transaction, then calls `notification_email_sent` or, when sending failed,
    `notification_email_release`.
    """
    notification = (
        Notification.objects.select_for_update()
        .select_related("recipient")
        .filter(pk=notification_id, emailed_at__isnull=True)
        .first()
    )
    if notification is None:
        return EmailClaim.DONE, None
    now = timezone.now()
    if notification.email_claimed_at and now - notification.email_claimed_at < _email_claim_expiry():
        return EmailClaim.BUSY, None
    notification.email_claimed_at = now
    notification.save(update_fields=["email_claimed_at"])
    return EmailClaim.CLAIMED, notification


def notification_email_sent(*, notification: Notification) -> None:
    """Record the sent e-mail. Side effects: sets `emailed_at`, clears the claim."""
    notification.emailed_at = timezone.now()
    notification.email_claimed_at = None
    notification.save(update_fields=["emailed_at", "email_claimed_at"])


def notification_email_release(*, notification: Notification) -> None:
    """Give the claim back after a failed send, so that the retry sends. Side effects: clears it."""
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(email_claimed_at=None)
