"""Who may screen, assemble and co-sign the county recommendation (clause 4.1).

County HRSS screens its county's applications and assembles the list; county finance co-signs it
(会同财政部门); city staff and administrators read every county's list and letter. See
`shaoxing_bases/permissions.py` for how views, templates and services ask these.
"""

from shaoxing_bases.accounts.rules import (
    is_city_wide,
    is_county_finance,
    is_county_hrss,
    is_county_staff,
    same_region,
    works_in_region,
)
from shaoxing_bases.permissions import add_perm, scoped


def _application_region(application) -> int:
    return application.unit.region_id


def _list_region(recommendation) -> int:
    return recommendation.region_id


in_county_of_application = scoped(same_region(_application_region))
in_county_of_list = scoped(same_region(_list_region))

add_perm("review.screen_application", is_county_hrss & in_county_of_application, scoped=True)
add_perm("review.give_finance_opinion", is_county_finance & in_county_of_application, scoped=True)
add_perm("review.list_county_recommendations", is_county_staff)
add_perm("review.view_recommendation", (is_county_staff & in_county_of_list) | is_city_wide, scoped=True)
add_perm("review.compile_recommendation", is_county_hrss & in_county_of_list, scoped=True)
add_perm("review.cosign_recommendation", is_county_finance & in_county_of_list, scoped=True)
add_perm("review.view_city_overview", is_city_wide)
# 区县设置: what the county's letters print, set by its own HRSS staff.
add_perm("review.manage_county_settings", is_county_hrss & scoped(works_in_region), scoped=True)
