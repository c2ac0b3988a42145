"""Everyone signed in has an inbox; a message is read only by its recipient."""

import rules

from shaoxing_bases.accounts.rules import is_signed_in
from shaoxing_bases.permissions import add_perm, scoped


@rules.predicate
def is_recipient(user, notification) -> bool:
    return bool(notification is not None and notification.recipient_id == user.pk)


add_perm("notifications.view_inbox", is_signed_in)
add_perm("notifications.read_notification", is_signed_in & scoped(is_recipient), scoped=True)
