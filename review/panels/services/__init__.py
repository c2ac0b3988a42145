"""Use cases of the expert review (clause 4.2), one module per concern:

- `experts`: the expert pool;
- `forming`: the panel's draw, members, review mode, rubric and the opening of the scoring;
- `sheets`: an expert's declaration or recusal, drafts and submission;
- `results`: closing the panel and confirming the shortlist;
- `opening`: what the batch's stages ask of this one (opening expert review, going to publicity);
- `reminders`: the scoring-deadline reminders of the minute sweep.

Each function is keyword-only, takes the acting user, asks its permission, re-reads its row under a
lock, writes its audit entry in the same transaction. A second click raises ``AlreadyHandled``.
"""

from .experts import expert_save
from .forming import (
    IndicatorRow,
    panel_draw,
    panel_member_add,
    panel_member_remove,
    panel_open_problems,
    panel_open_scoring,
    panel_set_mode,
    rubric_save,
)
from .opening import expert_review_open, expert_review_readiness, publicity_readiness
from .reminders import scoring_reminders_sweep
from .results import panel_close, shortlist_confirm
from .sheets import (
    parse_points,
    score_field,
    sheet_declare,
    sheet_recuse,
    sheet_save,
    sheet_submit,
)

__all__ = [
    "IndicatorRow",
    "expert_review_open",
    "expert_review_readiness",
    "expert_save",
    "panel_close",
    "panel_draw",
    "panel_member_add",
    "panel_member_remove",
    "panel_open_problems",
    "panel_open_scoring",
    "panel_set_mode",
    "parse_points",
    "publicity_readiness",
    "rubric_save",
    "score_field",
    "scoring_reminders_sweep",
    "sheet_declare",
    "sheet_recuse",
    "sheet_save",
    "sheet_submit",
    "shortlist_confirm",
]
