"""The one way to write the audit trail."""

from collections.abc import Iterable

from axes.helpers import get_client_ip_address
from django.db import transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEntry


def client_ip(request) -> str | None:
    """The same address django-axes locks on (settings.AXES_CLIENT_IP_CALLABLE)."""
    return get_client_ip_address(request) if request is not None else None


@transaction.atomic
def audit_record(
    *,
    action: str,
    outcome: str,
    request=None,
    actor=None,
    username: str = "",
    object_repr: str = "",
    detail: dict | None = None,
) -> AuditEntry:
    """Append one entry to the hash chain. Side effects: locks and advances the chain head."""
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=actor,
        username=username or (actor.get_username() if actor else ""),
        action=action,
        outcome=outcome,
        ip_address=client_ip(request),
        path=(request.get_full_path()[:500] if request is not None else ""),
        object_repr=object_repr[:200],
        detail=detail or {},
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_hash"])
    return entry


def audit_chain_breaks(entries: Iterable[AuditEntry]) -> list[int]:
    """Ids of entries whose hash or link to the previous entry does not match (oldest first)."""
    broken: list[int] = []
    previous = "0" * 64
    for entry in entries:
        if entry.previous_hash != previous or entry.compute_hash() != entry.entry_hash:
            broken.append(entry.pk)
        previous = entry.entry_hash
    return broken
