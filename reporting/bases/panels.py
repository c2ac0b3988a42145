"""Dashboard panels and the home page's section of the training bases.

County staff: their county's bases, those in rectification (deadline first) and the exits awaiting
the city; the city: bases per county side by side, rectifications, pending exits and exits; a unit:
its own base. Each panel asks a permission; the rows come from the scoped selectors.
"""

from collections import Counter

from django.db.models import Count

from shaoxing_bases.accounts.rules import is_city_wide
from shaoxing_bases.core.dashboard import Panel, register_panel
from shaoxing_bases.core.home import HomeSection, register_home_section

from ..assessments import rules as _assessment_rules  # noqa: F401  - the permissions the panels name
from ..enums import BaseState
from . import rules  # noqa: F401
from .selectors import bases_visible_to, pending_exits, rectifying_bases, regions, with_overview


def _state_counts(bases) -> Counter:
    return Counter(dict(bases.order_by().values_list("state").annotate(n=Count("pk"))))


def _county(user) -> dict | None:
    if is_city_wide(user):
        return None
    bases = bases_visible_to(user)
    counts = _state_counts(bases)
    if not counts:
        return None
    return {
        "listed": counts[BaseState.ACTIVE] + counts[BaseState.RECTIFYING],
        "rectifying_count": counts[BaseState.RECTIFYING],
        "exited": counts[BaseState.EXITED],
        "rectifying": list(rectifying_bases(user)[:8]),
        "pending_exits": list(pending_exits(user)[:8]),
    }


def _city(user) -> dict | None:
    if not is_city_wide(user):
        return None
    per_region = {
        (region_id, state): n
        for region_id, state, n in bases_visible_to(user)
        .order_by()
        .values_list("region_id", "state")
        .annotate(n=Count("pk"))
    }
    if not per_region:
        return None
    rows = [
        {
            "region": region,
            "active": per_region.get((region.pk, BaseState.ACTIVE), 0),
            "rectifying": per_region.get((region.pk, BaseState.RECTIFYING), 0),
            "exited": per_region.get((region.pk, BaseState.EXITED), 0),
        }
        for region in regions()
    ]
    return {
        "rows": rows,
        "totals": {key: sum(row[key] for row in rows) for key in ("active", "rectifying", "exited")},
        "rectifying": list(rectifying_bases(user)[:8]),
        "pending_exits": list(pending_exits(user)[:8]),
    }


def _unit(user) -> dict | None:
    bases = list(with_overview(bases_visible_to(user)))
    return {"bases": bases} if bases else None


register_panel(
    Panel(
        "bases_county",
        "本地实训基地",
        "reporting.list_bases",
        "reporting/bases/panels/county.html",
        _county,
        order=40,
    )
)
register_panel(
    Panel(
        "bases_city", "实训基地", "reporting.list_bases", "reporting/bases/panels/city.html", _city, order=40
    )
)
register_panel(
    Panel(
        "bases_unit",
        "我的实训基地",
        "reporting.view_own_bases",
        "reporting/bases/panels/unit.html",
        _unit,
        order=20,
    )
)


def _home(user) -> dict:
    """Links only: the public home page runs one query (the open batches), whatever is registered."""
    return {}


register_home_section(
    HomeSection(key="training_bases", template="reporting/bases/_home.html", context=_home, order=30)
)
