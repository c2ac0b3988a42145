"""Mail of the accounts: the password-reset link (`services.password_reset_request` enqueues it)."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User

logger = logging.getLogger(__name__)

#: How long a sent reset mail is remembered, so that a redelivered task does not mail twice.
SENT_MARK_SECONDS = 24 * 60 * 60


@shared_task(
    name="accounts.send_password_reset_email",
    acks_late=True,
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_password_reset_email_task(*, user_id: int, request_id: str) -> None:
    """Mail one reset link; a second run of the same request mails nothing.

    The token is made here, at sending time, so that it expires PASSWORD_RESET_TIMEOUT after the
    mail leaves. A failed send clears the mark so that the retry sends.
    """
    mark = f"password-reset:sent:{request_id}"
    if not cache.add(mark, 1, timeout=SENT_MARK_SECONDS):
        logger.info("password reset %s already mailed", request_id)
        return
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.email or not user.has_usable_password():
        logger.warning("password reset %s: account %s can no longer be reset", request_id, user_id)
        return
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {
        "user": user,
        "link": f"{settings.PORTAL_BASE_URL}{path}",
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        "portal_name": settings.PORTAL_NAME,
        "contact_name": settings.BUREAU_CONTACT_NAME,
        "contact_phone": settings.BUREAU_CONTACT_PHONE,
    }
    try:
        send_mail(
            subject=f"【{settings.PORTAL_NAME}】重置密码",
            message=render_to_string("accounts/email/password_reset.txt", context),
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[user.email],
        )
    except BaseException:
        cache.delete(mark)
        raise
