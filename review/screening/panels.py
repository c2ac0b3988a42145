"""Dashboard panels of the county screening: county HRSS (what is left to screen, the deadline, the
list), county finance (lists awaiting the co-signature), the city (counties reported, late)."""

from django.db.models import Count

from applications.enums import ApplicationState
from applications.models import Application
from shaoxing_bases.core.dashboard import Panel, register_panel
from shaoxing_bases.core.deadlines import countdown

from .enums import RecommendationState
from .selectors import batches_for_screening, county_overview, finance_queue, recommendations_visible_to


def _county_hrss(user) -> dict | None:
    batch = batches_for_screening().first()
    if batch is None:
        return None
    counts = dict(
        Application.objects.filter(
            batch=batch,
            unit__region_id=user.region_id,
            state__in=(ApplicationState.SUBMITTED, ApplicationState.RECOMMENDED),
        )
        .values_list("state")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return {
        "batch": batch,
        "countdown": countdown(batch.screening_deadline),
        "recommendation": recommendations_visible_to(user).filter(batch=batch).first(),
        "pending": counts.get(ApplicationState.SUBMITTED, 0),
        "recommended": counts.get(ApplicationState.RECOMMENDED, 0),
    }


def _county_finance(user) -> dict | None:
    batch = batches_for_screening().first()
    if batch is None:
        return None
    return {
        "batch": batch,
        "countdown": countdown(batch.screening_deadline),
        "awaiting": recommendations_visible_to(user)
        .filter(state=RecommendationState.AWAITING_COSIGN)
        .count(),
        "without_opinion": finance_queue(user, batch).filter(finance_opinion__isnull=True).count(),
    }


def _city(user) -> dict | None:
    batch = batches_for_screening().first()
    if batch is None:
        return None
    rows = county_overview(batch)
    return {
        "batch": batch,
        "countdown": countdown(batch.screening_deadline),
        "counties": len(rows),
        "submitted": sum(1 for row in rows if row.recommendation and row.recommendation.is_submitted),
        "late": [row.region.name for row in rows if row.late],
        "candidates": sum(row.recommended for row in rows),
    }


register_panel(
    Panel(
        "screening_county",
        "区县初审与推荐",
        "review.screen_application",
        "review/screening/panels/county_hrss.html",
        _county_hrss,
        order=20,
    )
)
register_panel(
    Panel(
        "screening_cosign",
        "推荐名单会签",
        "review.cosign_recommendation",
        "review/screening/panels/county_finance.html",
        _county_finance,
        order=20,
    )
)
register_panel(
    Panel(
        "screening_city",
        "各区县初审与推荐",
        "review.view_city_overview",
        "review/screening/panels/city.html",
        _city,
        order=20,
    )
)
