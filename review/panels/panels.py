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
    if not sheets:
        return None
    now = timezone.now()
    # What can still be done: open sheets of panels whose deadline has not passed.
    due = [
        sheet
        for sheet in sheets
        if sheet.state in SheetState.open() and sheet.panel.batch.scoring_deadline > now
    ]
    deadlines = sorted({sheet.panel.batch.scoring_deadline for sheet in due})
    return {
        "due": due[:8],
        "due_count": len(due),
        "done_count": sum(1 for sheet in sheets if sheet.state == SheetState.SUBMITTED),
        "countdown": countdown(deadlines[0]) if deadlines else None,
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
