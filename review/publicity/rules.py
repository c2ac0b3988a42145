"""Who may publish the notice, handle objections and re-examine them (clause 4.3).

City HRSS publishes the notice (市人力社保局公示), assigns each objection's re-examination (复核) —
itself or to a panel expert not conflicted with the unit — and records the finding; city finance and
administrators read everything; an expert reads and answers only the objections assigned to them.
The public pages (the notice, the objection form, the receipt lookup) need no permission: they show
nothing personal. See `shaoxing_bases/permissions.py` for how views, templates and services ask these.
"""

import rules

from shaoxing_bases.accounts.rules import is_city_hrss, is_city_wide, is_expert
from shaoxing_bases.permissions import add_perm, scoped


@rules.predicate
def reviews_objection(user, objection) -> bool:
    """The objection's re-examination is assigned to this user."""
    return bool(objection is not None and user.is_authenticated and objection.reviewer_id == user.pk)


add_perm("review.view_publicity", is_city_wide)
add_perm("review.start_publicity", is_city_hrss)
add_perm("review.view_objection", is_city_wide | (is_expert & scoped(reviews_objection)), scoped=True)
add_perm("review.handle_objection", is_city_hrss)
add_perm("review.list_own_objections", is_expert)
add_perm("review.give_objection_opinion", is_expert & scoped(reviews_objection), scoped=True)
