"""Access rules of the batch pages: the city HRSS (and admin) run batches; city finance reads them."""

from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import BatchFactory

from .matrix import Rule

MANAGERS = frozenset({Role.CITY_HRSS, Role.ADMIN})
VIEWERS = frozenset({Role.CITY_HRSS, Role.CITY_FINANCE, Role.ADMIN})


def _draft_batch(user, users):
    return {"pk": BatchFactory().pk}


RULES: dict[str, Rule] = {
    "applications:batch_list": Rule(VIEWERS),
    "applications:batch_detail": Rule(VIEWERS, kwargs=_draft_batch),
    "applications:batch_create": Rule(MANAGERS),
    "applications:batch_edit": Rule(MANAGERS, kwargs=_draft_batch),
    "applications:batch_transition": Rule(
        # A draft whose opening time has come: opened by hand (the sweep would within a minute).
        MANAGERS,
        method="post",
        ok=302,
        kwargs=_draft_batch,
        data={"transition": "open"},
        effect="done",
    ),
}
