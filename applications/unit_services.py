"""Use cases of the unit profile that `applications.services` does not cover.

Kept beside services.py (same rules: keyword-only, the acting user, one transaction) so that the
unit pages do not need to touch the shared services module.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import User

from .models import ApplicantUnit
from .policy import ENTERPRISE

#: What a member may change (the unit profile form uses the same lists); the credit code, the name,
#: the type and the county identify the unit and are changed only by an administrator.
CONTACT_FIELDS = ("address", "legal_representative", "contact_person", "contact_phone", "email")
ENTERPRISE_FIELDS = ("sector", "size")


@transaction.atomic
def unit_update_contact(*, unit: ApplicantUnit, actor: User, data: dict) -> ApplicantUnit:
    """A member of the unit updates its contact details (and sector/size for an enterprise).

    Keys of `data` outside the editable fields are ignored. Raises PermissionDenied for anyone
    but a member of the unit and ValidationError (Chinese) for invalid values. Side effect: the
    unit row.
    """
    if actor.role != Role.APPLICANT or actor.unit_id != unit.pk:
        raise PermissionDenied
    unit = ApplicantUnit.objects.select_for_update().get(pk=unit.pk)
    editable = CONTACT_FIELDS + (ENTERPRISE_FIELDS if unit.unit_type == ENTERPRISE else ())
    changed = [name for name in editable if name in data and getattr(unit, name) != data[name]]
    for name in changed:
        setattr(unit, name, data[name])
    if changed:
        unit.full_clean()
        unit.save(update_fields=changed)
    return unit
