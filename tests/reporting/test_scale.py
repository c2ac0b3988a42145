"""`seed_scale`'s later steps at a tiny factor: the earlier batch's notice and decision, bases on the
approved applications, five years of funding and of annual reports, a verifiable audit trail, and
nothing added by a second run."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from reporting.annual.enums import ReportState
from reporting.models import AnnualReport, FundingRecord, TrainingBase
from review.decisions.enums import DecisionState
from review.decisions.models import Decision, DecisionItem
from review.publicity.enums import ObjectionState, PublicityState
from review.publicity.models import Publicity, PublicityEntry
from shaoxing_bases.audit.integrity import verify_chain
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.scale import demo_batch_years, scale_steps


def test_the_later_steps_run_after_the_review_in_order():
    names = [step.name for step in scale_steps()]
    assert names[names.index("panels") :][:4] == ["panels", "publicity", "decisions", "bases"]


@pytest.mark.django_db
def test_seed_scale_bases_at_a_tiny_factor():
    call_command("seed_scale", "--factor", "0.01")
    this_year = timezone.localdate().year
    bases = TrainingBase.objects.filter(unit__members__username__startswith="scale")
    assert bases.count() == 30  # 3,000 × 0.01
    assert not bases.exclude(application__state=ApplicationState.APPROVED).exists()
    for base in bases.select_related("application", "unit", "batch"):
        assert base.unit_id == base.application.unit_id
        assert base.batch_id == base.application.batch_id
        assert base.region_id == base.unit.region_id
        assert base.name.endswith("市级高技能人才公共实训基地")
        assert base.document_number.startswith("绍市人社发〔")
    # The earlier batch holds the bases' approved applications, not the demo batches' applications.
    earlier = Application.objects.filter(training_base__in=bases).exclude(batch__year__in=demo_batch_years())
    assert earlier.exists()
    assert earlier.filter(batch__year=this_year - 4).count() == earlier.count()
    assert earlier.first().partners.exists() or earlier.first().fund_years.exists()

    # The earlier batch's notice (with a few dismissed objections) and issued decision list them all;
    # its bases carry the decision's number.
    publicity = Publicity.objects.get(batch__year=this_year - 4)
    assert publicity.state == PublicityState.CONCLUDED
    assert publicity.entries.count() == earlier.count()
    assert set(publicity.objections.values_list("state", flat=True)) == {ObjectionState.DISMISSED}
    decision = Decision.objects.get(batch__year=this_year - 4)
    assert decision.state == DecisionState.ISSUED
    assert sorted(decision.items.values_list("application_id", flat=True)) == sorted(
        earlier.values_list("pk", flat=True)
    )
    assert set(bases.filter(batch__year=this_year - 4).values_list("document_number", flat=True)) == {
        decision.document_number
    }
    assert set(bases.filter(batch__year=this_year - 4).values_list("approved_at", flat=True)) == {
        decision.issued_at
    }
    assert AuditEntry.objects.filter(summary="印发认定文件", detail__scale=True).count() == 1

    base = bases.filter(batch__year=this_year - 4).first()
    assert sorted(FundingRecord.objects.filter(base=base).values_list("year", flat=True)) == list(
        range(this_year - 4, this_year + 1)
    )
    reports = AnnualReport.objects.filter(base__in=bases)
    assert sorted(reports.filter(base=base).values_list("year", flat=True)) == list(
        range(this_year - 4, this_year + 1)
    )
    earlier_reports = reports.exclude(year=this_year)
    received = earlier_reports.filter(state=ReportState.CITY_RECEIVED)
    assert received.count() > 0.9 * earlier_reports.count()
    assert not received.filter(city_received_at=None).exists()
    assert not earlier_reports.filter(state=ReportState.DRAFT, overdue_at=None).exists()
    current = set(reports.filter(year=this_year).values_list("state", flat=True))
    assert {ReportState.DRAFT, ReportState.SUBMITTED, ReportState.COUNTY_APPROVED} <= current
    assert not reports.filter(trainees_total__lt=0).exists()
    assert not reports.filter(submitted_at__gt=timezone.now()).exists()

    assert AuditEntry.objects.filter(summary="建立实训基地", detail__scale=True).count() == 30
    submitted = Application.objects.filter(unit__members__username__startswith="scale").exclude(
        submitted_at=None
    )
    assert AuditEntry.objects.filter(summary="提交申报", detail__scale=True).count() == submitted.count()
    assert verify_chain().ok

    def counts():
        return (
            Application.objects.count(),
            TrainingBase.objects.count(),
            AnnualReport.objects.count(),
            FundingRecord.objects.count(),
            AuditEntry.objects.count(),
            PublicityEntry.objects.count(),
            DecisionItem.objects.count(),
        )

    before = counts()
    call_command("seed_scale", "--factor", "0.01", "--skip-demo")
    assert counts() == before
