"""Writes of the training bases. Each service checks, locks, writes and audits in one transaction."""

from datetime import datetime

from django.db import transaction

from applications.enums import ApplicationState
from applications.models import Application
from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled

from .models import TrainingBase


def _base_name(application: Application) -> str:
    return f"{application.unit.name}市级高技能人才公共实训基地"


@transaction.atomic
def training_base_create(
    *, application: Application, document_number: str, approved_at: datetime, actor: User | None
) -> TrainingBase:
    """The decision (发文) approved this application: it becomes a training base.

    Called by the decision's issuing service inside its transaction, which has asked its own
    permission (review.issue_decision) and locked the batch; a second call for the same application
    is refused rather than creating a second base."""
    application = Application.objects.select_for_update().select_related("unit").get(pk=application.pk)
    if application.state != ApplicationState.APPROVED:
        raise ValueError(f"application {application.pk} is {application.state}, not approved")
    if TrainingBase.objects.filter(application=application).exists():
        raise AlreadyHandled("该申报已建立实训基地。")
    base = TrainingBase.objects.create(
        application=application,
        unit=application.unit,
        batch_id=application.batch_id,
        region_id=application.unit.region_id,
        name=_base_name(application),
        specialties="、".join(application.specialties.values_list("name", flat=True)),
        document_number=document_number,
        approved_at=approved_at,
    )
    audit_event(actor=actor, summary="建立实训基地", obj=base, detail={"document_number": document_number})
    return base
