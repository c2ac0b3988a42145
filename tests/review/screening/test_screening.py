"""County first-round screening (clause 4.1): clause judgements and the three decisions."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from applications.enums import ApplicationState
from applications.models import Application, Batch
from applications.workflow.services import application_ensure_editable
from review.screening.enums import JudgementOutcome, RecommendationState, ScreeningDecision
from review.screening.models import ClauseJudgement, Recommendation
from review.screening.selectors import screening_check
from review.screening.services import clause_judge, screening_decide
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification

from .conftest import KEQIAO, judge_all, needs_judgement_keys

pytestmark = pytest.mark.django_db


# --- clause judgements ---------------------------------------------------------------------------


def test_clause_judge_stores_once_and_rejudging_updates_with_audit(client, submitted, hrss):
    # Through the page: the service writes the audit entry, with the request's IP and path.
    application = submitted()
    key = needs_judgement_keys(application)[0]
    client.force_login(hrss)
    url = reverse("review:decide", args=[application.pk])
    client.post(url, {"save_only": "1", f"{key}-outcome": JudgementOutcome.CONFIRMED})
    client.post(
        url,
        {"save_only": "1", f"{key}-outcome": JudgementOutcome.OVERRIDDEN, f"{key}-note": "制度文件未盖章"},
    )
    # Saving the page again without a change does not judge again.
    client.post(
        url,
        {"save_only": "1", f"{key}-outcome": JudgementOutcome.OVERRIDDEN, f"{key}-note": "制度文件未盖章"},
    )
    judgement = ClauseJudgement.objects.get(application=application, key=key)
    assert judgement.outcome == JudgementOutcome.OVERRIDDEN
    assert judgement.note == "制度文件未盖章"
    assert judgement.decided_by == hrss
    assert ClauseJudgement.objects.filter(application=application).count() == 1
    entries = AuditEntry.objects.filter(summary__startswith="条款判断", detail__key=key).order_by("pk")
    assert [entry.detail["outcome"] for entry in entries] == ["confirmed", "overridden"]
    assert entries.last().detail["previous"]["outcome"] == "confirmed"


def test_clause_judge_override_without_note_is_refused(submitted, hrss):
    application = submitted()
    with pytest.raises(ValidationError) as error:
        clause_judge(
            application=application,
            actor=hrss,
            key=needs_judgement_keys(application)[0],
            outcome=JudgementOutcome.OVERRIDDEN,
        )
    assert "说明理由" in str(error.value)
    assert not ClauseJudgement.objects.exists()


def test_clause_judge_refuses_a_criterion_the_auto_check_decided(submitted, hrss):
    application = submitted()
    with pytest.raises(ValidationError, match="无需人工判断"):
        clause_judge(
            application=application, actor=hrss, key="annual_trainees", outcome=JudgementOutcome.CONFIRMED
        )


def test_clause_judge_by_another_county_is_refused(submitted, other_hrss):
    application = submitted()
    with pytest.raises(PermissionDenied):
        clause_judge(
            application=application,
            actor=other_hrss,
            key=needs_judgement_keys(application)[0],
            outcome=JudgementOutcome.CONFIRMED,
        )


def test_judgement_made_before_a_resubmission_must_be_made_again(submitted, hrss):
    application = submitted()
    judge_all(application, hrss)
    assert not screening_check(application).pending_judgements
    Application.objects.filter(pk=application.pk).update(submitted_at=timezone.now() + timedelta(seconds=1))
    application.refresh_from_db()
    check = screening_check(application)
    assert len(check.pending_judgements) == len(needs_judgement_keys(application))
    assert all(row.stale_judgement for row in check.pending_judgements)


# --- decisions: allowed, forbidden, wrong user ---------------------------------------------------


def test_recommend_is_refused_until_every_needs_judgement_criterion_is_judged(submitted, hrss):
    application = submitted()
    keys = needs_judgement_keys(application)
    assert keys, "the complete application declares rules that a reviewer must confirm"
    clause_judge(application=application, actor=hrss, key=keys[0], outcome=JudgementOutcome.CONFIRMED)
    with pytest.raises(ValidationError) as error:
        screening_decide(application=application, actor=hrss, decision=ScreeningDecision.RECOMMEND)
    assert f"还有 {len(keys) - 1} 项“待评审判断”的条件未作出判断" in error.value.messages[0]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_recommend_moves_to_recommended_logs_writes_comment_and_notifies_unit(
    submitted, hrss, unit_member, django_capture_on_commit_callbacks
):
    application = submitted()
    member = unit_member(application)
    judge_all(application, hrss)
    with django_capture_on_commit_callbacks(execute=True):
        screening_decide(
            application=application,
            actor=hrss,
            decision=ScreeningDecision.RECOMMEND,
            reason="条件齐备，同意推荐",
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.RECOMMENDED
    assert application.county_comment == "条件齐备，同意推荐"
    log = StateLog.objects.for_(application).get(transition="recommend")
    assert (log.by, log.description, log.source_state) == (hrss, "条件齐备，同意推荐", "submitted")
    notification = Notification.objects.get(recipient=member)
    assert "推荐为候选单位" in notification.title
    assert notification.url == reverse("applications:detail", args=[application.pk])
    assert any(member.email in message.to for message in mail.outbox)


def test_recommend_without_reason_uses_the_standard_comment(submitted, hrss):
    application = submitted()
    judge_all(application, hrss)
    screening_decide(application=application, actor=hrss, decision=ScreeningDecision.RECOMMEND)
    application.refresh_from_db()
    assert "同意推荐" in application.county_comment


def test_a_unit_judged_not_to_meet_a_condition_cannot_be_recommended_whatever_the_reason(submitted, hrss):
    """The letter certifies that every candidate meets the Measures' conditions, so a failing
    criterion keeps the unit off the list; the county returns or rejects it instead."""
    application = submitted()
    judge_all(application, hrss)
    key = needs_judgement_keys(application)[0]
    clause_judge(
        application=application, actor=hrss, key=key, outcome=JudgementOutcome.OVERRIDDEN, note="制度未建立"
    )
    with pytest.raises(ValidationError) as error:
        screening_decide(
            application=application,
            actor=hrss,
            decision=ScreeningDecision.RECOMMEND,
            reason="经实地核查已整改",
        )
    message = error.value.message_dict["decision"][0]
    assert message.startswith("不能推荐为候选单位：")
    assert screening_check(application).failing[0].label in message
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert not Recommendation.objects.filter(entries__application=application).exists()
    screening_decide(
        application=application,
        actor=hrss,
        decision=ScreeningDecision.RETURN,
        reason="请建立培训管理制度后重新提交",
    )
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_a_unit_failing_an_automatic_check_cannot_be_recommended(submitted, hrss):
    application = submitted()
    judge_all(application, hrss)
    Application.objects.filter(pk=application.pk).update(annual_trainees=1)
    application.refresh_from_db()
    assert any(row.key == "annual_trainees" for row in screening_check(application).failing)
    with pytest.raises(ValidationError) as error:
        screening_decide(application=application, actor=hrss, decision=ScreeningDecision.RECOMMEND)
    assert "不能推荐为候选单位" in error.value.message_dict["decision"][0]


@pytest.mark.parametrize(
    ("decision", "target", "transition"),
    [
        (ScreeningDecision.RETURN, ApplicationState.RETURNED, "return_for_revision"),
        (ScreeningDecision.REJECT, ApplicationState.COUNTY_REJECTED, "county_reject"),
    ],
)
def test_return_and_reject_need_a_reason_shown_to_the_unit(
    submitted, hrss, unit_member, decision, target, transition, django_capture_on_commit_callbacks
):
    application = submitted()
    member = unit_member(application)
    with pytest.raises(ValidationError) as error:
        screening_decide(application=application, actor=hrss, decision=decision, reason="  ")
    assert "须填写理由" in error.value.message_dict["reason"][0]
    with django_capture_on_commit_callbacks(execute=True):
        screening_decide(application=application, actor=hrss, decision=decision, reason="缺少消防验收证明")
    application.refresh_from_db()
    assert application.state == target
    assert application.county_comment == "缺少消防验收证明"
    log = StateLog.objects.for_(application).get(transition=transition)
    assert (log.by, log.description) == (hrss, "缺少消防验收证明")
    assert "缺少消防验收证明" in Notification.objects.get(recipient=member).body


def test_return_reopens_the_form_for_the_unit_until_the_deadline(
    submitted, hrss, unit_member, django_capture_on_commit_callbacks
):
    application = submitted()
    member = unit_member(application)
    with django_capture_on_commit_callbacks(execute=True):
        screening_decide(
            application=application, actor=hrss, decision=ScreeningDecision.RETURN, reason="补充材料"
        )
    application.refresh_from_db()
    assert application.is_editable
    application_ensure_editable(application=application, actor=member)  # does not raise
    notification = Notification.objects.get(recipient=member)
    deadline = timezone.localtime(application.batch.screening_deadline)
    assert f"{deadline:%Y-%m-%d %H:%M} 前修改并重新提交" in notification.body


@pytest.mark.parametrize(
    "state",
    [
        ApplicationState.RETURNED,
        ApplicationState.RECOMMENDED,
        ApplicationState.COUNTY_REJECTED,
        ApplicationState.UNDER_REVIEW,
    ],
)
@pytest.mark.parametrize("decision", ScreeningDecision.values)
def test_decision_from_a_state_other_than_submitted_says_already_handled(submitted, hrss, state, decision):
    application = submitted(state=state)
    with pytest.raises(AlreadyHandled) as handled:
        screening_decide(application=application, actor=hrss, decision=decision, reason="理由")
    assert "已处理" in handled.value.message


def test_deciding_twice_the_second_hears_already_handled(submitted, hrss):
    application = submitted()
    stale_copy = Application.objects.get(pk=application.pk)
    screening_decide(
        application=application, actor=hrss, decision=ScreeningDecision.RETURN, reason="补充材料"
    )
    with pytest.raises(AlreadyHandled, match="该申报已处理"):
        screening_decide(
            application=stale_copy, actor=hrss, decision=ScreeningDecision.REJECT, reason="不符合"
        )
    assert StateLog.objects.for_(application).count() == 1


@pytest.mark.parametrize(
    "role", [Role.COUNTY_FINANCE, Role.CITY_HRSS, Role.APPLICANT, Role.ADMIN, Role.EXPERT]
)
def test_decision_by_a_role_other_than_county_hrss_is_refused(submitted, make_user, role):
    application = submitted()
    actor = make_user(role)
    with pytest.raises(PermissionDenied):
        screening_decide(application=application, actor=actor, decision=ScreeningDecision.RETURN, reason="x")
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_decision_by_hrss_of_another_county_is_refused(submitted, other_hrss):
    application = submitted()
    with pytest.raises(PermissionDenied):
        screening_decide(
            application=application, actor=other_hrss, decision=ScreeningDecision.RETURN, reason="x"
        )


@pytest.mark.parametrize("decision", ScreeningDecision.values)
def test_no_decision_after_the_screening_deadline(submitted, hrss, batch, decision):
    application = submitted()
    judge_all(application, hrss)
    Batch.objects.filter(pk=batch.pk).update(screening_deadline=timezone.now() - timedelta(minutes=1))
    application.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        screening_decide(application=application, actor=hrss, decision=decision, reason="理由")
    assert "区县初审已于" in error.value.messages[0]
    assert "截止" in error.value.messages[0]
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_no_decision_once_the_county_list_went_to_the_city(submitted, hrss, batch):
    application = submitted()
    recommendation = Recommendation.objects.create(batch=batch, region=hrss.region)
    Recommendation.objects.filter(pk=recommendation.pk).update(state=RecommendationState.SUBMITTED_TO_CITY)
    with pytest.raises(ValidationError, match="已报送市人力社保局，初审决定已锁定"):
        screening_decide(application=application, actor=hrss, decision=ScreeningDecision.RETURN, reason="x")


def test_another_county_list_does_not_lock_this_county(submitted, hrss, batch):
    application = submitted()
    from tests.factories import region

    other = Recommendation.objects.create(batch=batch, region=region(KEQIAO))
    Recommendation.objects.filter(pk=other.pk).update(state=RecommendationState.SUBMITTED_TO_CITY)
    screening_decide(application=application, actor=hrss, decision=ScreeningDecision.RETURN, reason="x")


# --- the screening page --------------------------------------------------------------------------


def test_screen_page_shows_application_check_and_evidence_links(client, submitted, hrss):
    application = submitted()
    client.force_login(hrss)
    body = client.get(reverse("review:screen", args=[application.pk])).content.decode()
    assert application.unit.name in body
    assert "条件核验与人工判断" in body
    assert "确认符合" in body
    assert "认定不符合" in body
    attachment = application.attachments.first()
    assert reverse("applications:attachment_download", args=[attachment.pk]) in body
    assert reverse("applications:detail", args=[application.pk]) in body
    assert "剩余" in body  # countdown to the screening deadline


def test_screen_page_of_another_county_is_404(client, submitted, other_hrss):
    application = submitted()
    client.force_login(other_hrss)
    assert client.get(reverse("review:screen", args=[application.pk])).status_code == 404
    response = client.post(
        reverse("review:decide", args=[application.pk]), {"decision": "return", "reason": "x"}
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_screen_page_of_a_draft_is_404(client, batch, hrss):
    from tests.applications.factories import ApplicationFactory

    draft = ApplicationFactory(batch=batch)
    client.force_login(hrss)
    assert client.get(reverse("review:screen", args=[draft.pk])).status_code == 404


def test_save_only_keeps_the_judgements_and_returns_to_the_decision(client, submitted, hrss):
    application = submitted()
    first, second, *_ = needs_judgement_keys(application)
    client.force_login(hrss)
    response = client.post(
        reverse("review:decide", args=[application.pk]),
        {"save_only": "1", f"{first}-outcome": "confirmed", f"{second}-outcome": "confirmed"},
    )
    assert response.status_code == 302
    assert response.url.endswith("#decision")
    assert set(ClauseJudgement.objects.filter(application=application).values_list("key", "outcome")) == {
        (first, "confirmed"),
        (second, "confirmed"),
    }
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_judgements_and_decision_in_one_go(client, submitted, hrss):
    application = submitted()
    data = {f"{key}-outcome": "confirmed" for key in needs_judgement_keys(application)}
    client.force_login(hrss)
    response = client.post(
        reverse("review:decide", args=[application.pk]),
        {**data, "decision": "recommend", "reason": "同意推荐"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.RECOMMENDED
    assert Recommendation.objects.get(entries__application=application).entries.get().opinion == "同意推荐"


def test_override_without_note_rerenders_with_chinese_error_and_saves_nothing(client, submitted, hrss):
    application = submitted()
    first, second, *_ = needs_judgement_keys(application)
    client.force_login(hrss)
    response = client.post(
        reverse("review:decide", args=[application.pk]),
        {
            f"{first}-outcome": "confirmed",
            f"{second}-outcome": "overridden",
            "decision": "return",
            "reason": "我写的退回理由",
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "认定不符合时请说明理由。" in body
    assert "我写的退回理由" in body
    assert not ClauseJudgement.objects.exists()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_decide_view_recommend_without_judgements_keeps_the_typed_reason(client, submitted, hrss):
    application = submitted()
    client.force_login(hrss)
    response = client.post(
        reverse("review:decide", args=[application.pk]), {"decision": "recommend", "reason": "我写的推荐意见"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "未作出判断" in body
    assert "我写的推荐意见" in body
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_decide_view_return_without_reason_shows_error_next_to_field(client, submitted, hrss):
    application = submitted()
    client.force_login(hrss)
    response = client.post(
        reverse("review:decide", args=[application.pk]), {"decision": "return", "reason": ""}
    )
    assert response.status_code == 200
    assert "退回修改须填写理由" in response.content.decode()


def test_decide_view_twice_shows_already_handled_not_500(client, submitted, hrss):
    application = submitted()
    client.force_login(hrss)
    url = reverse("review:decide", args=[application.pk])
    first = client.post(url, {"decision": "reject", "reason": "不符合条件"})
    assert first.status_code == 302
    second = client.post(url, {"decision": "return", "reason": "补充"}, follow=True)
    assert second.status_code == 200
    assert "该申报已处理" in second.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.COUNTY_REJECTED


def test_decide_view_after_deadline_shows_chinese_message(client, submitted, hrss, batch):
    application = submitted()
    Batch.objects.filter(pk=batch.pk).update(screening_deadline=timezone.now() - timedelta(hours=1))
    client.force_login(hrss)
    page = client.get(reverse("review:screen", args=[application.pk])).content.decode()
    assert "初审已截止" in page
    response = client.post(
        reverse("review:decide", args=[application.pk]), {"decision": "return", "reason": "补充"}
    )
    assert response.status_code == 200
    assert "区县初审已于" in response.content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_county_finance_cannot_open_the_screening_page(client, submitted, finance):
    application = submitted()
    client.force_login(finance)
    assert client.get(reverse("review:screen", args=[application.pk])).status_code == 403


def test_returned_application_resubmitted_by_the_unit_comes_back_for_screening(submitted, hrss, unit_member):
    from applications.workflow.services import application_submit

    application = submitted()
    member = unit_member(application)
    judge_all(application, hrss)
    screening_decide(
        application=application, actor=hrss, decision=ScreeningDecision.RETURN, reason="补充材料"
    )
    application.refresh_from_db()
    application_submit(application=application, actor=member)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    # The judgements were made before the resubmission: the reviewer judges the new version again.
    assert screening_check(application).pending_judgements
    with pytest.raises(ValidationError, match="未作出判断"):
        screening_decide(application=application, actor=hrss, decision=ScreeningDecision.RECOMMEND)


# --- the qualitative conditions the Measures name go to the county (三（一）, 三（二）) -----------------

NEW_DECLARATIONS = (
    "management_structure_sound",
    "facilities_meet_needs",
    "trains_for_society",
    "teacher_development_plan",
    "joint_training_with_partners",
    "social_evaluation_capable",
    "supports_skilled_talent",
)


@pytest.mark.parametrize("unit_type", ["college", "enterprise"])
def test_each_qualitative_condition_is_on_the_screening_page_and_blocks_recommending_until_judged(
    client, submitted, hrss, unit_type
):
    from applications.policy import get_policy

    application = submitted(unit_type=unit_type)
    applicable = {criterion.key for criterion in get_policy().criteria_for(unit_type)}
    keys = [key for key in NEW_DECLARATIONS if key in applicable]
    assert len(keys) >= 4, "each unit type has its own qualitative conditions"
    assert set(keys) <= set(needs_judgement_keys(application))
    client.force_login(hrss)
    page = client.get(reverse("review:screen", args=[application.pk])).content.decode()
    for key in keys:
        assert f'data-key="{key}"' in page
        assert f'name="{key}-outcome"' in page  # judged right there, beside its evidence
    for left_out in keys:
        others = [key for key in needs_judgement_keys(application) if key != left_out]
        for key in others:
            clause_judge(application=application, actor=hrss, key=key, outcome=JudgementOutcome.CONFIRMED)
        with pytest.raises(ValidationError, match="还有 1 项"):
            screening_decide(application=application, actor=hrss, decision=ScreeningDecision.RECOMMEND)
        ClauseJudgement.objects.filter(application=application).delete()
    judge_all(application, hrss)
    screening_decide(application=application, actor=hrss, decision=ScreeningDecision.RECOMMEND)
    application.refresh_from_db()
    assert application.state == ApplicationState.RECOMMENDED


def test_a_submitted_verdict_does_not_change_when_the_unit_profile_is_edited(submitted, hrss):
    """Size and sector are facts of the application, frozen at submission; the unit's profile is
    only who the unit is."""
    from applications.models import ApplicantUnit

    application = submitted(unit_type="enterprise")

    def verdict():
        return [
            (row.key, row.result.outcome, row.result.message) for row in screening_check(application).rows
        ]

    before = verdict()
    assert ("size", "pass") in [(key, outcome) for key, outcome, _ in before]
    ApplicantUnit.objects.filter(pk=application.unit_id).update(
        name="改名后的企业", address="另一个地址", contact_person="另一个人"
    )
    application.refresh_from_db()
    assert verdict() == before
