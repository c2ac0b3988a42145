"""Dashboard panels of the expert review: the expert (sheets due and by when) and the city (scoring
progress of the newest panel, the ranking once it has closed)."""

from django.utils import timezone

from shaoxing_bases.core.dashboard import Panel, register_panel
from shaoxing_bases.core.deadlines import countdown

from . import rules  # noqa: F401  - the permissions the panels name
from .enums import SheetState
from .selectors import latest_panel, my_sheets, sheet_counts


def _expert(user) -> dict | None:
    sheets = my_sheets(user)
    done_count = sheets.filter(state=SheetState.SUBMITTED).count()
    # What can still be done: open sheets of panels whose deadline has not passed (ordered by deadline).
    due = sheets.filter(state__in=SheetState.open(), panel__batch__scoring_deadline__gt=timezone.now())
    shown = list(due[:8])
    due_count = len(shown) if len(shown) < 8 else due.count()
    if not shown and not done_count and not sheets.exists():
        return None
    return {
        "due": shown,
        "due_count": due_count,
        "done_count": done_count,
        "countdown": countdown(shown[0].panel.batch.scoring_deadline) if shown else None,
    }


def _city(user) -> dict | None:
    panel = latest_panel()
    if panel is None:
        return None
    counts = sheet_counts(panel)
    return {
        "panel": panel,
        "countdown": countdown(panel.batch.scoring_deadline),
        "submitted": counts.get(SheetState.SUBMITTED, 0),
        "open": counts.get(SheetState.ASSIGNED, 0) + counts.get(SheetState.DECLARED, 0),
        "recused": counts.get(SheetState.RECUSED, 0),
    }


register_panel(
    Panel(
        "panels_expert",
        "我的评审",
        "review.list_own_sheets",
        "review/panels/panels/expert.html",
        _expert,
        order=10,
    )
)
register_panel(
    Panel("panels_city", "专家评审", "review.view_panel", "review/panels/panels/city.html", _city, order=25)
)
