"""Access rules of the unit pages and the city's batch export (applications/views/units.py)."""

from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import ApplicantUnitFactory, BatchFactory

from .matrix import CITY_AND_ADMIN, PUBLIC, Rule

UNIT_STAFF = frozenset({*Role.county_roles(), *Role.city_roles(), Role.ADMIN})


def _applicant_with_unit(user, users):
    """The matrix's applicant has no unit: give it one, so that its profile page exists."""
    applicant = users[Role.APPLICANT]
    if applicant.unit_id is None:
        applicant.unit = ApplicantUnitFactory()
        applicant.save(update_fields=["unit"])
    return {}


def _unit_in_matrix_county(user, users):
    # County users of the matrix sit in 越城区 (330602): a unit there is in their scope.
    return {"pk": ApplicantUnitFactory(division="330602").pk}


def _batch(user, users):
    return {"pk": BatchFactory().pk}


RULES: dict[str, Rule] = {
    # Signed-in users are sent on to their dashboard instead of registering a second unit.
    "applications:register": Rule(PUBLIC, ok_signed_in=302),
    "applications:unit_profile": Rule(frozenset({Role.APPLICANT}), kwargs=_applicant_with_unit),
    "applications:unit_list": Rule(UNIT_STAFF),
    "applications:unit_detail": Rule(UNIT_STAFF, kwargs=_unit_in_matrix_county),
    "applications:batch_export": Rule(CITY_AND_ADMIN, kwargs=_batch),
}
