"""When an application may be submitted or changed: the batch, the clock and the submission guards
other areas register (applications/workflow/services.py), as the service enforces it and the pages show it."""

from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from applications.enums import ApplicationState, AttachmentSection, BatchState
from applications.form.services import attachment_upload
from applications.models import Application, Batch
from applications.workflow.dashboard import next_action
from applications.workflow.services import (
    application_ensure_editable,
    application_submit,
    register_submission_guard,
    unregister_submission_guard,
)
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification
from tests.applications.factories import (
    ApplicantUnitFactory,
    ApplicationFactory,
    BatchFactory,
    complete_application,
    pdf_file,
)
from tests.applications.test_form import MANAGEMENT, section_url
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CLOSED = "本区县推荐名单已报送市人力社保局，不能再提交或重新提交申报。"


@pytest.fixture
def county_hrss(make_user):
    return make_user(Role.COUNTY_HRSS, "330602", username="yuecheng_hrss")


@pytest.fixture
def closed_for(db):
    """closed_for(application): a dummy guard refusing that application, registered for the test."""
    refused: set[int] = set()

    def guard(application) -> str:
        return CLOSED if application.pk in refused else ""

    register_submission_guard(guard)

    def close(application):
        refused.add(application.pk)
        return application

    yield close
    unregister_submission_guard(guard)


def _returned(application, county_user):
    application_submit(application=application, actor=application.created_by)
    application = Application.objects.get(pk=application.pk)
    application.return_for_revision(by=county_user, description="请补充材料。")
    application.save()
    return application


# --- 1. submission guards and the batch's state --------------------------------------------------


def test_a_guard_refuses_the_first_submission(client, closed_for):
    application = closed_for(complete_application(ApplicationFactory()))
    with pytest.raises(ValidationError) as refused:
        application_submit(application=application, actor=application.created_by)
    assert refused.value.code == "closed"
    assert refused.value.messages == [CLOSED]

    url = reverse("applications:submit", args=[application.pk])
    client.force_login(application.created_by)
    page = client.get(url).content.decode()
    assert CLOSED in page
    assert 'data-testid="submit-button"' not in page
    assert CLOSED in client.post(url).content.decode()
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_a_guard_refuses_the_resubmission(closed_for, county_hrss):
    application = _returned(complete_application(ApplicationFactory()), county_hrss)
    closed_for(application)
    with pytest.raises(ValidationError, match="推荐名单已报送"):
        application_submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_an_unregistered_guard_no_longer_refuses(closed_for):
    application = complete_application(ApplicationFactory())
    guard_refusing_everything = register_submission_guard(lambda application: CLOSED)
    unregister_submission_guard(guard_refusing_everything)
    application_submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_a_guard_hides_the_submit_button_on_the_detail_page_and_says_why(client, closed_for):
    application = closed_for(complete_application(ApplicationFactory()))
    client.force_login(application.created_by)
    response = client.get(reverse("applications:detail", args=[application.pk]))
    body = response.content.decode()
    assert response.context["can_submit"] is False
    assert reverse("applications:submit", args=[application.pk]) not in body
    assert CLOSED in body


def test_a_guard_is_the_next_action_of_the_unit_list(closed_for):
    application = closed_for(ApplicationFactory())
    action = next_action(application)
    assert (action.label, action.url) == (CLOSED, "")


@pytest.mark.parametrize("state", [BatchState.EXPERT_REVIEW, BatchState.PUBLICITY, BatchState.CONCLUDED])
def test_resubmission_refused_once_the_batch_has_left_county_screening(county_hrss, state):
    application = _returned(complete_application(ApplicationFactory()), county_hrss)
    Batch.objects.filter(pk=application.batch_id).update(state=state)  # screening deadline still ahead
    application = Application.objects.get(pk=application.pk)
    with pytest.raises(ValidationError, match="区县初审已结束，不能再重新提交") as refused:
        application_submit(application=application, actor=application.created_by)
    assert refused.value.code == "closed"
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


@pytest.mark.parametrize("state", [BatchState.OPEN, BatchState.SCREENING])
def test_resubmission_allowed_while_the_batch_is_open_or_in_screening(county_hrss, state):
    application = _returned(complete_application(ApplicationFactory()), county_hrss)
    Batch.objects.filter(pk=application.batch_id).update(state=state)
    application_submit(application=Application.objects.get(pk=application.pk), actor=application.created_by)
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


@pytest.mark.parametrize("rows", [1, 5])
def test_a_guard_answering_for_many_keeps_the_list_query_count_fixed(
    client, django_assert_num_queries, only_test_guards, rows
):
    """A guard registered with `many=` costs the unit's list one query, whatever its rows."""
    asked: list[int] = []

    def one(application) -> str:
        Batch.objects.filter(pk=application.batch_id).exists()  # its one query
        return ""

    def many(applications) -> dict[int, str]:
        asked.append(len(applications))
        Batch.objects.filter(pk__in=[a.batch_id for a in applications]).exists()
        return {}

    register_submission_guard(one, many=many)
    unit = ApplicantUnitFactory()
    member = UserFactory(role=Role.APPLICANT, unit=unit)
    for _ in range(rows):
        ApplicationFactory(unit=unit, created_by=member)
    client.force_login(member)
    client.get(reverse("applications:my_applications"))  # warm up: the idle timer's first stamp
    # session, user, unit, applications, open batches, unread count + the guard's one query
    with django_assert_num_queries(7):
        client.get(reverse("applications:my_applications"))
    assert asked[-1:] == ([rows] if rows > 1 else [])


# --- 3. the message of each state, and the windows of drafts and returned applications ----------


def test_a_draft_cannot_be_changed_once_submissions_have_closed(client):
    application = ApplicationFactory()
    detail = reverse("applications:detail", args=[application.pk])
    with time_machine.travel(application.batch.submission_deadline, tick=False):
        client.force_login(application.created_by)
        response = client.get(section_url(application, "management"))
        assert (response.status_code, response.url) == (302, detail)
        response = client.post(section_url(application, "management"), MANAGEMENT, follow=True)
        assert "申报已截止，本申报不能再修改或上传材料" in response.content.decode()
        with pytest.raises(AlreadyHandled, match="申报已截止"):
            attachment_upload(
                application=application,
                actor=application.created_by,
                section=AttachmentSection.TRAINING_RULES,
                uploaded=pdf_file(),
            )
        # Viewing stays allowed, without the edit button.
        page = client.get(detail)
        assert page.status_code == 200
        assert page.context["can_edit"] is False
    application.refresh_from_db()
    assert not application.has_training_rules
    assert not application.attachments.exists()


def test_a_draft_can_be_changed_until_the_deadline(client):
    application = ApplicationFactory()
    with time_machine.travel(application.batch.submission_deadline - timedelta(minutes=1), tick=False):
        application_ensure_editable(application=application, actor=application.created_by)
        client.force_login(application.created_by)
        assert client.post(section_url(application, "management"), MANAGEMENT).status_code == 302
    application.refresh_from_db()
    assert application.has_training_rules


def test_a_returned_application_cannot_be_changed_after_the_screening_deadline(client, county_hrss):
    application = _returned(complete_application(ApplicationFactory()), county_hrss)
    with time_machine.travel(application.batch.screening_deadline, tick=False):
        client.force_login(application.created_by)
        data = {**MANAGEMENT, "organisation_description": "改过的说明"}
        response = client.post(section_url(application, "management"), data, follow=True)
        assert "区县初审已截止，退回的申报不能再修改或上传材料" in response.content.decode()
        assert client.get(reverse("applications:detail", args=[application.pk])).context["can_edit"] is False
    application.refresh_from_db()
    assert application.organisation_description != "改过的说明"


def test_a_returned_application_can_be_changed_before_the_screening_deadline(client, county_hrss):
    application = _returned(complete_application(ApplicationFactory()), county_hrss)
    with time_machine.travel(application.batch.screening_deadline - timedelta(minutes=1), tick=False):
        client.force_login(application.created_by)
        data = {**MANAGEMENT, "organisation_description": "改过的说明"}
        assert client.post(section_url(application, "management"), data).status_code == 302
    application.refresh_from_db()
    assert application.organisation_description == "改过的说明"


@pytest.mark.parametrize(
    ("state", "message"),
    [
        (ApplicationState.SUBMITTED, "申报已提交，不能再修改；请等待区县初审"),
        (ApplicationState.WITHDRAWN, "本单位已放弃本批次申报，不能再修改。"),
        (ApplicationState.RECOMMENDED, "申报已进入后续程序（区县已推荐），不能再修改。"),
        (ApplicationState.APPROVED, "申报已进入后续程序（已认定），不能再修改。"),
    ],
)
def test_ensure_editable_says_why_for_each_state(state, message):
    application = ApplicationFactory(state=state)
    with pytest.raises(AlreadyHandled) as refused:
        application_ensure_editable(application=application, actor=application.created_by)
    assert refused.value.message.startswith(message)
    assert "撤回后重新申报" not in refused.value.message


# --- 7. the county is told inside the submission's transaction ---------------------------------


def test_the_county_notice_is_written_with_the_submission(county_hrss):
    application = complete_application(ApplicationFactory())
    application_submit(application=application, actor=application.created_by)
    # No on_commit callback has run (the test's transaction never commits): the notice is there.
    assert Notification.objects.filter(recipient=county_hrss, title__contains="已提交").exists()


def test_a_failing_notice_rolls_the_submission_back(monkeypatch, django_capture_on_commit_callbacks):
    application = complete_application(ApplicationFactory())

    def broken_notify(**kwargs):
        raise RuntimeError("inbox unavailable")

    monkeypatch.setattr("applications.workflow.services.notify", broken_notify)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        application_submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT
    assert application.submitted_at is None
    assert not StateLog.objects.for_(application).exists()


# --- 9. the first submission is kept ---------------------------------------------------------


def test_resubmission_keeps_the_first_submission_time(client, county_hrss):
    application = complete_application(ApplicationFactory())
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        application = _returned(application, county_hrss)
    with time_machine.travel(start + timedelta(days=2), tick=False):
        application_submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.first_submitted_at == start
    assert application.submitted_at == start + timedelta(days=2)

    client.force_login(application.created_by)
    body = client.get(reverse("applications:detail", args=[application.pk])).content.decode()
    first = timezone.localtime(start).strftime("%Y-%m-%d %H:%M")
    latest = timezone.localtime(start + timedelta(days=2)).strftime("%Y-%m-%d %H:%M")
    assert f'data-testid="first-submitted-at">{first}<' in body
    assert f'data-testid="submitted-at">{latest}<' in body
    assert "首次提交时间" in body


def test_first_submission_sets_both_times():
    application = complete_application(ApplicationFactory())
    application_submit(application=application, actor=application.created_by)
    application.refresh_from_db()
    assert application.first_submitted_at == application.submitted_at is not None


def test_the_migration_backfills_the_first_submission_from_the_log():
    migration = import_module("applications.migrations.0002_application_first_submitted_at")
    now = timezone.now()
    logged = ApplicationFactory(batch=BatchFactory(state=BatchState.OPEN))
    Application.objects.filter(pk=logged.pk).update(state=ApplicationState.SUBMITTED, submitted_at=now)
    StateLog.objects.create(
        content_type=ContentType.objects.get_for_model(Application),
        object_id=logged.pk,
        transition="submit",
        source_state=ApplicationState.DRAFT,
        state=ApplicationState.SUBMITTED,
        timestamp=now - timedelta(days=3),
    )
    unlogged = ApplicationFactory(state=ApplicationState.SUBMITTED)
    # As before the field existed.
    Application.objects.filter(pk__in=[logged.pk, unlogged.pk]).update(first_submitted_at=None)
    draft = ApplicationFactory()

    migration.backfill_first_submitted_at(apps, None)

    logged.refresh_from_db()
    unlogged.refresh_from_db()
    draft.refresh_from_db()
    assert logged.first_submitted_at == now - timedelta(days=3)
    assert unlogged.first_submitted_at == unlogged.submitted_at
    assert draft.first_submitted_at is None
