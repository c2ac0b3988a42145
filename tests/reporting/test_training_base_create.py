"""A training base is created once, from an approved application, with what was approved."""

import pytest
from django.utils import timezone

from applications.enums import ApplicationState
from reporting.enums import BaseState
from reporting.models import TrainingBase
from reporting.services import training_base_create
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from tests.applications.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def test_an_approved_application_becomes_one_active_base_and_the_creation_is_audited():
    application = ApplicationFactory(state=ApplicationState.APPROVED)
    application.specialties.create(name="数控车工", equipment="数控车床", equipment_value=120)
    approved_at = timezone.now()

    base = training_base_create(
        application=application, document_number="绍市人社发〔2026〕9号", approved_at=approved_at, actor=None
    )

    assert base.state == BaseState.ACTIVE
    assert (base.unit, base.batch, base.region) == (
        application.unit,
        application.batch,
        application.unit.region,
    )
    assert base.specialties == "数控车工"
    assert base.document_number == "绍市人社发〔2026〕9号"
    assert AuditEntry.objects.filter(summary="建立实训基地", object_repr=base.name).exists()
    with pytest.raises(AlreadyHandled):
        training_base_create(
            application=application,
            document_number="绍市人社发〔2026〕9号",
            approved_at=approved_at,
            actor=None,
        )
    assert TrainingBase.objects.count() == 1


def test_an_application_that_was_not_approved_never_becomes_a_base():
    application = ApplicationFactory(state=ApplicationState.IN_PUBLICITY)
    with pytest.raises(ValueError, match="not approved"):
        training_base_create(
            application=application, document_number="x", approved_at=timezone.now(), actor=None
        )
    assert not TrainingBase.objects.exists()
