"""Use cases of applicant units: self-registration, colleague accounts, the unit's contact details.

Keyword-only, the acting user, one transaction, an audit entry written inside it.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.permissions import require_perm

from ..models import ApplicantUnit

#: What a member may change (the unit profile form uses the same lists); the credit code, the name,
#: the type and the county identify the unit and are changed only by an administrator.
CONTACT_FIELDS = ("address", "legal_representative", "contact_person", "contact_phone", "email")


@transaction.atomic
def unit_register(*, unit: ApplicantUnit, user: User, password: str | None) -> User:
    """Register a unit with its first account (public: the actor is the new account itself).

    ``password`` None leaves the account without a usable password (the demo sets its own hash).
    Side effects: the unit, an applicant user, an audit entry.
    """
    unit.full_clean()
    unit.save()
    user.role = Role.APPLICANT
    user.unit = unit
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_event(actor=user, summary="注册申报单位", obj=unit, detail={"username": user.username})
    return user


@transaction.atomic
def unit_add_member(*, actor: User, user: User, password: str) -> User:
    """A unit's account opens an account for a colleague of the same unit.

    Side effects: the user, an audit entry.
    """
    unit = ApplicantUnit.objects.filter(pk=actor.unit_id).first() if actor.unit_id else None
    if unit is None:
        raise PermissionDenied
    require_perm(actor, "applications.manage_unit", unit)
    user.role = Role.APPLICANT
    user.unit = unit
    user.set_password(password)
    user.full_clean()
    user.save()
    audit_event(actor=actor, summary="添加同事账号", obj=unit, detail={"username": user.username})
    return user


@transaction.atomic
def unit_update_contact(*, unit: ApplicantUnit, actor: User, data: dict) -> ApplicantUnit:
    """A member of the unit updates its contact details.

    Keys of `data` outside the editable fields are ignored. Raises PermissionDenied for anyone
    but a member of the unit and ValidationError (Chinese) for invalid values. Side effects: the
    unit row, an audit entry naming the changed fields.
    """
    require_perm(actor, "applications.manage_unit", unit)
    unit = ApplicantUnit.objects.select_for_update().get(pk=unit.pk)
    changed = [name for name in CONTACT_FIELDS if name in data and getattr(unit, name) != data[name]]
    for name in changed:
        setattr(unit, name, data[name])
    if changed:
        unit.full_clean()
        unit.save(update_fields=changed)
        audit_event(actor=actor, summary="修改单位信息", obj=unit, detail={"fields": changed})
    return unit
