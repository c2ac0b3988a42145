"""Assessments (clause 6.2): 整改 puts a base into rectification with a deadline, a passed follow-up
returns it to active, 退出 is proposed by the county and decided by the city with a numbered notice;
each transition for its allowed and forbidden states and users; the reminders before the deadline."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm_log.models import StateLog

from reporting.assessments.services import (
    AssessmentInput,
    assessment_decide_exit,
    assessment_record,
    deadline_end,
    rectification_reminders_sweep,
)
from reporting.bases.selectors import public_bases
from reporting.enums import AssessmentResult, BaseState, ExitDecision
from reporting.models import Assessment
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification
from tests.applications.factories import pdf_file
from tests.pdf_fonts import assert_pdf_fonts_cover_text

pytestmark = pytest.mark.django_db


def _input(result=AssessmentResult.PASSED, **changes) -> AssessmentInput:
    today = timezone.localdate()
    values = {
        "assessed_on": today,
        "scope": "2025年度建设情况和项目开展情况",
        "findings": "培训规模达标，设备维护记录不全。",
        "result": result,
        "reasons": "",
        "rectification_deadline": None,
    }
    if result == AssessmentResult.RECTIFY:
        values.update(reasons="一个月内补齐设备维护记录。", rectification_deadline=today + timedelta(days=30))
    if result == AssessmentResult.EXIT:
        values.update(reasons="连续两年培训规模不足1500人，整改后仍未达标。")
    values.update(changes)
    return AssessmentInput(**values)


def _rectify(base, actor, **changes):
    return assessment_record(base=base, actor=actor, data=_input(AssessmentResult.RECTIFY, **changes))


def test_rectify_puts_the_base_into_rectification_with_a_deadline(base, county_hrss, unit_member):
    assessment = _rectify(base, county_hrss, reasons="补齐设备维护记录。")
    base.refresh_from_db()
    assert base.state == BaseState.RECTIFYING
    assert assessment.is_open_rectification
    assert assessment.recorded_by_organisation == "越城区人力社保局"
    log = StateLog.objects.for_(base).get()
    assert (log.source_state, log.state, log.by) == (BaseState.ACTIVE, BaseState.RECTIFYING, county_hrss)
    assert "补齐设备维护记录" in log.description
    assert Notification.objects.filter(recipient=unit_member, title__contains="整改").exists()
    assert AuditEntry.objects.filter(summary="登记考核评估（整改）").exists()


def test_a_passed_follow_up_returns_the_base_to_active(base, county_hrss, city_hrss):
    rectification = _rectify(base, county_hrss)
    follow_up = assessment_record(base=base, actor=city_hrss, data=_input())
    base.refresh_from_db()
    rectification.refresh_from_db()
    assert base.state == BaseState.ACTIVE
    assert rectification.rectification_closed_at is not None
    assert follow_up.follow_up_of == rectification
    assert [log.state for log in StateLog.objects.for_(base).order_by("pk")] == [
        BaseState.RECTIFYING,
        BaseState.ACTIVE,
    ]


def test_a_failed_follow_up_opens_a_new_rectification(base, county_hrss):
    first = _rectify(base, county_hrss)
    later = timezone.localdate() + timedelta(days=60)
    second = _rectify(base, county_hrss, rectification_deadline=later)
    first.refresh_from_db()
    base.refresh_from_db()
    assert base.state == BaseState.RECTIFYING
    assert first.rectification_closed_at is not None
    assert second.is_open_rectification
    assert second.follow_up_of == first
    assert Assessment.objects.filter(rectification_closed_at__isnull=True, result="rectify").count() == 1


def test_a_passed_assessment_of_an_active_base_changes_nothing(base, county_hrss):
    assessment_record(base=base, actor=county_hrss, data=_input())
    base.refresh_from_db()
    assert base.state == BaseState.ACTIVE
    assert not StateLog.objects.for_(base).exists()


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"reasons": ""}, "reasons", "整改的理由"),
        ({"rectification_deadline": None}, "rectification_deadline", "请填写整改期限"),
        ({"rectification_deadline": timezone.localdate()}, "rectification_deadline", "晚于今天"),
        ({"assessed_on": timezone.localdate() + timedelta(days=1)}, "assessed_on", "不能晚于今天"),
        ({"scope": "  "}, "scope", "考核范围"),
    ],
)
def test_bad_rectification_input_is_refused_by_field(base, county_hrss, changes, field, message):
    with pytest.raises(ValidationError) as error:
        _rectify(base, county_hrss, **changes)
    assert message in error.value.message_dict[field][0]
    base.refresh_from_db()
    assert base.state == BaseState.ACTIVE
    assert not Assessment.objects.exists()


def test_an_exit_without_reasons_is_refused(base, county_hrss):
    with pytest.raises(ValidationError) as error:
        assessment_record(base=base, actor=county_hrss, data=_input(AssessmentResult.EXIT, reasons=""))
    assert "退出的理由" in error.value.message_dict["reasons"][0]


@pytest.mark.parametrize("who", ["other_county_hrss", "county_finance", "city_finance", "unit_member"])
def test_only_the_bases_county_hrss_or_the_city_may_assess(base, who, request):
    with pytest.raises(PermissionDenied):
        assessment_record(base=base, actor=request.getfixturevalue(who), data=_input())
    assert not Assessment.objects.exists()


def test_evidence_is_stored_and_checked_by_content(base, county_hrss):
    assessment = assessment_record(
        base=base, actor=county_hrss, data=_input(), evidence=pdf_file("考核记录.pdf")
    )
    assert assessment.evidence_content_type == "application/pdf"
    assert assessment.evidence_name == "考核记录.pdf"
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("记录.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as error:
        assessment_record(base=base, actor=county_hrss, data=_input(), evidence=fake)
    assert "不是有效的" in error.value.message_dict["evidence"][0]
    assert Assessment.objects.count() == 1


def test_a_follow_up_cannot_predate_the_rectification(base, county_hrss):
    _rectify(base, county_hrss)
    earlier = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        assessment_record(base=base, actor=county_hrss, data=_input(assessed_on=earlier))
    assert "复查日期不能早于" in error.value.message_dict["assessed_on"][0]


# --- exit ------------------------------------------------------------------------------------------


def _propose_exit(base, actor):
    return assessment_record(base=base, actor=actor, data=_input(AssessmentResult.EXIT))


def test_the_county_proposes_and_the_city_decides_the_exit(base, county_hrss, city_hrss, unit_member):
    _rectify(base, county_hrss)
    proposal = _propose_exit(base, county_hrss)
    base.refresh_from_db()
    assert base.state == BaseState.RECTIFYING  # a proposal moves nothing
    assert proposal.exit_decision == ExitDecision.PROPOSED
    assert Notification.objects.filter(recipient=city_hrss, title__contains="退出建议待决定").exists()
    assert base in public_bases()

    decided = assessment_decide_exit(assessment=proposal, actor=city_hrss, approve=True, comment="")
    base.refresh_from_db()
    assert base.state == BaseState.EXITED
    assert decided.exit_decision == ExitDecision.APPROVED
    year = timezone.localdate().year
    assert decided.exit_document_number == f"绍市人社发〔{year}〕1号"
    assert not Assessment.objects.filter(
        base=base, rectification_closed_at__isnull=True, result="rectify"
    ).exists()
    assert base not in public_bases()
    text = "".join(assert_pdf_fonts_cover_text(decided.exit_notice.read()).text.split())
    assert decided.exit_document_number in text
    assert base.unit.name in text
    assert "退出" in text
    assert Notification.objects.filter(recipient=unit_member, title__contains="已退出").exists()
    with pytest.raises(AlreadyHandled):
        assessment_decide_exit(assessment=proposal, actor=city_hrss, approve=True)
    with pytest.raises(AlreadyHandled):
        assessment_record(base=base, actor=city_hrss, data=_input())


def test_county_staff_deciding_an_exit_is_refused(base, county_hrss):
    proposal = _propose_exit(base, county_hrss)
    with pytest.raises(PermissionDenied):
        assessment_decide_exit(assessment=proposal, actor=county_hrss, approve=True)
    base.refresh_from_db()
    assert base.state == BaseState.ACTIVE


def test_refusing_an_exit_needs_reasons_and_keeps_the_base(base, county_hrss, city_hrss):
    proposal = _propose_exit(base, county_hrss)
    with pytest.raises(ValidationError) as error:
        assessment_decide_exit(assessment=proposal, actor=city_hrss, approve=False, comment=" ")
    assert "comment" in error.value.message_dict
    decided = assessment_decide_exit(
        assessment=proposal, actor=city_hrss, approve=False, comment="整改已见成效，继续观察。"
    )
    base.refresh_from_db()
    assert base.state == BaseState.ACTIVE
    assert decided.exit_decision == ExitDecision.REJECTED
    assert not decided.exit_notice
    assert not decided.exit_document_number


def test_a_second_exit_proposal_waits_for_the_first(base, county_hrss, city_hrss):
    _propose_exit(base, county_hrss)
    with pytest.raises(ValidationError) as error:
        _propose_exit(base, city_hrss)
    assert "待市人力社保局决定" in error.value.message_dict["result"][0]


def test_exit_numbers_are_gap_free(city_hrss, county_hrss):
    from .conftest import make_base

    numbers = []
    for _ in range(2):
        base = make_base()
        proposal = _propose_exit(base, county_hrss)
        numbers.append(
            assessment_decide_exit(assessment=proposal, actor=city_hrss, approve=True).exit_document_number
        )
    year = timezone.localdate().year
    assert numbers == [f"绍市人社发〔{year}〕1号", f"绍市人社发〔{year}〕2号"]


# --- reminders before the deadline -----------------------------------------------------------------


def test_reminders_go_out_once_each_and_the_overdue_notice_once(base, county_hrss, city_hrss, unit_member):
    deadline = timezone.localdate() + timedelta(days=20)
    assessment = _rectify(base, county_hrss, rectification_deadline=deadline)
    end = deadline_end(deadline)

    def titles():
        return list(
            Notification.objects.filter(recipient=unit_member, title__contains="届满").values_list(
                "title", flat=True
            )
        )

    assert rectification_reminders_sweep(end - timedelta(days=8)) == 0
    assert rectification_reminders_sweep(end - timedelta(days=7)) == 1
    assert rectification_reminders_sweep(end - timedelta(days=7)) == 0  # the second sweep sends nothing
    assert rectification_reminders_sweep(end - timedelta(days=2)) == 0
    assert rectification_reminders_sweep(end - timedelta(hours=23)) == 1
    assert rectification_reminders_sweep(end - timedelta(hours=1)) == 0
    assert len(titles()) == 2
    assert rectification_reminders_sweep(end) == 1
    assert rectification_reminders_sweep(end + timedelta(days=1)) == 0
    assessment.refresh_from_db()
    assert assessment.reminders_sent == 2
    assert assessment.overdue_notified_at is not None
    assert Notification.objects.filter(recipient=city_hrss, title__contains="整改期限已到").count() == 1


def test_a_late_sweep_sends_only_the_latest_reminder(base, county_hrss, unit_member):
    deadline = timezone.localdate() + timedelta(days=20)
    _rectify(base, county_hrss, rectification_deadline=deadline)
    assert rectification_reminders_sweep(deadline_end(deadline) - timedelta(hours=12)) == 1
    assert rectification_reminders_sweep(deadline_end(deadline) - timedelta(hours=11)) == 0


def test_a_closed_rectification_gets_no_reminder(base, county_hrss):
    deadline = timezone.localdate() + timedelta(days=20)
    _rectify(base, county_hrss, rectification_deadline=deadline)
    assessment_record(base=base, actor=county_hrss, data=_input())
    assert rectification_reminders_sweep(deadline_end(deadline) - timedelta(days=1)) == 0
    assert rectification_reminders_sweep(deadline_end(deadline)) == 0


def test_the_deadline_is_the_end_of_the_day_in_shanghai():
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False):
        end = deadline_end(timezone.localdate() + timedelta(days=9))
    assert timezone.localtime(end).isoformat() == "2026-03-11T00:00:00+08:00"


def test_the_reminders_run_in_the_minute_sweep(base, county_hrss):
    from shaoxing_bases.core.tasks import DEADLINE_SWEEPERS, sweep_deadlines

    assert rectification_reminders_sweep in DEADLINE_SWEEPERS
    deadline = timezone.localdate() + timedelta(days=1)
    _rectify(base, county_hrss, rectification_deadline=deadline)
    with time_machine.travel(deadline_end(deadline) - timedelta(hours=2), tick=False):
        assert sweep_deadlines() >= 1
        assert sweep_deadlines() == 0
