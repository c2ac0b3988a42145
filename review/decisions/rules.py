"""Who may draft, co-sign, issue and read the decision (clause 4.3).

City HRSS drafts and issues; city finance co-signs (会签) or sends the draft back; city staff and
administrators read the decision page; city staff release the held notifications. A unit reads the
issued notice when it is on its list, and its own approval letter. See
`shaoxing_bases/permissions.py` for how views, templates and services ask these.
"""

import rules

from shaoxing_bases.accounts.rules import (
    is_applicant,
    is_city_finance,
    is_city_hrss,
    is_city_staff,
    is_city_wide,
)
from shaoxing_bases.permissions import add_perm, scoped


@rules.predicate
def unit_on_decision(user, decision) -> bool:
    """The user's unit is on the issued decision's list."""
    if decision is None or not user.is_authenticated or user.unit_id is None or not decision.is_issued:
        return False
    return decision.items.filter(application__unit_id=user.unit_id).exists()


@rules.predicate
def owns_letter(user, letter) -> bool:
    """The letter is addressed to the user's unit."""
    return bool(
        letter is not None
        and user.is_authenticated
        and user.unit_id is not None
        and letter.application.unit_id == user.unit_id
    )


add_perm("review.view_decisions", is_city_wide)
add_perm("review.draft_decision", is_city_hrss)
add_perm("review.cosign_decision", is_city_finance)
add_perm("review.issue_decision", is_city_hrss)
add_perm("review.release_decision_notices", is_city_staff)
add_perm("review.read_decision_notice", is_city_wide | (is_applicant & scoped(unit_on_decision)), scoped=True)
add_perm("review.download_approval_letter", is_city_wide | (is_applicant & scoped(owns_letter)), scoped=True)
