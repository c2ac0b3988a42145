import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)


@shared_task(
    name="notifications.send_email",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_notification_email_task(*, notification_id: int) -> None:
    """Mail one notification. Running it twice mails once: `emailed_at` is set under a row lock."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update()
            .select_related("recipient")
            .filter(pk=notification_id, emailed_at__isnull=True)
            .first()
        )
        if notification is None:
            logger.info("notification %s already mailed or gone", notification_id)
            return
        body = notification.body
        if notification.url:
            body = f"{body}\n\n查看详情：{settings.PORTAL_BASE_URL}{notification.url}"
        send_mail(
            subject=f"【{settings.PORTAL_NAME}】{notification.title}",
            message=body + "\n\n（本邮件由系统自动发送，请勿直接回复。）",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.recipient.email],
        )
        notification.emailed_at = timezone.now()
        notification.save(update_fields=["emailed_at"])
