"""Releasing the decision's held notifications (DESIGN §8: decision mails wait for a staff member)."""

from django.db import transaction
from django.utils import timezone

from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import county_hrss_of, unit_members_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from ..enums import OutboxKind
from ..models import Decision, OutboxMessage


@transaction.atomic
def decision_outbox_release(*, decision: Decision, actor: User) -> int:
    """Send every held message of the issued decision through `notify` (inbox and e-mail), once.

    The messages are locked; a second click finds none left (AlreadyHandled). Side effects: the
    notifications, each message marked released, an audit entry. Returns how many were sent.
    """
    require_perm(actor, "review.release_decision_notices")
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if not decision.is_issued:
        raise AlreadyHandled("认定文件印发后才能发送通知。")
    held = list(
        OutboxMessage.objects.select_for_update(of=("self",))
        .filter(decision=decision, released_at__isnull=True)
        .select_related("application")
        .order_by("pk")
    )
    if not held:
        raise AlreadyHandled("没有待发送的通知：通知已全部发出。")
    now = timezone.now()
    for message in held:
        if message.kind == OutboxKind.UNIT and message.application is not None:
            recipients = unit_members_of(message.application.unit_id)
        elif message.region_id is not None:
            recipients = county_hrss_of(message.region_id)
        else:
            recipients = unit_members_of([])
        sent = notify(recipients=recipients, title=message.title, body=message.body, url=message.url)
        message.released_at = now
        message.released_by = actor
        message.recipients = len(sent)
        message.save(update_fields=["released_at", "released_by", "recipients"])
    audit_event(
        actor=actor,
        summary="发送认定结果通知",
        obj=decision,
        detail={"messages": len(held), "recipients": sum(message.recipients for message in held)},
    )
    return len(held)
