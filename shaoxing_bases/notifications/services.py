"""The one service later features call to tell people something: inbox plus e-mail.

E-mail delivery has two roads that meet in one claim protocol, so that each message is mailed once:
the task enqueued when `notify`'s transaction commits (the fast road), and the minute sweep
(`notification_emails_sweep`), which enqueues the task again for every e-mail that is due and
unsent — the message was lost with the broker, the worker died, or the mail server refused.
"""

import enum
import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.background import enqueue_after_commit

from .models import Notification

logger = logging.getLogger(__name__)

#: How long the task enqueued at commit has before the sweep looks at its e-mail.
EMAIL_SWEEP_GRACE = timedelta(minutes=2)
#: E-mails the sweep hands to the worker per run; the rest wait for the next minute.
EMAIL_SWEEP_BATCH = 200
#: After a failed send the next attempt waits this long times the attempts so far, at most
#: EMAIL_RETRY_MAX: 24 attempts cover a mail server that is down for about a day.
EMAIL_RETRY_STEP = timedelta(minutes=5)
EMAIL_RETRY_MAX = timedelta(hours=2)
EMAIL_MAX_ATTEMPTS = 24


@transaction.atomic
def notify(
    *, recipients: Iterable, title: str, body: str = "", url: str = "", email: bool = True
) -> list[Notification]:
    """Put a message in each recipient's inbox.

    Side effects: one Notification per distinct active recipient; when `email` is set, those with an
    address get an e-mail: a task enqueued after the transaction commits, and the minute sweep as a
    backstop. A broker that is down at commit is logged, never raised: the caller's change and the
    inbox are committed, and the sweep sends the e-mail once the broker is back.
    """
    from .tasks import send_notification_email_task  # task module imports this one

    unique = {user.pk: user for user in recipients if user is not None and user.is_active}
    due = timezone.now() + EMAIL_SWEEP_GRACE
    created = Notification.objects.bulk_create(
        Notification(
            recipient=user,
            title=title[:200],
            body=body,
            url=url[:500],
            email_due_at=due if email and user.email else None,
        )
        for user in unique.values()
    )
    for notification in created:
        if notification.email_due_at is not None:
            enqueue_after_commit(send_notification_email_task, notification_id=notification.pk)
    return created


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

    Side effects: sets `email_claimed_at`, counts the attempt and moves `email_due_at` past the
    claim's expiry (so that the sweep retries if this worker dies mid-send), under a row lock. The
    caller sends outside any transaction, then calls `notification_email_sent` or, when sending
    failed, `notification_email_release`.
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
    if not notification.recipient.email:
        notification.email_due_at = None  # the address was removed since: nothing to send
        notification.save(update_fields=["email_due_at"])
        return EmailClaim.DONE, None
    notification.email_claimed_at = now
    notification.email_attempts += 1
    notification.email_due_at = now + _email_claim_expiry() + EMAIL_SWEEP_GRACE
    notification.save(update_fields=["email_claimed_at", "email_attempts", "email_due_at"])
    return EmailClaim.CLAIMED, notification


def notification_email_sent(*, notification: Notification) -> None:
    """Record the sent e-mail. Side effects: sets `emailed_at`, clears the claim and the due time."""
    notification.emailed_at = timezone.now()
    notification.email_claimed_at = None
    notification.email_due_at = None
    notification.save(update_fields=["emailed_at", "email_claimed_at", "email_due_at"])


def notification_email_release(*, notification: Notification) -> None:
    """Give the claim back after a failed send. Side effects: clears it and sets when the sweep tries
    again (later with every attempt), or, once the attempts are used up, stops trying and logs it."""
    attempts = notification.email_attempts
    if attempts >= EMAIL_MAX_ATTEMPTS:
        due_at = None
        logger.error(
            "notification %s: e-mail not sent after %s attempts, giving up (the inbox has it)",
            notification.pk,
            attempts,
        )
    else:
        due_at = timezone.now() + min(EMAIL_RETRY_STEP * attempts, EMAIL_RETRY_MAX)
    Notification.objects.filter(pk=notification.pk, emailed_at__isnull=True).update(
        email_claimed_at=None, email_due_at=due_at
    )


def notification_emails_sweep(now: datetime | None = None) -> int:
    """Hand every due, unsent e-mail to the send task again (DESIGN §8: a lost message loses nothing).

    Part of the minute sweep. Takes at most EMAIL_SWEEP_BATCH rows, locked with SKIP LOCKED so that
    two sweeps never take the same row, and moves their due time past the claim expiry so that an
    e-mail still waiting in the queue is not enqueued again next minute. The SMTP conversation happens
    in the task, not here: a slow mail server never holds the sweep or its locks. The task's claim
    makes a duplicate delivery harmless. Returns how many it enqueued.
    """
    from .tasks import send_notification_email_task  # task module imports this one

    now = now or timezone.now()
    with transaction.atomic():
        due = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(emailed_at__isnull=True, email_due_at__lte=now)
            .order_by("email_due_at", "pk")
            .values_list("pk", flat=True)[:EMAIL_SWEEP_BATCH]
        )
        if due:
            Notification.objects.filter(pk__in=due).update(email_due_at=now + _email_claim_expiry())
    for notification_id in due:
        enqueue_after_commit(send_notification_email_task, notification_id=notification_id)
    if due:
        logger.info("notification sweep: %s unsent e-mail(s) handed to the worker", len(due))
    return len(due)
