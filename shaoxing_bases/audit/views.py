from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import ListView

from .models import AuditAction, AuditEntry


class AuditTrailView(LoginRequiredMixin, ListView):
    """The trail, newest first, filterable by action and username. Read only."""

    template_name = "audit/trail.html"
    context_object_name = "entries"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("audit.view_trail"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        entries = AuditEntry.objects.select_related("actor")
        action = self.request.GET.get("action", "")
        if action in AuditAction.values:
            entries = entries.filter(action=action)
        username = self.request.GET.get("username", "").strip()
        if username:
            entries = entries.filter(username__icontains=username)
        return entries

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = AuditAction.choices
        context["selected_action"] = self.request.GET.get("action", "")
        context["username"] = self.request.GET.get("username", "")
        return context
