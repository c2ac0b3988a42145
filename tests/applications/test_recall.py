"""撤回修改 (recall for editing): a submitted application goes back to draft before the submission
deadline, while the county has not decided and its list is not with the city; the unit changes it
and submits again without losing the batch (applications/workflow/services.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django_fsm_log.models import StateLog

from applications.eligibility import NEEDS_JUDGEMENT
from applications.enums import ApplicationState
from applications.workflow.services import (
    application_recall,
    application_recall_refusal,
    application_submit,
    register_submission_guard,
)
from review.screening.enums import JudgementOutcome
from review.screening.selectors import screening_check
from review.screening.services.decisions import clause_judge
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification
from tests.applications.factories import ApplicantUnitFactory, ApplicationFactory, complete_application
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def county_hrss(make_user):
    return make_user(Role.COUNTY_HRSS, "330602", username="yuecheng_recall")


@pytest.fixture
def submitted():
    application = complete_application(ApplicationFactory())
    return application_submit(application=application, actor=application.created_by, confirmed=True)


def _recall_url(application) -> str:
    return reverse("applications:recall", args=[application.pk])


def test_recall_before_the_deadline_reopens_the_form(client, submitted, county_hrss):
    member = submitted.created_by
    client.force_login(member)
    page = client.get(_recall_url(submitted)).content.decode()
    assert "撤回修改后" in page
    assert "本批次的申报资格不受影响" in page
    assert "前重新提交" in page

    response = client.post(_recall_url(submitted))
    assert response.status_code == 302
    assert response.url == reverse("applications:edit_section", args=[submitted.pk, "management"])
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.DRAFT
    # The submission is undone as a whole: the next one sets both times afresh.
    assert submitted.submitted_at is None
    assert submitted.first_submitted_at is None
    log = StateLog.objects.for_(submitted).order_by("pk").last()
    assert (log.transition, log.by, log.source_state) == ("recall", member, ApplicationState.SUBMITTED)
    entry = AuditEntry.objects.filter(summary="撤回修改申报").get()
    assert entry.actor == member
    notice = Notification.objects.get(recipient=county_hrss, title__contains="撤回修改")
    assert "将重新提交" in notice.title
    # The county cannot open a draft: the notice links nowhere.
    assert notice.url == ""
    message = client.get(response.url).content.decode()
    assert "已撤回修改，申报已回到填报中" in message


def test_recalled_application_is_changed_and_submitted_again(client, submitted):
    first = submitted.first_submitted_at
    application_recall(application=submitted, actor=submitted.created_by)
    submitted.refresh_from_db()
    client.force_login(submitted.created_by)
    with time_machine.travel(timedelta(minutes=5)):
        again = application_submit(application=submitted, actor=submitted.created_by, confirmed=True)
    assert again.state == ApplicationState.SUBMITTED
    assert again.first_submitted_at > first
    assert again.submitted_at == again.first_submitted_at
    transitions = [log.transition for log in StateLog.objects.for_(again).order_by("pk")]
    assert transitions == ["submit", "recall", "submit"]


def test_judgements_made_before_the_recall_are_stale_once_resubmitted(submitted, county_hrss):
    rows = screening_check(submitted).rows
    key = next(row.result.key for row in rows if row.result.outcome == NEEDS_JUDGEMENT)
    clause_judge(application=submitted, actor=county_hrss, key=key, outcome=JudgementOutcome.CONFIRMED)
    application_recall(application=submitted, actor=submitted.created_by)
    submitted.refresh_from_db()
    with time_machine.travel(timedelta(minutes=5)):
        application_submit(application=submitted, actor=submitted.created_by, confirmed=True)
    submitted.refresh_from_db()
    row = next(row for row in screening_check(submitted).rows if row.result.key == key)
    assert row.judgement is None
    assert row.stale_judgement is not None


def test_recall_after_the_submission_deadline_is_refused(client, submitted):
    with time_machine.travel(submitted.batch.submission_deadline, tick=False):
        assert "申报已截止" in application_recall_refusal(submitted)
        client.force_login(submitted.created_by)
        page = client.get(_recall_url(submitted)).content.decode()
        assert "申报已截止，已提交的申报不能再撤回修改" in page
        assert 'data-testid="recall-button"' not in page
        response = client.post(_recall_url(submitted))
        assert response.status_code == 200
        assert "申报已截止" in response.content.decode()
        with pytest.raises(ValidationError):
            application_recall(application=submitted, actor=submitted.created_by)
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


def test_recall_is_refused_once_a_guard_refuses_submissions(submitted, only_test_guards):
    register_submission_guard(lambda application: "本区县推荐名单已报送市人力社保局。")
    with pytest.raises(ValidationError) as refused:
        application_recall(application=submitted, actor=submitted.created_by)
    assert "已报送市人力社保局" in refused.value.messages[0]
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


@pytest.mark.parametrize(
    "state",
    [
        ApplicationState.DRAFT,
        ApplicationState.RETURNED,
        ApplicationState.RECOMMENDED,
        ApplicationState.COUNTY_REJECTED,
        ApplicationState.WITHDRAWN,
    ],
)
def test_recall_from_any_other_state_is_already_handled(client, state):
    application = ApplicationFactory(state=state)
    with pytest.raises(AlreadyHandled):
        application_recall(application=application, actor=application.created_by)
    client.force_login(application.created_by)
    response = client.post(_recall_url(application))
    assert response.status_code == 302
    assert "无需撤回修改" in client.get(response.url).content.decode()
    application.refresh_from_db()
    assert application.state == state


def test_recall_by_another_unit_is_404_and_by_staff_403(client, submitted, county_hrss):
    client.force_login(UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory()))
    assert client.post(_recall_url(submitted)).status_code == 404
    client.force_login(county_hrss)
    assert client.post(_recall_url(submitted)).status_code == 403
    with pytest.raises(PermissionDenied):
        application_recall(application=submitted, actor=county_hrss)
    submitted.refresh_from_db()
    assert submitted.state == ApplicationState.SUBMITTED


def test_detail_offers_recall_only_while_it_is_allowed(client, submitted):
    client.force_login(submitted.created_by)
    detail = reverse("applications:detail", args=[submitted.pk])
    assert _recall_url(submitted) in client.get(detail).content.decode()
    with time_machine.travel(submitted.batch.submission_deadline, tick=False):
        assert _recall_url(submitted) not in client.get(detail).content.decode()
