"""Access rules of the application form pages (applications/views/editing.py).

Only a member of the unit fills in the form: every other role gets 403 from the role check. The
evidence download is open to whoever may open the application (`applications_visible_to`): the
unit, and once handed in the county staff of its county, the city and administrators; an expert
(no application in scope) gets 404. The matrix's county users sit in 越城区, where the factory's
units are registered.
"""

from django.core.files.base import ContentFile

from applications.enums import ApplicationState, AttachmentSection
from applications.models import Attachment
from shaoxing_bases.accounts.enums import Role
from tests.access.matrix import Rule
from tests.applications.factories import PDF_BYTES, ApplicantUnitFactory, ApplicationFactory

APPLICANT = frozenset({Role.APPLICANT})
VIEWERS = frozenset({Role.APPLICANT, *Role.county_roles(), *Role.city_roles(), Role.ADMIN})


def _application_for(user, state):
    """The acting applicant's own application (the matrix's applicant gets a unit here)."""
    if user is not None and user.role == Role.APPLICANT:
        if user.unit_id is None:
            user.unit = ApplicantUnitFactory()
            user.save(update_fields=["unit"])
        return ApplicationFactory(unit=user.unit, created_by=user, state=state)
    return ApplicationFactory(state=state)


def _section(user, users):
    return {"pk": _application_for(user, ApplicationState.DRAFT).pk, "section": "management"}


def _draft(user, users):
    return {"pk": _application_for(user, ApplicationState.DRAFT).pk}


def _attachment(user, users):
    application = _application_for(user, ApplicationState.SUBMITTED)
    attachment = Attachment(
        application=application,
        section=AttachmentSection.PREMISES,
        original_name="消防验收意见书.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=application.created_by,
    )
    attachment.file.save("upload.pdf", ContentFile(PDF_BYTES), save=False)
    attachment.save()
    return {"pk": attachment.pk}


RULES: dict[str, Rule] = {
    "applications:edit_section": Rule(APPLICANT, kwargs=_section),
    "applications:live_check": Rule(APPLICANT, method="post", kwargs=_draft),
    "applications:attachment_download": Rule(VIEWERS, denied=404, kwargs=_attachment),
}
