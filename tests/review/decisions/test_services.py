"""Drafting, co-signing, declining and issuing the decision (clause 4.3), with the refusals."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django_fsm_log.models import StateLog

from applications.batches import services as batch_services
from applications.enums import ApplicationState, BatchState
from applications.models import Application
from reporting.models import TrainingBase
from review.decisions import effects
from review.decisions.enums import DecisionState
from review.decisions.models import ApprovalLetter, DecisionItem, OutboxMessage
from review.decisions.services import (
    decision_cosign,
    decision_decline,
    decision_draft_save,
    decision_issue,
    decision_outbox_release,
)
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.documents.models import DocumentNumberSequence
from shaoxing_bases.notifications.models import Notification
from tests.applications.factories import UserFactory

from .conftest import cosigned, draft, make_publicity_batch

pytestmark = pytest.mark.django_db


def test_draft_is_prefilled_from_the_measures(batch, city_hrss, today):
    decision = draft(batch, city_hrss)
    assert decision.state == DecisionState.DRAFT
    assert "绍市人社发〔2022〕47号" in decision.body
    assert decision.title.startswith("绍兴市人力资源和社会保障局 绍兴市财政局关于公布")
    assert decision.decision_date == today


def test_draft_before_publicity_is_refused(city_hrss, today):
    from tests.review.panels.conftest import make_review_batch

    batch = make_review_batch()
    with pytest.raises(AlreadyHandled, match="公示后才能起草"):
        decision_draft_save(batch=batch, actor=city_hrss, title="标题", body="正文", decision_date=today)


def test_draft_with_empty_text_is_refused_field_by_field(batch, city_hrss):
    with pytest.raises(ValidationError) as error:
        decision_draft_save(batch=batch, actor=city_hrss, title=" ", body="\n", decision_date=None)
    assert set(error.value.message_dict) == {"title", "body", "decision_date"}


def test_finance_cannot_draft_and_hrss_cannot_cosign(batch, city_hrss, city_finance, today):
    with pytest.raises(PermissionDenied):
        decision_draft_save(batch=batch, actor=city_finance, title="标题", body="正文", decision_date=today)
    decision = draft(batch, city_hrss)
    with pytest.raises(PermissionDenied):
        decision_cosign(decision=decision, actor=city_hrss)
    county_finance = UserFactory(role=Role.COUNTY_FINANCE)
    with pytest.raises(PermissionDenied):
        decision_cosign(decision=decision, actor=county_finance)


def test_cosign_keeps_the_list_and_locks_the_text(batch, city_hrss, city_finance, today):
    decision = cosigned(batch, city_hrss, city_finance)
    assert decision.state == DecisionState.COSIGNED
    assert decision.cosigned_by == city_finance
    assert sorted(decision.cosigned_list) == sorted(
        Application.objects.filter(batch=batch).values_list("pk", flat=True)
    )
    with pytest.raises(AlreadyHandled, match="已会签"):
        decision_draft_save(batch=batch, actor=city_hrss, title="改", body="改", decision_date=today)
    with pytest.raises(AlreadyHandled):
        decision_cosign(decision=decision, actor=city_finance)


def test_decline_needs_a_reason_and_returns_the_draft(batch, city_hrss, city_finance):
    decision = cosigned(batch, city_hrss, city_finance)
    with pytest.raises(ValidationError, match="请填写退回理由"):
        decision_decline(decision=decision, actor=city_finance, reason="  ")
    decision = decision_decline(decision=decision, actor=city_finance, reason="请补充资金安排的表述。")
    assert decision.state == DecisionState.DRAFT
    assert decision.cosigned_by is None
    assert decision.cosigned_list == []
    assert decision.declined_reason == "请补充资金安排的表述。"
    assert Notification.objects.filter(recipient=city_hrss, title__contains="退回").exists()


def test_issue_before_cosign_is_refused(batch, city_hrss):
    decision = draft(batch, city_hrss)
    with pytest.raises(AlreadyHandled, match="会签后才能印发"):
        decision_issue(decision=decision, actor=city_hrss)


def test_issue_approves_numbers_creates_bases_and_concludes(
    batch, city_hrss, city_finance, today, django_capture_on_commit_callbacks
):
    decision = cosigned(batch, city_hrss, city_finance)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_issue(decision=decision, actor=city_hrss)

    assert decision.state == DecisionState.ISSUED
    assert decision.document_number == f"绍市人社发〔{today.year}〕1号"
    batch.refresh_from_db()
    assert batch.state == BatchState.CONCLUDED
    applications = Application.objects.filter(batch=batch)
    assert set(applications.values_list("state", flat=True)) == {ApplicationState.APPROVED}
    assert TrainingBase.objects.filter(batch=batch, document_number=decision.document_number).count() == 3
    assert DecisionItem.objects.filter(decision=decision).count() == 3
    letters = ApprovalLetter.objects.filter(decision=decision)
    expected = [f"绍市人社函〔{today.year}〕{n}号" for n in (1, 2, 3)]
    assert sorted(letters.values_list("number", flat=True)) == expected
    # The render tasks ran (eager) after the commit: one notice, one letter each.
    decision.refresh_from_db()
    assert decision.pdf
    assert decision.pdf_sha256
    assert all(letter.pdf for letter in letters)
    assert AuditEntry.objects.filter(summary="印发认定文件").count() == 1
    # Notifications are held, not sent.
    assert OutboxMessage.objects.filter(decision=decision, released_at__isnull=True).count() == 3 + 3
    unit_user = applications.first().created_by
    # Held in the outbox until released (the unit heard only of the publicity so far).
    assert not Notification.objects.filter(recipient=unit_user, title__contains="已被认定").exists()


def test_issue_twice_gives_one_number_and_one_set_of_bases(batch, city_hrss, city_finance):
    decision = decision_issue(decision=cosigned(batch, city_hrss, city_finance), actor=city_hrss)
    with pytest.raises(AlreadyHandled, match="不能重复发文"):
        decision_issue(decision=decision, actor=city_hrss)
    assert TrainingBase.objects.filter(batch=batch).count() == 3
    assert DocumentNumberSequence.objects.get(prefix="绍市人社发").last == 1
    assert StateLog.objects.for_(decision).filter(transition="issue").count() == 1


def test_issue_refused_by_a_readiness_rule_of_the_publicity_stage(
    batch, city_hrss, city_finance, monkeypatch
):
    """The publicity stage registers its rules on ``conclude``; a fake one stands in for it here."""
    blocker = "公示期尚未结束（2026-10-08 24:00 结束）"
    monkeypatch.setitem(batch_services._readiness, "conclude", [lambda batch, now: [blocker]])
    decision = cosigned(batch, city_hrss, city_finance)
    with pytest.raises(AlreadyHandled, match="公示期尚未结束"):
        decision_issue(decision=decision, actor=city_hrss)
    decision.refresh_from_db()
    assert decision.state == DecisionState.COSIGNED
    assert decision.document_number == ""
    assert not TrainingBase.objects.filter(batch=batch).exists()
    assert not DocumentNumberSequence.objects.filter(prefix="绍市人社发", last__gt=0).exists()


def test_issue_with_an_empty_list_is_refused(city_hrss, city_finance):
    batch = make_publicity_batch(applications=1)
    decision = draft(batch, city_hrss)
    application = Application.objects.get(batch=batch)
    application.disqualify()
    application.save()
    with pytest.raises(ValidationError, match="没有公示中的拟认定单位"):
        decision_cosign(decision=decision, actor=city_finance)


def test_a_list_changed_after_cosign_cannot_be_issued(batch, city_hrss, city_finance):
    decision = cosigned(batch, city_hrss, city_finance)
    application = Application.objects.filter(batch=batch).first()
    application.disqualify()
    application.save()
    with pytest.raises(ValidationError, match="会签后发生了变化"):
        decision_issue(decision=decision, actor=city_hrss)
    assert not TrainingBase.objects.filter(batch=batch).exists()


def test_a_failing_approval_effect_rolls_everything_back(batch, city_hrss, city_finance, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("reporting is down")

    monkeypatch.setattr(effects, "_effects", [*effects._effects, broken])
    decision = cosigned(batch, city_hrss, city_finance)
    with pytest.raises(RuntimeError):
        decision_issue(decision=decision, actor=city_hrss)
    batch.refresh_from_db()
    assert batch.state == BatchState.PUBLICITY
    assert not Application.objects.filter(batch=batch, state=ApplicationState.APPROVED).exists()
    assert not TrainingBase.objects.exists()


def test_the_effect_receives_the_number_and_the_time(batch, city_hrss, city_finance, monkeypatch):
    calls = []
    monkeypatch.setattr(effects, "_effects", [*effects._effects, lambda **kwargs: calls.append(kwargs)])
    decision = decision_issue(decision=cosigned(batch, city_hrss, city_finance), actor=city_hrss)
    assert len(calls) == 3
    assert {call["document_number"] for call in calls} == {decision.document_number}
    assert all(call["application"].state == ApplicationState.APPROVED for call in calls)
    assert all(call["approved_at"] == decision.issued_at and call["actor"] == city_hrss for call in calls)


def test_reporting_registers_the_training_base_effect():
    from reporting.services import training_base_create

    assert training_base_create in effects.approval_effects()


def test_release_sends_the_held_messages_once(batch, city_hrss, city_finance, make_user):
    decision = decision_issue(decision=cosigned(batch, city_hrss, city_finance), actor=city_hrss)
    county = make_user(Role.COUNTY_HRSS, county_code="330602", username="yc_hrss_decision")
    count = decision_outbox_release(decision=decision, actor=city_finance)
    assert count == 6
    unit_users = [application.created_by for application in Application.objects.filter(batch=batch)]
    for user in unit_users:
        assert Notification.objects.filter(recipient=user, title__contains="已被认定").count() == 1
    assert Notification.objects.filter(recipient=county, title__contains="认定结果").count() == 1
    with pytest.raises(AlreadyHandled, match="没有待发送的通知"):
        decision_outbox_release(decision=decision, actor=city_hrss)
    assert Notification.objects.filter(recipient=unit_users[0], title__contains="已被认定").count() == 1


def test_release_by_a_unit_is_refused(batch, city_hrss, city_finance):
    decision = decision_issue(decision=cosigned(batch, city_hrss, city_finance), actor=city_hrss)
    unit_user = Application.objects.filter(batch=batch).first().created_by
    with pytest.raises(PermissionDenied):
        decision_outbox_release(decision=decision, actor=unit_user)


def test_finance_hears_of_a_new_draft_and_of_one_revised_after_sending_back(batch, city_hrss, city_finance):
    decision = draft(batch, city_hrss)
    assert Notification.objects.filter(recipient=city_finance, body__contains="已起草").count() == 1
    decision_decline(decision=decision, actor=city_finance, reason="请修改。")
    draft(batch, city_hrss)
    assert Notification.objects.filter(recipient=city_finance, body__contains="重新审核会签").count() == 1
