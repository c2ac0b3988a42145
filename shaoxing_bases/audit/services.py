"""The one way to write the audit trail."""

from collections.abc import Iterable

from django.db import models, transaction
from django.utils import timezone

from .context import current_request_meta, request_meta
from .models import AuditAction, AuditChainHead, AuditEntry, AuditOutcome


@transaction.atomic
def audit_record(
    *,
    action: str,
    outcome: str,
    request=None,
    actor=None,
    username: str = "",
    object_repr: str = "",
    summary: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the hash chain. Side effects: locks and advances the chain head.

    The client IP and path come from `request` when given, else from the request being handled
    (`AuditRequestContextMiddleware`), else they stay empty (tasks, the sweep, commands).
    """
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    meta = request_meta(request) if request is not None else current_request_meta()
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=actor,
        username=username or (actor.get_username() if actor else ""),
        action=action,
        outcome=outcome,
        ip_address=meta.ip_address if meta else None,
        path=meta.path if meta else "",
        object_repr=object_repr[:200],
        summary=summary[:200],
        detail=detail or {},
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_hash"])
    return entry


def audit_event(
    *,
    actor,
    summary: str,
    obj: models.Model | None = None,
    detail: dict | None = None,
    outcome: str = AuditOutcome.SUCCESS,
) -> AuditEntry:
    """One business action, written by the service that performed it inside its own transaction.

    `summary` says in Chinese what was done ("提交申报", "会签推荐名单"); `obj` is what it was done
    to (its text is shown, its model and id go into the detail); `actor` None means the system
    (the minute sweep, a task).
    """
    details = dict(detail or {})
    if obj is not None:
        details.setdefault("model", obj._meta.label)
        details.setdefault("pk", obj.pk)
    return audit_record(
        action=AuditAction.STATE_CHANGE,
        outcome=outcome,
        actor=actor,
        object_repr=str(obj) if obj is not None else "",
        summary=summary,
        detail=details,
    )


def audit_chain_breaks(entries: Iterable[AuditEntry]) -> list[int]:
    """Ids of entries whose hash or link to the previous entry does not match (oldest first)."""
    broken: list[int] = []
    previous = "0" * 64
    for entry in entries:
        if entry.previous_hash != previous or entry.compute_hash() != entry.entry_hash:
            broken.append(entry.pk)
        previous = entry.entry_hash
    return broken
