"""Use cases of the decision stage (发文, clause 4.3), one module per concern."""

from .drafting import EMPTY_LIST, decision_cosign, decision_decline, decision_draft_save, decision_initial
from .issuing import decision_issue, decision_issue_refusal
from .outbox import decision_outbox_release
from .rendering import approval_letter_render, decision_documents_sweep, decision_notice_render

__all__ = [
    "EMPTY_LIST",
    "approval_letter_render",
    "decision_cosign",
    "decision_decline",
    "decision_documents_sweep",
    "decision_draft_save",
    "decision_initial",
    "decision_issue",
    "decision_issue_refusal",
    "decision_notice_render",
    "decision_outbox_release",
]
