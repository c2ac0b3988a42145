from django.conf import settings

from shaoxing_bases.notifications.models import Notification

from .navigation import navigation_for


def portal(request):
    """Names and the bureau's contact for the layout, the role's menu and the unread count (one query,
    signed-in only)."""
    user = getattr(request, "user", None)
    signed_in = bool(user and user.is_authenticated)
    return {
        "portal_name": settings.PORTAL_NAME,
        "bureau_name": settings.BUREAU_NAME,
        "bureau_contact": {
            "name": settings.BUREAU_CONTACT_NAME,
            "phone": settings.BUREAU_CONTACT_PHONE,
            "hours": settings.BUREAU_CONTACT_HOURS,
        },
        "nav_items": navigation_for(user) if signed_in else [],
        "unread_count": (
            Notification.objects.filter(recipient=user, read_at__isnull=True).count() if signed_in else 0
        ),
    }
