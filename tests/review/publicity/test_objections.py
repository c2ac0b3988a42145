"""Objections (clause 4.3): filed during the window by the clock, real-name, rate-limited, evidence by
content, one receipt per form; re-examined by city HRSS or a panel expert not conflicted with the
unit; upheld disqualifies the application and tells the unit; dismissed shows the filer the outcome."""

import threading
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from applications.enums import ApplicationState
from review.panels.enums import MemberKind, RecusalReason, SheetState
from review.panels.models import PanelMember, ScoreSheet
from review.publicity.enums import ObjectionState
from review.publicity.models import Objection
from review.publicity.selectors import objection_lookup
from review.publicity.services import (
    objection_assign,
    objection_decide,
    objection_file,
    objection_give_opinion,
    reviewer_choices,
)
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification
from tests.factories import UserFactory

from .conftest import file_objection, objection_input, publish

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def test_a_filed_objection_gets_a_receipt_and_city_hrss_is_told(
    publicity, city_hrss, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        objection = file_objection(publicity)
    assert objection.state == ObjectionState.RECEIVED
    assert objection.receipt_no.startswith("YY")
    assert len(objection.receipt_no) == 16
    assert Notification.objects.filter(recipient=city_hrss, title__contains="公示异议").exists()
    assert AuditEntry.objects.filter(summary="受理异议").exists()


def test_one_second_after_the_window_the_objection_is_refused_naming_the_dates(publicity):
    last_day = publicity.last_day
    with time_machine.travel(publicity.ends_at - timedelta(seconds=1), tick=False):
        assert file_objection(publicity).pk  # the last second of the window is inside
    with (
        time_machine.travel(publicity.ends_at + timedelta(seconds=1), tick=False),
        pytest.raises(ValidationError) as caught,
    ):
        file_objection(publicity)
    message = caught.value.messages[0]
    assert f"{last_day.year}年{last_day.month}月{last_day.day}日24时截止" in message
    assert "公示期为" in message
    assert "至" in message


def test_before_the_window_the_objection_is_refused(db):
    from django.utils import timezone

    publicity = publish(starts_on=timezone.localdate() + timedelta(days=2))
    with pytest.raises(ValidationError, match="尚未开始"):
        file_objection(publicity)


def test_a_fake_pdf_is_refused_beside_the_evidence_field(publicity):
    fake = SimpleUploadedFile("证明.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        objection_file(
            publicity=publicity, data=objection_input(publicity), evidence=fake, client_ip="10.1.1.1"
        )
    assert "不是有效的" in caught.value.message_dict["evidence"][0]
    assert not Objection.objects.exists()


def test_an_oversized_file_is_refused(publicity, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("大文件.pdf", PDF + b"0" * 2048, content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        objection_file(
            publicity=publicity, data=objection_input(publicity), evidence=big, client_ip="10.1.1.2"
        )
    assert "超过" in caught.value.message_dict["evidence"][0]


def test_real_evidence_is_stored_under_a_random_name(publicity):
    good = SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf")
    objection = objection_file(
        publicity=publicity, data=objection_input(publicity), evidence=good, client_ip="10.1.1.3"
    )
    assert objection.evidence_type == "application/pdf"
    assert "台账" not in objection.evidence.name
    assert objection.evidence_name == "台账.pdf"


def test_a_bad_phone_and_short_reasons_are_refused_by_field(publicity):
    with pytest.raises(ValidationError) as caught:
        objection_file(
            publicity=publicity,
            data=objection_input(publicity, phone="12345", reasons="不行"),
            client_ip="10.1.1.4",
        )
    assert set(caught.value.message_dict) == {"phone", "reasons"}


def test_an_application_not_on_the_notice_is_refused(publicity):
    other = publish()
    foreign = other.entries.first()
    with pytest.raises(ValidationError) as caught:
        objection_file(
            publicity=publicity, data=objection_input(publicity, entry_id=foreign.pk), client_ip="10.1.1.5"
        )
    assert "entry" in caught.value.message_dict


def test_a_hundred_objections_from_one_address_are_rate_limited(publicity):
    accepted, refused = 0, 0
    messages: list[str] = []
    for index in range(100):
        try:
            objection_file(
                publicity=publicity,
                data=objection_input(publicity, phone=f"138{index:08d}"),
                client_ip="203.0.113.9",
            )
            accepted += 1
        except ValidationError as error:
            messages.append(error.messages[0])
            refused += 1
    assert accepted == 10
    assert all("过于频繁" in message for message in messages)
    assert refused == 90
    assert Objection.objects.count() == 10


def test_one_phone_is_rate_limited_across_addresses(publicity):
    for index in range(5):
        objection_file(publicity=publicity, data=objection_input(publicity), client_ip=f"198.51.100.{index}")
    with pytest.raises(ValidationError, match="过于频繁"):
        objection_file(publicity=publicity, data=objection_input(publicity), client_ip="198.51.100.99")


def test_the_same_form_posted_twice_files_once(publicity):
    key = str(uuid.uuid4())
    first = objection_file(
        publicity=publicity, data=objection_input(publicity, submission_key=key), client_ip="10.2.0.1"
    )
    with pytest.raises(AlreadyHandled, match=first.receipt_no):
        objection_file(
            publicity=publicity, data=objection_input(publicity, submission_key=key), client_ip="10.2.0.1"
        )
    assert Objection.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_second_filing_racing_the_first_files_once():
    if connection.vendor != "postgresql":
        pytest.skip("the race needs PostgreSQL's row locks and concurrent connections")
    publicity = publish()
    data = objection_input(publicity)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def file():
        try:
            barrier.wait()
            objection_file(publicity=publicity, data=data, client_ip="10.3.0.1")
            outcomes.append("filed")
        except AlreadyHandled:
            outcomes.append("already")
        finally:
            connection.close()

    threads = [threading.Thread(target=file) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already", "filed"]
    assert Objection.objects.filter(submission_key=data.submission_key).count() == 1


def _expert_members(publicity):
    return list(
        PanelMember.objects.filter(panel__batch=publicity.batch, kind=MemberKind.EXPERT).select_related(
            "expert__user"
        )
    )


def test_only_experts_not_conflicted_with_the_unit_may_re_examine(publicity, city_hrss):
    objection = file_objection(publicity)
    members = _expert_members(publicity)
    assert {member.pk for member in reviewer_choices(objection)} == {member.pk for member in members}
    # One expert recused from this application; another works for the unit.
    ScoreSheet.objects.filter(member=members[0], application=objection.entry.application).update(
        state=SheetState.RECUSED, recusal_reason=RecusalReason.BOARD
    )
    members[1].expert.employer_credit_code = objection.entry.application.unit.credit_code
    members[1].expert.save()
    assert [member.pk for member in reviewer_choices(objection)] == [members[2].pk]
    with pytest.raises(ValidationError) as caught:
        objection_assign(objection=objection, actor=city_hrss, reviewer=members[0].expert.user)
    assert "利害关系" in caught.value.message_dict["reviewer"][0]
    assigned = objection_assign(
        objection=objection, actor=city_hrss, reviewer=members[2].expert.user, note="请核实培训台账"
    )
    assert assigned.state == ObjectionState.UNDER_REVIEW
    assert Notification.objects.filter(recipient=members[2].expert.user, title__contains="复核").exists()
    with pytest.raises(AlreadyHandled):
        objection_assign(objection=assigned, actor=city_hrss, reviewer=None)


def test_the_assigned_expert_gives_an_opinion_and_no_one_else(publicity, city_hrss):
    objection = file_objection(publicity)
    member = reviewer_choices(objection)[0]
    objection = objection_assign(objection=objection, actor=city_hrss, reviewer=member.expert.user)
    with pytest.raises(PermissionDenied):
        objection_give_opinion(objection=objection, actor=UserFactory(role=Role.EXPERT), opinion="不成立")
    with pytest.raises(ValidationError):
        objection_give_opinion(objection=objection, actor=member.expert.user, opinion="  ")
    objection = objection_give_opinion(
        objection=objection, actor=member.expert.user, opinion="经查阅台账，异议不成立。"
    )
    assert objection.opinion == "经查阅台账，异议不成立。"


def test_upheld_disqualifies_the_application_and_tells_the_unit(publicity, city_hrss):
    objection = file_objection(publicity)
    objection = objection_assign(objection=objection, actor=city_hrss, reviewer=None)
    findings = "经实地核查，该单位年培训人数与申报材料严重不符，异议成立。"
    objection = objection_decide(objection=objection, actor=city_hrss, upheld=True, findings=findings)
    assert objection.state == ObjectionState.UPHELD
    application = objection.entry.application
    application.refresh_from_db()
    assert application.state == ApplicationState.DISQUALIFIED
    assert Notification.objects.filter(
        recipient__unit_id=application.unit_id, title__contains="取消资格", body__contains=findings
    ).exists()
    assert AuditEntry.objects.filter(summary__contains="异议成立").exists()
    with pytest.raises(AlreadyHandled):
        objection_decide(objection=objection, actor=city_hrss, upheld=False, findings=findings)
    # Another upheld objection against the same unit does not disqualify twice.
    second = objection_assign(objection=file_objection(publicity), actor=city_hrss, reviewer=None)
    objection_decide(objection=second, actor=city_hrss, upheld=True, findings=findings)


def test_dismissed_shows_the_filer_the_outcome_with_the_receipt_and_phone(publicity, city_hrss):
    objection = file_objection(publicity)
    assert objection_lookup(objection.receipt_no, objection.phone).state == ObjectionState.RECEIVED
    assert objection_lookup(objection.receipt_no, "13900139000") is None
    objection = objection_assign(objection=objection, actor=city_hrss, reviewer=None)
    objection_decide(
        objection=objection,
        actor=city_hrss,
        upheld=False,
        findings="经核实，该单位培训台账真实完整，异议不成立。",
    )
    found = objection_lookup(objection.receipt_no.lower(), objection.phone)
    assert found.state == ObjectionState.DISMISSED
    assert "异议不成立" in found.findings
    objection.entry.application.refresh_from_db()
    assert objection.entry.application.state == ApplicationState.IN_PUBLICITY


def test_a_finding_needs_the_review_started_and_reasons(publicity, city_hrss):
    objection = file_objection(publicity)
    with pytest.raises(ValidationError, match="先安排复核"):
        objection_decide(
            objection=objection, actor=city_hrss, upheld=True, findings="经核查异议成立，取消资格。"
        )
    objection = objection_assign(objection=objection, actor=city_hrss, reviewer=None)
    with pytest.raises(ValidationError) as caught:
        objection_decide(objection=objection, actor=city_hrss, upheld=True, findings="成立")
    assert "findings" in caught.value.message_dict


def test_only_city_hrss_assigns_and_decides(publicity):
    objection = file_objection(publicity)
    finance = UserFactory(role=Role.CITY_FINANCE)
    with pytest.raises(PermissionDenied):
        objection_assign(objection=objection, actor=finance, reviewer=None)
    with pytest.raises(PermissionDenied):
        objection_decide(
            objection=objection, actor=finance, upheld=True, findings="经核查异议成立，取消资格。"
        )
