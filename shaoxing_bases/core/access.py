"""How views say who may open them. Wrong role → 403 (audited); out-of-scope object → 404 (audited
when the object exists, so that probing another county's or unit's ids leaves a trace)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_record


def role_required(*roles: str):
    """Decorator for function views: signed in, and one of `roles`."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(wrapped)

    return decorator


def scoped_get_or_404(request, scoped: QuerySet, **lookup):
    """The object from the user's scoped queryset, else 404.

    When the object exists but lies outside the scope (another county's application, another
    unit's file), the 404 is recorded in the audit trail as a permission denial: the user learns
    nothing, the bureau learns that someone tried.
    """
    found = scoped.filter(**lookup).first()
    if found is not None:
        return found
    if scoped.model._default_manager.filter(**lookup).exists():
        audit_record(
            action=AuditAction.PERMISSION_DENIED,
            outcome=AuditOutcome.DENIED,
            request=request,
            actor=request.user,
            object_repr=f"{scoped.model._meta.verbose_name}（范围外）",
            detail={
                "model": scoped.model._meta.label,
                "lookup": {key: str(value) for key, value in lookup.items()},
            },
        )
    raise Http404
