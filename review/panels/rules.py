"""Who may keep the expert pool, form the panel, score and confirm the shortlist (clause 4.2).

City HRSS keeps the pool, forms the panel (市人力社保局会同市财政局组建评审组), edits the rubric, opens and
closes scoring and confirms the shortlist; city finance and administrators read everything; an
expert scores only the sheets assigned to them and reads the ranking of their own panel once it has
closed. See `shaoxing_bases/permissions.py` for how views, templates and services ask these.
"""

import rules

from shaoxing_bases.accounts.rules import is_admin, is_city_hrss, is_city_wide, is_expert
from shaoxing_bases.permissions import add_perm, scoped


@rules.predicate
def owns_sheet(user, sheet) -> bool:
    """The sheet is assigned to this expert (through the expert's pool entry)."""
    return bool(
        sheet is not None
        and user.is_authenticated
        and sheet.member.expert_id is not None
        and sheet.member.expert.user_id == user.pk
    )


@rules.predicate
def sits_on_finished_panel(user, panel) -> bool:
    """An expert of this panel, once the panel has closed (scores hidden until then)."""
    return bool(
        panel is not None
        and user.is_authenticated
        and panel.is_finished
        and panel.members.filter(expert__user=user).exists()
    )


add_perm("review.view_experts", is_city_wide)
add_perm("review.manage_experts", is_city_hrss | is_admin)
# Phone numbers in full only for those who keep the pool; everyone else sees them masked.
add_perm("review.view_expert_contacts", is_city_hrss | is_admin)
add_perm("review.view_panel", is_city_wide)
add_perm("review.manage_panel", is_city_hrss)
add_perm("review.confirm_shortlist", is_city_hrss)
add_perm("review.view_ranking", is_city_wide | (is_expert & scoped(sits_on_finished_panel)), scoped=True)
add_perm("review.list_own_sheets", is_expert)
add_perm("review.score_sheet", is_expert & scoped(owns_sheet), scoped=True)
