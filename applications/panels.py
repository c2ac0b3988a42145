"""The applicant's dashboard panel: its unit, its applications with their next step and countdown,
and the batches it can still join."""

from django.urls import reverse

from shaoxing_bases.core.dashboard import Panel, register_panel

from .workflow.dashboard import applicant_overview


def _applicant(user) -> dict:
    return {
        **applicant_overview(user),
        "unit_url": reverse("applications:unit_profile"),
        "my_applications_url": reverse("applications:my_applications"),
    }


register_panel(
    Panel(
        key="applicant",
        title="我的申报",
        perm="applications.view_own_applications",
        template="applications/workflow/_applicant_dashboard.html",
        context=_applicant,
        order=10,
    )
)
