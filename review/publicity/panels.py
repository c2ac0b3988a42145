"""Dashboard panels of the publicity stage: city HRSS (the notice open now, objections waiting) and
the experts (objections assigned to them for re-examination)."""

from django.utils import timezone

from shaoxing_bases.core.dashboard import Panel, register_panel
from shaoxing_bases.core.deadlines import countdown

from . import rules  # noqa: F401  - the permissions the panels name
from .enums import ObjectionState
from .selectors import my_objections, staff_publicities, window_text


def _city(user) -> dict | None:
    publicity = staff_publicities().first()
    if publicity is None:
        return None
    now = timezone.now()
    return {
        "publicity": publicity,
        "window": window_text(publicity),
        "accepting": publicity.accepts_objections(now),
        "countdown": countdown(publicity.ends_at) if now < publicity.ends_at else None,
    }


def _expert(user) -> dict | None:
    rows = list(my_objections(user).filter(state=ObjectionState.UNDER_REVIEW)[:8])
    if not rows:
        return None
    return {"objections": rows}


register_panel(
    Panel(
        "publicity_city",
        "评审结果公示与异议",
        "review.view_publicity",
        "review/publicity/panels/city.html",
        _city,
        order=26,
    )
)
register_panel(
    Panel(
        "publicity_expert",
        "异议复核",
        "review.list_own_objections",
        "review/publicity/panels/expert.html",
        _expert,
        order=11,
    )
)
