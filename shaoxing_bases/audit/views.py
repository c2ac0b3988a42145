from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import ListView

from .forms import TrailFilterForm
from .models import AuditAction, AuditEntry


class AuditTrailView(LoginRequiredMixin, ListView):
    """The trail, newest first, filterable by action and username. Read only.

    A filter that is not valid text (a control character, an unknown action) answers 400 with the
    form's message and lists nothing, instead of sending it to the database.
    """

    template_name = "audit/trail.html"
    context_object_name = "entries"
    paginate_by = 50

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("audit.view_trail"):
            raise PermissionDenied
        self.filters = TrailFilterForm(request.GET)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        entries = AuditEntry.objects.select_related("actor")
        if not self.filters.is_valid():
            return entries.none()
        action = self.filters.cleaned_data["action"]
        if action:
            entries = entries.filter(action=action)
        username = self.filters.cleaned_data["username"].strip()
        if username:
            entries = entries.filter(username__icontains=username)
        return entries

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if not self.filters.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["actions"] = AuditAction.choices
        context["filters"] = self.filters
        context["selected_action"] = self.request.GET.get("action", "")
        context["username"] = self.request.GET.get("username", "")
        return context
