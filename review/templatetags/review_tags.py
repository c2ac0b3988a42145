"""Dashboard panel of the county screening: ``{% load review_tags %}{% review_panel %}``.

One panel per role: county HRSS (what is left to screen, the deadline, the list), county finance
(lists awaiting the co-signature), city staff (counties reported / late). A handful of queries.
"""

from django import template

from applications.enums import ApplicationState
from applications.models import Application
from shaoxing_bases.accounts.enums import Role

from ..enums import RecommendationState
from ..selectors import batches_for_screening, countdown, county_overview, recommendations_visible_to

register = template.Library()


@register.inclusion_tag("review/_dashboard_panel.html", takes_context=True)
def review_panel(context, user=None) -> dict:
    user = user or context["request"].user
    batch = batches_for_screening().first()
    panel: dict = {"role": user.role, "batch": batch, "show": False}
    if batch is None or not user.is_authenticated:
        return panel
    if user.role in Role.county_roles():
        recommendation = recommendations_visible_to(user).filter(batch=batch).first()
        panel.update(show=True, recommendation=recommendation, countdown=countdown(batch.screening_deadline))
        if user.role == Role.COUNTY_HRSS:
            counts = {
                state: Application.objects.filter(
                    batch=batch, unit__region_id=user.region_id, state=state
                ).count()
                for state in (ApplicationState.SUBMITTED, ApplicationState.RECOMMENDED)
            }
            panel.update(
                pending=counts[ApplicationState.SUBMITTED], recommended=counts[ApplicationState.RECOMMENDED]
            )
        else:
            panel["awaiting"] = (
                recommendations_visible_to(user).filter(state=RecommendationState.AWAITING_COSIGN).count()
            )
    elif user.role in (*Role.city_roles(), Role.ADMIN):
        rows = county_overview(batch)
        panel.update(
            show=True,
            counties=len(rows),
            submitted=sum(1 for row in rows if row.recommendation and row.recommendation.is_submitted),
            late=[row.region.name for row in rows if row.late],
            candidates=sum(row.recommended for row in rows),
            countdown=countdown(batch.screening_deadline),
        )
    return panel
