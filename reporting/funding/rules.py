"""Who records and reads the funding of the bases (clause 5.1: 由属地财政给予一定经费支持).

County finance records what its bureau gave the bases of its county; the city (both bureaus) and
administrators read every county's; county staff read their county's; a unit reads its own on its
base page (`reporting.view_base`).
"""

from reporting.bases.rules import base_region
from shaoxing_bases.accounts.rules import is_city_wide, is_county_finance, is_county_staff, same_region
from shaoxing_bases.permissions import add_perm, scoped

add_perm("reporting.view_funding", is_city_wide | is_county_staff)
add_perm("reporting.record_funding", is_county_finance & scoped(same_region(base_region)), scoped=True)
