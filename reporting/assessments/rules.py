"""Who assesses the bases and decides an exit (clause 6.2).

County HRSS assesses the bases of its county (定期考核和评估, proposing 退出 for one that fails);
the city HRSS bureau inspects and assesses any base (定期检查评估) and alone decides an exit.
"""

from reporting.bases.rules import base_region
from shaoxing_bases.accounts.rules import is_city_hrss, is_county_hrss, same_region
from shaoxing_bases.permissions import add_perm, scoped

add_perm(
    "reporting.record_assessment",
    (is_county_hrss & scoped(same_region(base_region))) | is_city_hrss,
    scoped=True,
)
add_perm("reporting.decide_exit", is_city_hrss)
