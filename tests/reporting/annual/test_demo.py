"""The demo seeder: nothing without bases; with bases, earlier years received and this year in
every state, all through the services; a second run adds nothing."""

from datetime import datetime

import pytest
import time_machine
from django.utils import timezone

from reporting.annual.demo import seed_demo_annual_reports
from reporting.annual.enums import ReportState
from reporting.annual.models import AnnualReport
from shaoxing_bases.accounts.demo import seed_demo_accounts

from .factories import base_member, make_base

pytestmark = pytest.mark.django_db

NOV_30 = timezone.make_aware(datetime(2026, 11, 30, 10))


def test_without_bases_the_seeder_does_nothing():
    lines = seed_demo_annual_reports()
    assert "暂无实训基地" in lines[0]
    assert not AnnualReport.objects.exists()


@time_machine.travel(NOV_30, tick=False)
def test_with_bases_every_state_is_seeded_through_the_services(django_capture_on_commit_callbacks):
    seed_demo_accounts()
    bases = [make_base(approved_at=timezone.make_aware(datetime(2023, 9, 1))) for _ in range(5)]
    for base in bases:
        base_member(base)
    with django_capture_on_commit_callbacks(execute=True):
        lines = seed_demo_annual_reports()
    assert any("2026年度报告" in line for line in lines)
    current = set(AnnualReport.objects.filter(year=2026).values_list("state", flat=True))
    assert current == {
        ReportState.DRAFT,
        ReportState.SUBMITTED,
        ReportState.RETURNED,
        ReportState.COUNTY_APPROVED,
    }
    for year in (2024, 2025):
        earlier = AnnualReport.objects.filter(year=year)
        assert earlier.filter(state=ReportState.CITY_RECEIVED).count() == 4
        assert earlier.filter(state=ReportState.DRAFT, overdue_at__isnull=False).count() == 1
        assert all(report.archive for report in earlier.filter(state=ReportState.CITY_RECEIVED))
    count = AnnualReport.objects.count()
    assert seed_demo_annual_reports() == []
    assert AnnualReport.objects.count() == count
