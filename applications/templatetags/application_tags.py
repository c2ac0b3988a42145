"""Template helpers of the applications app: state badges and the applicant dashboard panel."""

from django import template
from django.urls import reverse

from ..dashboard import STATE_TONES, applicant_overview

register = template.Library()


@register.filter
def state_tone(state: str) -> str:
    """Bootstrap colour of an application state's badge: {{ application.state|state_tone }}."""
    return STATE_TONES.get(state, "secondary")


@register.inclusion_tag("applications/workflow/_applicant_dashboard.html", takes_context=True)
def applicant_dashboard_panel(context) -> dict:
    """The applicant's 待办 panel. Uses `applicant_dashboard` from the view's context when the
    dashboard view provides it (`applications.dashboard.applicant_overview(request.user)`), else
    computes it here, so the panel works whichever way the dashboard view is wired."""
    overview = context.get("applicant_dashboard")
    if overview is None:
        overview = applicant_overview(context["request"].user)
    return {
        **overview,
        "unit_url": reverse("applications:unit_profile"),
        "my_applications_url": reverse("applications:my_applications"),
    }
