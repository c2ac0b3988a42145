from django.contrib import messages
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from shaoxing_bases.permissions import get_object_for, permission_required

from .models import Notification
from .services import notification_mark_read, notifications_mark_all_read


class InboxView(ListView):
    template_name = "notifications/inbox.html"
    context_object_name = "notifications"
    paginate_by = 30

    def get_queryset(self):
        return Notification.objects.filter(recipient_id=self.request.user.pk)


inbox = permission_required("notifications.view_inbox")(InboxView.as_view())


@require_POST
@permission_required("notifications.view_inbox")
def mark_read(request, pk: int):
    """Mark a message read, then follow its link (only to our own site)."""
    notification = get_object_for(
        request,
        "notifications.read_notification",
        Notification.objects.filter(recipient=request.user),
        pk=pk,
    )
    notification_mark_read(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
@permission_required("notifications.view_inbox")
def mark_all_read(request):
    count = notifications_mark_all_read(user=request.user)
    messages.success(request, f"已将 {count} 条消息标为已读。")
    return redirect("notifications:inbox")
