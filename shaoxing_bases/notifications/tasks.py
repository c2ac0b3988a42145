import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail

from .services import (
    EmailClaim,
    notification_email_claim,
    notification_email_release,
    notification_email_sent,
)

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    name="notifications.send_email",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
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
        # Another delivery of this task is sending right now. Look again once its claim could
        # have expired, in case that worker dies before recording the mail.
        raise self.retry(countdown=settings.CELERY_TASK_TIME_LIMIT)
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
