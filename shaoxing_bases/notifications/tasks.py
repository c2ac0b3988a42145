import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from shaoxing_bases.background import register_sweeper

from .services import (
    EmailClaim,
    notification_email_claim,
    notification_email_release,
    notification_email_sent,
    notification_emails_sweep,
)

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="notifications.send_email",
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    # A few quick retries for a blip; a longer outage is the minute sweep's (email_due_at). The
    # backoff stays under TASK_MAX_COUNTDOWN, which the broker's visibility timeout is sized for.
    retry_backoff_max=settings.TASK_MAX_COUNTDOWN,
    max_retries=3,
)
def send_notification_email_task(self, *, notification_id: int) -> None:
    """Mail one notification; running it twice mails once.

    The row is claimed in a short transaction and the SMTP conversation happens outside it, so a
    slow mail server never holds a row lock (EMAIL_TIMEOUT bounds the conversation). A failed
    send gives the claim back and the retry sends.
    """
    status, notification = notification_email_claim(notification_id=notification_id)
    if status is EmailClaim.DONE:
        logger.info("notification %s already mailed or gone", notification_id)
        return
    if status is EmailClaim.BUSY or notification is None:
        # Another delivery of this task is sending right now. Nothing to wait for here: if that
        # worker dies before recording the mail, the claim expires and the minute sweep sends.
        logger.info("notification %s is being mailed by another worker", notification_id)
        return
    body = notification.body
    if notification.url:
        body = f"{body}\n\n查看详情：{settings.PORTAL_BASE_URL}{notification.url}"
    try:
        send_mail(
            subject=f"【{settings.PORTAL_NAME}】{notification.title}",
            message=body + "\n\n（本邮件由系统自动发送，请勿直接回复。）",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
    except BaseException:
        notification_email_release(notification=notification)
        raise
    notification_email_sent(notification=notification)


# E-mails whose task message was lost (broker down at commit, worker killed) or whose send failed.
register_sweeper(notification_emails_sweep)
