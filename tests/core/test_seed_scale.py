"""`manage.py seed_scale` at a tiny factor: every step's rows, a verifiable audit trail, idempotence."""

import pytest
from django.core.management import CommandError, call_command

from applications.enums import ApplicationState
from applications.models import ApplicantUnit, Application, Attachment, PartnerEnterprise
from review.screening.models import ClauseJudgement, RecommendationEntry
from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.integrity import verify_chain
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.scale import demo_batch_years, register_scale, scale_steps


@pytest.fixture
def seeded(db):
    call_command("seed_scale", "--factor", "0.01")


def test_seed_scale_registers_the_areas_in_order():
    names = [step.name for step in scale_steps()]
    assert names[:3] == ["applications", "screening", "panels"]


def test_seed_scale_creates_every_row_once_with_a_verifiable_audit_trail(seeded):
    scale_units = ApplicantUnit.objects.filter(members__username__startswith="scale")
    assert scale_units.count() == 50
    scale = Application.objects.filter(unit__members__username__startswith="scale")
    assert scale.filter(batch__year__in=demo_batch_years()).count() == 5 * 21  # five batches of 2,100 × 0.01
    assert scale.filter(state=ApplicationState.DRAFT).exists()
    assert scale.filter(state=ApplicationState.SUBMITTED).exists()
    institution = scale.exclude(unit__unit_type="enterprise").first()
    assert PartnerEnterprise.objects.filter(application=institution).count() == 20
    assert Attachment.objects.filter(application=institution).count() > 20
    assert ClauseJudgement.objects.filter(application__in=scale).exists()
    assert RecommendationEntry.objects.filter(application__in=scale).exists()
    submitted = scale.exclude(submitted_at=None).count()
    assert AuditEntry.objects.filter(summary="提交申报", detail__scale=True).count() == submitted
    assert verify_chain().ok
    assert User.objects.get(username="scale00001").unit is not None

    # A second run adds nothing (one seeding for both checks: seed_demo is the slow part).
    def counts():
        return Application.objects.count(), AuditEntry.objects.count(), ClauseJudgement.objects.count()

    before = counts()
    call_command("seed_scale", "--factor", "0.01", "--skip-demo")
    assert counts() == before


def test_a_later_stage_joins_through_the_registry(db, monkeypatch):
    from shaoxing_bases.core import scale

    monkeypatch.setattr(scale, "_steps", dict(scale._steps))
    seen = []

    @register_scale("later_stage", order=99)
    def _later(factor):
        seen.append(factor)
        return ["后续阶段"]

    call_command("seed_scale", "--factor", "0.5", "--skip-demo", "--only", "later_stage")
    assert seen == [0.5]


@pytest.mark.parametrize("argv", [["--factor", "0"], ["--factor", "11"], ["--only", "nonsense"]])
def test_seed_scale_refuses_bad_options_in_chinese(db, argv):
    with pytest.raises(CommandError, match=r"[\u4e00-\u9fff]"):
        call_command("seed_scale", *argv)
