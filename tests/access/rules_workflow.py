"""Access rules of the application workflow pages (applications/views/workflow.py).

The acting user's objects are made here: an applicant gets a unit in 越城区 (where the matrix's
county users work) and its own application; everybody else opens a submitted application of a
越城区 unit, which county, city and admin users may see and an expert may not (403 by role).
"""

from applications.enums import ApplicationState, BatchState
from shaoxing_bases.accounts.enums import Role
from tests.access.matrix import Rule
from tests.applications.factories import ApplicantUnitFactory, ApplicationFactory, BatchFactory

APPLICANT = frozenset({Role.APPLICANT})
VIEWERS = frozenset({Role.APPLICANT, *Role.county_roles(), *Role.city_roles(), Role.ADMIN})


def _unit_of(user):
    """The acting applicant's unit, registered on first use (the matrix's applicant has none)."""
    if user.unit_id is None:
        user.unit = ApplicantUnitFactory()
        user.save(update_fields=["unit"])
    return user.unit


def _application(state):
    def kwargs(user, users):
        if user is not None and user.role == Role.APPLICANT:
            application = ApplicationFactory(unit=_unit_of(user), created_by=user, state=state)
        else:
            application = ApplicationFactory(state=state)
        return {"pk": application.pk}

    return kwargs


def _open_batch(user, users):
    if user is not None and user.role == Role.APPLICANT:
        _unit_of(user)
    return {"batch_pk": BatchFactory(state=BatchState.OPEN).pk}


RULES: dict[str, Rule] = {
    # An applicant without a unit gets the page too, with a "register your unit" message.
    "applications:my_applications": Rule(APPLICANT),
    # Starts the application and goes on to the form.
    "applications:start": Rule(APPLICANT, method="post", ok=302, kwargs=_open_batch, effect="done"),
    "applications:detail": Rule(VIEWERS, kwargs=_application(ApplicationState.SUBMITTED)),
    "applications:print": Rule(VIEWERS, kwargs=_application(ApplicationState.SUBMITTED)),
    # GET shows the confirmation page (a draft lists what is missing).
    "applications:submit": Rule(APPLICANT, kwargs=_application(ApplicationState.DRAFT)),
    # GET shows the consequence of 撤回修改 (a submitted application, before the deadline).
    "applications:recall": Rule(APPLICANT, kwargs=_application(ApplicationState.SUBMITTED)),
    # GET shows the consequence of 放弃本批次申报 and the box to tick.
    "applications:withdraw": Rule(APPLICANT, kwargs=_application(ApplicationState.SUBMITTED)),
}
