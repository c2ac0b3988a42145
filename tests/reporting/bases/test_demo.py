"""The bases' demo seeder: nothing without bases; with them, funding over the years, one base in
rectification and one assessed 合格, all through the services and only once."""

import pytest
from django.utils import timezone

from reporting.bases.demo import seed_bases
from reporting.enums import AssessmentResult, BaseState
from reporting.models import Assessment, FundingRecord
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.demo import demo_seeders
from shaoxing_bases.documents.registry import sample_builders

from .conftest import make_base

pytestmark = pytest.mark.django_db


def test_the_seeder_is_registered_after_the_decision():
    assert [seeder.order for seeder in demo_seeders() if seeder.name == "bases"] == [60]


def test_without_bases_the_seeder_does_nothing():
    assert seed_bases() == []
    assert not FundingRecord.objects.exists()


def test_the_seeder_funds_assesses_and_runs_once(make_user):
    first = make_base(approved_days_ago=800)
    second = make_base(division="330603", approved_days_ago=400)
    for code in ("330602", "330603"):
        make_user(Role.COUNTY_FINANCE, county_code=code, username=f"finance_{code}")
        make_user(Role.COUNTY_HRSS, county_code=code, username=f"hrss_{code}")

    lines = seed_bases()

    years = set(FundingRecord.objects.filter(base=first).values_list("year", flat=True))
    assert years == set(range(timezone.localtime(first.approved_at).year, timezone.localdate().year + 1))
    assert FundingRecord.objects.filter(base=second).exists()
    assert AuditEntry.objects.filter(summary="登记经费支持").count() == FundingRecord.objects.count()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == BaseState.RECTIFYING
    assert Assessment.objects.get(base=second).result == AssessmentResult.PASSED
    assert any("经费支持" in line for line in lines)

    counts = (FundingRecord.objects.count(), Assessment.objects.count())
    assert seed_bases() == []
    assert (FundingRecord.objects.count(), Assessment.objects.count()) == counts


def test_the_exit_notice_is_a_registered_sample():
    builders = {builder.kind: builder for builder in sample_builders()}
    pdf = builders["base_exit_notice"].build()
    assert pdf.startswith(b"%PDF-")
