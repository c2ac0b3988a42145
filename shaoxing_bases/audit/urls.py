from django.urls import path

from shaoxing_bases.permissions import permission_required

from . import views

app_name = "audit"

urlpatterns = [
    path("", permission_required("audit.view_trail")(views.AuditTrailView.as_view()), name="trail")
]
