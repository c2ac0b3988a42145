"""Use cases of the accounts: staff unlock a locked account; anyone asks for a password reset by
e-mail and sets a new password through the link.

A password reset never says whether an account has the address typed: the page and the timing are
the same either way (the e-mail leaves through a Celery task after the commit). The requests are
limited per client address and per address typed (a fixed window in the cache: with Redis in
production it is shared by every web process). The link's token expires after
``PASSWORD_RESET_TIMEOUT`` and with the next change of the password (Django's token generator).
"""

import hashlib
import uuid

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_event, audit_record
from shaoxing_bases.masking import mask_generic
from shaoxing_bases.permissions import require_perm
from shaoxing_bases.ratelimit import within_limit

from .lockouts import locked_accounts
from .models import User
from .tasks import send_password_reset_email_task

#: The window of the password-reset rate limits, in seconds.
RESET_WINDOW = 60 * 60


# --- 解除锁定 -------------------------------------------------------------------------------------


@transaction.atomic
def account_unlock(*, actor: User, username: str) -> int:
    """Clear the login lockout of `username` from every address (staff: `accounts.unlock_accounts`).

    A name that is not locked (any more: unlocked by a colleague, or its lock ran out) is refused
    with ValidationError code "not_locked" (the accounts sit below core, whose `AlreadyHandled`
    they cannot import). Side effects: the axes attempts of that name are deleted, an audit entry.
    Returns how many attempt rows were cleared.
    """
    require_perm(actor, "accounts.unlock_accounts")
    username = username.strip()
    lockouts = [lockout for lockout in locked_accounts() if lockout.username == username]
    if not lockouts:
        raise ValidationError(f"账号“{username}”当前未被锁定，无需解锁。", code="not_locked")
    cleared = axes_reset(username=username)
    audit_event(
        actor=actor,
        summary="解除账号锁定",
        obj=lockouts[0].user,
        detail={
            "username": username,
            "ip_addresses": [lockout.ip_address for lockout in lockouts],
            "cleared": cleared,
        },
    )
    return cleared


# --- 找回密码 -------------------------------------------------------------------------------------


def mask_email(email: str) -> str:
    """``zhang.san@example.cn`` → ``*******an@example.cn``: enough for an investigator to match."""
    local, at, domain = email.partition("@")
    return f"{mask_generic(local)}{at}{domain}"


def _address_key(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def users_for_reset(email: str) -> list[User]:
    """Active accounts with this address (any case) that have a password to reset."""
    return [
        user
        for user in User.objects.filter(email__iexact=email.strip(), is_active=True)
        if user.has_usable_password()
    ]


def password_reset_request(*, email: str, client_ip: str | None) -> None:
    """Send a reset link to every active account with `email` (none: nothing is sent, nothing said).

    Refused (ValidationError, code "rate_limited") beyond ``PASSWORD_RESET_LIMIT_PER_IP`` requests
    from one client address or ``PASSWORD_RESET_LIMIT_PER_ACCOUNT`` for one e-mail address within
    an hour. Side effects: an audit entry per request, the reset e-mails (Celery, after the commit).
    """
    masked = mask_email(email)
    # Both counters advance on every request, so that neither limit can be dodged through the other.
    per_ip = within_limit(
        f"password-reset:ip:{client_ip}", settings.PASSWORD_RESET_LIMIT_PER_IP, RESET_WINDOW
    )
    per_address = within_limit(
        f"password-reset:email:{_address_key(email)}", settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT, RESET_WINDOW
    )
    if not (per_ip and per_address):
        # Committed on its own, before the refusal: the trail keeps the refused requests too.
        audit_record(
            action=AuditAction.STATE_CHANGE,
            outcome=AuditOutcome.DENIED,
            summary="找回密码请求过于频繁，已拒绝",
            detail={"email": masked},
        )
        raise ValidationError(
            "找回密码的请求过于频繁，请1小时后再试；如需帮助，请联系"
            f"{settings.BUREAU_CONTACT_NAME}（{settings.BUREAU_CONTACT_PHONE}）。",
            code="rate_limited",
        )
    with transaction.atomic():
        _send_reset_links(users_for_reset(email), masked)


def _send_reset_links(users: list[User], masked: str) -> None:
    if not users:
        audit_record(
            action=AuditAction.STATE_CHANGE,
            outcome=AuditOutcome.FAILURE,
            summary="申请找回密码：该邮箱没有可重置的账号（未发送邮件）",
            detail={"email": masked},
        )
        return
    for user in users:
        audit_record(
            action=AuditAction.STATE_CHANGE,
            outcome=AuditOutcome.SUCCESS,
            username=user.username,
            object_repr=str(user),
            summary="申请找回密码：已发送重置邮件",
            detail={"email": masked, "model": "accounts.User", "pk": user.pk},
        )
        # robust: a broker outage must not turn the request into a 500 (the user asks again).
        transaction.on_commit(_mail_later(user.pk, uuid.uuid4().hex), robust=True)


def _mail_later(user_id: int, request_id: str):
    def enqueue() -> None:
        send_password_reset_email_task.delay(user_id=user_id, request_id=request_id)

    return enqueue


@transaction.atomic
def password_reset_confirm(*, user: User, password: str) -> User:
    """Set the new password of `user`, who proved to own the address with a valid link (the view
    checked the token: that is this use case's permission). The password must pass the validators.

    Side effects: the password (every other session of the user ends), the login lockout of the
    account cleared on every address, an audit entry.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    cleared = axes_reset(username=user.username)
    audit_record(
        action=AuditAction.STATE_CHANGE,
        outcome=AuditOutcome.SUCCESS,
        username=user.username,
        object_repr=str(user),
        summary="通过电子邮件重置密码",
        detail={"model": "accounts.User", "pk": user.pk, "lockout_cleared": cleared},
    )
    return user
