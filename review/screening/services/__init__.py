"""Use cases of the county screening (clause 4.1), one module per concern:

- `decisions`: clause judgements and the first-round decision on one application;
- `recommendations`: the county's list, its finance co-signature and its report to the city;
- `letters`: the recommendation letter, rendered once by a task;
- `finance`: county finance's opinion on each application;
- `reminders`: the deadline reminders of the minute sweep;
- `settings`: the county's own letter settings (区县设置).

Each function is keyword-only, takes the acting user, asks its permission, re-reads its row under a
lock, writes its audit entry in the same transaction and enqueues side effects with ``on_commit``.
A decision taken twice (a double click, a colleague, the clock) raises ``AlreadyHandled`` — shown
as "已处理", never a 500.
"""

from .decisions import (
    JudgementInput,
    clause_judge,
    recommendation_blockers,
    screening_closed_reason,
    screening_decide,
    screening_record,
)
from .finance import finance_opinion_closed_reason, finance_opinion_give
from .letters import (
    recommendation_letter_render,
    recommendation_letters_sweep,
    recommendation_signed_scan_upload,
)
from .recommendations import (
    recommendation_cosign,
    recommendation_entry_add,
    recommendation_entry_move,
    recommendation_entry_remove,
    recommendation_entry_update,
    recommendation_problems,
    recommendation_recall,
    recommendation_request_cosign,
    recommendation_send_back,
    recommendation_start,
    recommendation_submit,
)
from .reminders import screening_reminders_sweep
from .settings import COUNTY_SETTINGS_FIELDS, county_settings_update

__all__ = [
    "COUNTY_SETTINGS_FIELDS",
    "JudgementInput",
    "clause_judge",
    "county_settings_update",
    "finance_opinion_closed_reason",
    "finance_opinion_give",
    "recommendation_blockers",
    "recommendation_cosign",
    "recommendation_entry_add",
    "recommendation_entry_move",
    "recommendation_entry_remove",
    "recommendation_entry_update",
    "recommendation_letter_render",
    "recommendation_letters_sweep",
    "recommendation_problems",
    "recommendation_recall",
    "recommendation_request_cosign",
    "recommendation_send_back",
    "recommendation_signed_scan_upload",
    "recommendation_start",
    "recommendation_submit",
    "screening_closed_reason",
    "screening_decide",
    "screening_record",
    "screening_reminders_sweep",
]
