"""The report's workflow: save, submit (window, thresholds), county review, city receipt."""

from datetime import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from reporting.annual.enums import ReportState
from reporting.annual.services import (
    annual_report_city_decide,
    annual_report_grant_late_window,
    annual_report_review,
    annual_report_section_update,
    annual_report_submit,
)
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification
from tests.factories import UserFactory, region

from .factories import FULL, base_member, make_base, make_report

pytestmark = pytest.mark.django_db

DEC_10 = timezone.make_aware(datetime(2026, 12, 10, 10))
JAN_2 = timezone.make_aware(datetime(2027, 1, 2, 10))


@pytest.fixture
def base():
    return make_base()


@pytest.fixture
def member(base):
    return base_member(base)


@pytest.fixture
def county_hrss():
    return UserFactory(role=Role.COUNTY_HRSS, region=region("330602"))


@pytest.fixture
def city_hrss():
    return UserFactory(role=Role.CITY_HRSS)


def _filled(base, **extra):
    return make_report(base, year=2026, **{**FULL, **extra})


def test_section_save_refuses_negative_figures_with_chinese_errors(base, member):
    report = make_report(base, year=2026)
    with pytest.raises(ValidationError) as error:
        annual_report_section_update(
            report=report, actor=member, section="trainings", values={"trained_teachers": -1}
        )
    assert "不能为负数" in error.value.message_dict["trained_teachers"][0]
    with pytest.raises(ValidationError) as error:
        annual_report_section_update(
            report=report, actor=member, section="funds", values={"funds_equipment": Decimal("-0.01")}
        )
    assert "不能为负数" in error.value.message_dict["funds_equipment"][0]


def test_section_save_refuses_levels_above_the_total(base, member):
    report = make_report(base, year=2026)
    values = {"trainees_total": 100, "trainees_senior_worker": 90, "trainees_technician": 20}
    with pytest.raises(ValidationError) as error:
        annual_report_section_update(report=report, actor=member, section="functions", values=values)
    assert "超过了年度职业培训总人数" in error.value.message_dict["trainees_total"][0]


def test_section_save_writes_and_audits(base, member):
    report = make_report(base, year=2026)
    annual_report_section_update(
        report=report, actor=member, section="trainings", values={"trained_teachers": 12}
    )
    report.refresh_from_db()
    assert report.trained_teachers == 12
    assert AuditEntry.objects.filter(summary__startswith="保存年度报告").exists()


def test_funds_above_received_are_a_warning_not_a_refusal(base, member):
    report = make_report(base, year=2026)
    annual_report_section_update(
        report=report,
        actor=member,
        section="funds",
        values={"funds_received": Decimal("100"), "funds_equipment": Decimal("150")},
    )
    report.refresh_from_db()
    assert report.funds_exceed_received
    report.funds_received = None
    assert not report.funds_exceed_received


def test_another_unit_may_not_edit(base):
    report = make_report(base, year=2026)
    stranger = base_member(make_base())
    with pytest.raises(PermissionDenied):
        annual_report_section_update(report=report, actor=stranger, section="trainings", values={})


@time_machine.travel(DEC_10, tick=False)
def test_submit_inside_the_window_notifies_the_county(base, member, county_hrss):
    report = _filled(base)
    annual_report_submit(report=report, actor=member)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert not report.below_threshold
    assert Notification.objects.filter(recipient=county_hrss, title__contains="提交了2026年度报告").exists()


@time_machine.travel(DEC_10, tick=False)
def test_a_base_below_the_clause_thresholds_is_flagged_exactly_at_the_boundary(base, member):
    report = _filled(base, trainees_total=1499)
    annual_report_submit(report=report, actor=member)
    report.refresh_from_db()
    assert report.below_threshold
    assert "1500" in report.threshold_notes

    other = make_base()
    exact = _filled(
        other,
        evaluations=1500,
        trainees_total=1500,
        trainees_senior_worker=400,
        trainees_technician=0,
        trainees_senior_technician=0,
    )
    annual_report_submit(report=exact, actor=base_member(other))
    exact.refresh_from_db()
    assert not exact.below_threshold, exact.threshold_notes


@time_machine.travel(DEC_10, tick=False)
def test_submit_needs_the_summary_and_the_plan(base, member):
    report = make_report(base, year=2026)
    with pytest.raises(ValidationError, match="工作开展情况"):
        annual_report_submit(report=report, actor=member)


@time_machine.travel(JAN_2, tick=False)
def test_submit_after_the_window_is_refused_unless_the_city_granted_a_late_window(base, member, city_hrss):
    report = _filled(base)
    with pytest.raises(ValidationError, match="填报期限已于 2026年12月31日 截止"):
        annual_report_submit(report=report, actor=member)
    annual_report_grant_late_window(
        report=report, actor=city_hrss, until=timezone.now() + timezone.timedelta(days=7)
    )
    annual_report_submit(report=report, actor=member)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


@time_machine.travel(DEC_10, tick=False)
def test_county_returns_base_resubmits_county_approves_city_receives(
    base, member, county_hrss, city_hrss, django_capture_on_commit_callbacks
):
    report = _filled(base)
    annual_report_submit(report=report, actor=member)
    with pytest.raises(ValidationError):
        annual_report_review(report=report, actor=county_hrss, decision="return", comment="")
    annual_report_review(report=report, actor=county_hrss, decision="return", comment="请补充竞赛情况")
    report.refresh_from_db()
    assert report.state == ReportState.RETURNED
    assert Notification.objects.filter(recipient=member, body__contains="请补充竞赛情况").exists()
    annual_report_section_update(
        report=report, actor=member, section="functions", values={"competitions_held": 2}
    )
    annual_report_submit(report=report, actor=member)
    with django_capture_on_commit_callbacks(execute=True):
        annual_report_review(report=report, actor=county_hrss, decision="approve")
    report.refresh_from_db()
    assert report.state == ReportState.COUNTY_APPROVED
    assert report.archive  # the archive task ran at commit (eager in tests)
    assert report.archive.read().startswith(b"%PDF")
    annual_report_city_decide(report=report, actor=city_hrss, decision="receive")
    report.refresh_from_db()
    assert report.state == ReportState.CITY_RECEIVED
    with pytest.raises(AlreadyHandled):
        annual_report_city_decide(report=report, actor=city_hrss, decision="receive")


@time_machine.travel(DEC_10, tick=False)
def test_city_questions_send_the_report_back_to_the_county(base, member, county_hrss, city_hrss):
    report = _filled(base, state=ReportState.COUNTY_APPROVED)
    with pytest.raises(ValidationError):
        annual_report_city_decide(report=report, actor=city_hrss, decision="query", note="")
    annual_report_city_decide(report=report, actor=city_hrss, decision="query", note="资金数据请核实")
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED
    assert Notification.objects.filter(recipient=county_hrss, body="资金数据请核实").exists()


@pytest.mark.parametrize(
    "state", [ReportState.DRAFT, ReportState.RETURNED, ReportState.COUNTY_APPROVED, ReportState.CITY_RECEIVED]
)
def test_county_review_only_from_submitted(base, county_hrss, state):
    report = _filled(base, state=state)
    with pytest.raises(AlreadyHandled):
        annual_report_review(report=report, actor=county_hrss, decision="approve")


def test_wrong_roles_and_other_counties_are_refused(base, city_hrss):
    report = _filled(base, state=ReportState.SUBMITTED)
    other_county = UserFactory(role=Role.COUNTY_HRSS, region=region("330681"))
    for actor in (other_county, city_hrss, base_member(base)):
        with pytest.raises(PermissionDenied):
            annual_report_review(report=report, actor=actor, decision="approve")
    approved = _filled(make_base(), state=ReportState.COUNTY_APPROVED)
    county_hrss = UserFactory(role=Role.COUNTY_HRSS, region=region("330602"))
    with pytest.raises(PermissionDenied):
        annual_report_city_decide(report=approved, actor=county_hrss, decision="receive")


def test_submitted_reports_cannot_be_edited(base, member):
    report = _filled(base, state=ReportState.SUBMITTED)
    with pytest.raises(AlreadyHandled):
        annual_report_section_update(
            report=report, actor=member, section="trainings", values={"trained_teachers": 1}
        )
