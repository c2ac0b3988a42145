"""The December timers: each acts exactly once, even when the minute sweep runs twice."""

from datetime import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from reporting.annual.enums import NoticeKind, ReportState
from reporting.annual.models import AnnualReport, AnnualReportingYear, AnnualReportNotice
from reporting.annual.services import annual_reporting_open, annual_reports_sweep
from reporting.enums import BaseState
from reporting.models import TrainingBase
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.tasks import sweep_deadlines
from shaoxing_bases.notifications.models import Notification
from tests.factories import UserFactory, region

from .factories import FULL, base_member, make_base

pytestmark = pytest.mark.django_db


def at(month: int, day: int, hour: int = 0, minute: int = 1, year: int = 2026) -> datetime:
    return timezone.make_aware(datetime(year, month, day, hour, minute))


@pytest.fixture
def bases():
    approved = at(3, 1, year=2025)
    active = make_base(approved_at=approved)
    rectifying = make_base(approved_at=approved, division="330681")
    TrainingBase.objects.filter(pk=rectifying.pk).update(state=BaseState.RECTIFYING)
    exited = make_base(approved_at=approved)
    TrainingBase.objects.filter(pk=exited.pk).update(state=BaseState.EXITED)
    return {"active": active, "rectifying": rectifying, "exited": exited}


@pytest.fixture
def members(bases):
    return {key: base_member(base) for key, base in bases.items()}


@pytest.fixture
def staff():
    return {
        "yuecheng": UserFactory(role=Role.COUNTY_HRSS, region=region("330602")),
        "zhuji": UserFactory(role=Role.COUNTY_HRSS, region=region("330681")),
        "city": UserFactory(role=Role.CITY_HRSS),
    }


def _sweep_twice(moment: datetime) -> int:
    with time_machine.travel(moment, tick=False):
        first = annual_reports_sweep()
        second = annual_reports_sweep()
    assert second == 0, "the second sweep acted again"
    return first


def _titles(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("title", flat=True))


def test_nothing_happens_before_1_december(bases, members):
    assert _sweep_twice(at(11, 30, 23, 59)) == 0
    assert not AnnualReport.objects.exists()


def test_1_december_opens_a_draft_and_a_notice_for_active_and_rectifying_bases_once(bases, members):
    assert _sweep_twice(at(12, 1)) == 2
    reports = AnnualReport.objects.filter(year=2026)
    assert {report.base_id for report in reports} == {bases["active"].pk, bases["rectifying"].pk}
    assert all(report.state == ReportState.DRAFT for report in reports)
    assert AnnualReportingYear.objects.filter(year=2026, opened_by=None).exists()
    assert _titles(members["active"]) == ["请填报2026年度实训基地工作报告"]
    assert _titles(members["exited"]) == []
    assert AnnualReportNotice.objects.filter(kind=NoticeKind.OPENED).count() == 2


def test_the_sweep_task_runs_every_sweeper_and_opens_once(bases, members):
    with time_machine.travel(at(12, 1, 8), tick=False):
        sweep_deadlines()
        sweep_deadlines()
    assert AnnualReport.objects.filter(year=2026).count() == 2
    assert len(_titles(members["active"])) == 1


def test_reminders_on_15_and_25_december_go_to_bases_that_have_not_submitted(bases, members):
    _sweep_twice(at(12, 1))
    submitted = AnnualReport.objects.get(base=bases["rectifying"])
    AnnualReport.objects.filter(pk=submitted.pk).update(state=ReportState.SUBMITTED)

    assert _sweep_twice(at(12, 14, 23, 59)) == 0
    assert _sweep_twice(at(12, 15)) == 1
    assert _sweep_twice(at(12, 24, 12)) == 0
    assert _sweep_twice(at(12, 25)) == 1
    assert _titles(members["active"]).count("2026年度实训基地工作报告尚未提交") == 2
    assert _titles(members["rectifying"]) == ["请填报2026年度实训基地工作报告"]
    kinds = set(
        AnnualReportNotice.objects.filter(report__base=bases["active"]).values_list("kind", flat=True)
    )
    assert kinds == {NoticeKind.OPENED, NoticeKind.REMINDER_1, NoticeKind.REMINDER_2}


def test_a_late_sweep_sends_only_the_latest_reminder(bases, members):
    _sweep_twice(at(12, 1))
    assert _sweep_twice(at(12, 27)) == 2
    assert _titles(members["active"]).count("2026年度实训基地工作报告尚未提交") == 1


def test_1_january_marks_unsubmitted_reports_overdue_and_escalates_once(bases, members, staff):
    _sweep_twice(at(12, 1))
    handed_in = AnnualReport.objects.get(base=bases["rectifying"])
    AnnualReport.objects.filter(pk=handed_in.pk).update(state=ReportState.SUBMITTED)
    assert _sweep_twice(at(12, 31, 23, 59)) == 1  # the 25 December reminder, caught up
    assert not AnnualReport.objects.filter(overdue_at__isnull=False).exists()

    mail.outbox.clear()
    assert _sweep_twice(at(1, 1, 0, 1, year=2027)) == 1
    overdue = AnnualReport.objects.get(overdue_at__isnull=False)
    assert overdue.base == bases["active"]
    assert overdue.state == ReportState.DRAFT
    assert _titles(staff["yuecheng"]) == ["本区县有 1 个实训基地年度报告逾期未报"]
    assert _titles(staff["zhuji"]) == []
    assert _titles(staff["city"]) == ["1 个实训基地年度报告逾期未报"]
    assert "2026年度实训基地工作报告已逾期" in _titles(members["active"])
    assert AnnualReportNotice.objects.filter(kind=NoticeKind.OVERDUE).count() == 1


def test_a_late_window_keeps_the_report_from_being_marked_overdue_until_it_ends(bases, members):
    _sweep_twice(at(12, 1))
    AnnualReport.objects.filter(base=bases["rectifying"]).update(state=ReportState.SUBMITTED)
    AnnualReport.objects.filter(base=bases["active"]).update(late_until=at(1, 10, year=2027))
    assert _sweep_twice(at(1, 1, 0, 1, year=2027)) == 0
    assert _sweep_twice(at(1, 10, 0, 1, year=2027)) == 1


def test_city_opens_by_hand_before_december_and_the_timer_then_does_nothing(bases, members, staff):
    with time_machine.travel(at(11, 20, 10), tick=False):
        assert annual_reporting_open(year=2026, actor=staff["city"]) == 2
        with pytest.raises(AlreadyHandled):
            annual_reporting_open(year=2026, actor=staff["city"])
    assert _sweep_twice(at(12, 1)) == 0
    assert _titles(members["active"]) == ["请填报2026年度实训基地工作报告"]


def test_a_base_recognised_later_is_added_when_the_city_opens_again(bases, members, staff):
    _sweep_twice(at(12, 1))
    late = make_base(approved_at=at(12, 5))
    with time_machine.travel(at(12, 6, 10), tick=False):
        assert annual_reporting_open(year=2026, actor=staff["city"]) == 1
    assert AnnualReport.objects.filter(base=late, year=2026).exists()


def test_only_city_hrss_opens_a_year(bases, staff):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        annual_reporting_open(year=2026, actor=staff["yuecheng"])


def test_submitted_figures_do_not_matter_to_the_timers(bases, members):
    """A draft filled in completely is still a draft: reminded and then overdue."""
    _sweep_twice(at(12, 1))
    AnnualReport.objects.filter(year=2026).update(**FULL)
    assert _sweep_twice(at(12, 15)) == 2


def test_the_city_may_not_open_a_future_year_or_one_whose_window_has_passed(staff):
    from django.core.exceptions import ValidationError

    with time_machine.travel(at(12, 10), tick=False):
        with pytest.raises(ValidationError, match="尚未开始"):
            annual_reporting_open(year=2027, actor=staff["city"])
        with pytest.raises(ValidationError, match="填报期限已过"):
            annual_reporting_open(year=2025, actor=staff["city"])


def test_a_base_recognised_in_december_gets_its_report_on_the_next_sweep(bases, members):
    _sweep_twice(at(12, 1))
    late = make_base(approved_at=at(12, 5))
    member = base_member(late)
    assert _sweep_twice(at(12, 5, 10)) == 1
    assert AnnualReport.objects.filter(base=late, year=2026).exists()
    assert _titles(member) == ["请填报2026年度实训基地工作报告"]
