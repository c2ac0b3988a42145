"""Use cases of the publicity stage (clause 4.3), one module per concern:

- `publishing`: publishing the notice, the minute sweep that opens and closes it, its PDF, and
  concluding it for the decision;
- `objections`: filing an objection, assigning its re-examination, the expert's opinion, the finding.

Each function is keyword-only, takes the acting user (None for the public and the system), asks its
permission, re-reads its row under a lock, writes its audit entry in the same transaction. A second
click raises ``AlreadyHandled``.
"""

from .objections import (
    ObjectionInput,
    closed_message,
    objection_assign,
    objection_decide,
    objection_file,
    objection_give_opinion,
    reviewer_choices,
)
from .publishing import (
    PublicitySettings,
    publicity_conclude,
    publicity_on_batch_conclude,
    publicity_publish,
    publicity_readiness,
    publicity_render_pdf,
    publicity_start,
    publicity_sweep,
)

__all__ = [
    "ObjectionInput",
    "PublicitySettings",
    "closed_message",
    "objection_assign",
    "objection_decide",
    "objection_file",
    "objection_give_opinion",
    "publicity_conclude",
    "publicity_on_batch_conclude",
    "publicity_publish",
    "publicity_readiness",
    "publicity_render_pdf",
    "publicity_start",
    "publicity_sweep",
    "reviewer_choices",
]
