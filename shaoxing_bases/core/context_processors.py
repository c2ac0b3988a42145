from django.conf import settings

from shaoxing_bases.notifications.models import Notification

from .navigation import navigation_for


def portal(request):
    """Names for the layout, the role's menu and the unread count (one query, signed-in only)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "portal_name": settings.PORTAL_NAME,
        "bureau_name": settings.BUREAU_NAME,
        "nav_items": navigation_for(user) if signed_in else [],
        "unread_count": (
            Notification.objects.filter(recipient=user, read_at__isnull=True).count() if signed_in else 0
        ),
    }
