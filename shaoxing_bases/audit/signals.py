"""Login, logout and failed-login receivers feeding the audit trail."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .models import AuditAction, AuditOutcome
from .services import audit_record


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    audit_record(action=AuditAction.LOGIN, outcome=AuditOutcome.SUCCESS, request=request, actor=user)


@receiver(user_logged_out)
def record_logout(sender, request, user, **kwargs):
    if user is not None:
        audit_record(action=AuditAction.LOGOUT, outcome=AuditOutcome.SUCCESS, request=request, actor=user)


@receiver(user_login_failed)
def record_login_failure(sender, credentials, request=None, **kwargs):
    audit_record(
        action=AuditAction.LOGIN_FAILED,
        outcome=AuditOutcome.FAILURE,
        request=request,
        username=str(credentials.get("username", ""))[:150],
    )


@receiver(user_locked_out)
def record_lockout(sender, request, username, ip_address, **kwargs):
    audit_record(
        action=AuditAction.LOCKED_OUT,
        outcome=AuditOutcome.DENIED,
        request=request,
        username=str(username or "")[:150],
    )
