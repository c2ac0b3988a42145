"""Objects outside the user's scope answer 404, and the attempt is audited when the object exists
(`shaoxing_bases.core.access.scoped_get_or_404`) — every applications view that fetches by pk."""

import pytest
from django.urls import reverse

from applications.enums import ApplicationState, AttachmentSection
from applications.form.services import attachment_upload
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditEntry, AuditOutcome
from tests.applications.factories import ApplicantUnitFactory, ApplicationFactory, pdf_file
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MISSING = 999_999


def _denials():
    return AuditEntry.objects.filter(action=AuditAction.PERMISSION_DENIED, outcome=AuditOutcome.DENIED)


def _application_of_another_unit():
    application = ApplicationFactory()
    attachment = attachment_upload(
        application=application,
        actor=application.created_by,
        section=AttachmentSection.PREMISES,
        uploaded=pdf_file(),
    )
    type(application).objects.filter(pk=application.pk).update(state=ApplicationState.SUBMITTED)
    return application, attachment


# (url name, method, kwargs from the application and its attachment)
APPLICANT_PAGES = [
    ("applications:detail", "get", lambda app, att: {"pk": app.pk}),
    ("applications:print", "get", lambda app, att: {"pk": app.pk}),
    ("applications:edit_section", "get", lambda app, att: {"pk": app.pk, "section": "management"}),
    ("applications:live_check", "post", lambda app, att: {"pk": app.pk}),
    ("applications:attachment_download", "get", lambda app, att: {"pk": att.pk}),
    ("applications:withdraw", "post", lambda app, att: {"pk": app.pk}),
    ("applications:submit", "post", lambda app, att: {"pk": app.pk}),
]


@pytest.mark.parametrize(
    ("name", "method", "kwargs"), APPLICANT_PAGES, ids=[page[0] for page in APPLICANT_PAGES]
)
def test_another_units_object_is_404_and_audited(client, name, method, kwargs):
    application, attachment = _application_of_another_unit()
    stranger = UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory())
    client.force_login(stranger)
    response = getattr(client, method)(reverse(name, kwargs=kwargs(application, attachment)))
    assert response.status_code == 404
    (entry,) = _denials()
    assert entry.actor == stranger
    assert entry.detail["lookup"] == {"pk": str(kwargs(application, attachment)["pk"])}
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


@pytest.mark.parametrize(
    ("name", "method", "kwargs"), APPLICANT_PAGES, ids=[page[0] for page in APPLICANT_PAGES]
)
def test_a_missing_object_is_404_without_an_audit_entry(client, name, method, kwargs):
    client.force_login(UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory()))
    missing = kwargs(type("Missing", (), {"pk": MISSING})(), type("Missing", (), {"pk": MISSING})())
    assert getattr(client, method)(reverse(name, kwargs=missing)).status_code == 404
    assert not _denials().exists()


def test_a_unit_of_another_county_is_404_and_audited(client, make_user):
    unit = ApplicantUnitFactory(division="330681")  # 诸暨市
    staff = make_user(Role.COUNTY_HRSS, "330602")  # 越城区
    client.force_login(staff)
    assert client.get(reverse("applications:unit_detail", args=[unit.pk])).status_code == 404
    (entry,) = _denials()
    assert (entry.actor, entry.detail["model"]) == (staff, "applications.ApplicantUnit")
