"""申报批次: the shared factories, the city's batch pages, manual transitions and the minute sweep."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog

from applications.batches.services import batches_sweep
from applications.eligibility import FAIL
from applications.enums import ApplicationState, BatchState
from applications.models import Batch
from applications.workflow.services import application_submission_check
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditEntry
from shaoxing_bases.core.tasks import sweep_deadlines
from shaoxing_bases.validators import shaoxing_county_division, validate_credit_code
from tests.applications.factories import (
    ApplicantUnitFactory,
    ApplicationFactory,
    BatchFactory,
    application_in_state,
    batch_in_state,
    complete_application,
    make_credit_code,
)

pytestmark = pytest.mark.django_db

MANAGERS = (Role.CITY_HRSS, Role.ADMIN)
VIEWERS = (Role.CITY_HRSS, Role.CITY_FINANCE, Role.ADMIN)
NOT_VIEWERS = [role for role in Role.values if role not in VIEWERS]
NOT_MANAGERS = [role for role in Role.values if role not in MANAGERS]


@pytest.fixture
def city(make_user):
    return make_user(Role.CITY_HRSS, username="city_hrss")


@pytest.fixture
def city_client(client, city):
    client.force_login(city)
    return client


def shanghai(*args) -> datetime:
    return timezone.make_aware(datetime(*args), timezone.get_fixed_timezone(8 * 60))


def valid_data(**overrides) -> dict:
    data = {
        "year": "2031",
        "title": "2031年度绍兴市市级高技能人才公共实训基地申报",
        "policy_code": Batch._meta.get_field("policy_code").default,
        "opens_at": "2031-03-01T09:00",
        "submission_deadline": "2031-04-30T17:00",
        "screening_deadline": "2031-05-31T17:00",
        "scoring_deadline": "2031-06-30T17:00",
        "quota": "10",
        "pass_mark": "60",
        "publicity_days": "7",
    }
    data.update(overrides)
    return data


def form_data(batch: Batch, **overrides) -> dict:
    """What the edit form posts back for `batch` untouched (minutes only, Asia/Shanghai)."""

    def local(value):
        return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")

    data = {
        "year": str(batch.year),
        "title": batch.title,
        "policy_code": batch.policy_code,
        "opens_at": local(batch.opens_at),
        "submission_deadline": local(batch.submission_deadline),
        "screening_deadline": local(batch.screening_deadline),
        "scoring_deadline": local(batch.scoring_deadline),
        "quota": str(batch.quota),
        "pass_mark": str(batch.pass_mark),
        "publicity_days": str(batch.publicity_days),
    }
    data.update(overrides)
    return data


# --- factories ----------------------------------------------------------------------------------


def test_applicant_unit_factory_codes_valid_distinct_and_in_the_units_county():
    units = [ApplicantUnitFactory(), ApplicantUnitFactory(division="330681", unit_type="enterprise")]
    for unit in units:
        validate_credit_code(unit.credit_code)
        assert unit.region.code == shaoxing_county_division(unit.credit_code)
    assert units[0].credit_code != units[1].credit_code
    assert units[1].region.code == "330681"


def test_make_credit_code_distinct_for_many_numbers():
    codes = {make_credit_code(n) for n in range(1, 2000)}
    assert len(codes) == 1999
    for code in list(codes)[:200]:
        validate_credit_code(code)


def test_batch_in_state_sets_state_without_transition_log():
    batch = batch_in_state(BatchState.EXPERT_REVIEW)
    assert Batch.objects.get(pk=batch.pk).state == BatchState.EXPERT_REVIEW
    assert batch.state == BatchState.EXPERT_REVIEW
    assert not StateLog.objects.for_(batch).exists()
    batch.start_publicity()
    batch.save()  # the refreshed object takes a normal transition afterwards
    assert Batch.objects.get(pk=batch.pk).state == BatchState.PUBLICITY


def test_application_factory_open_batch_and_member_creator():
    application = ApplicationFactory()
    assert application.batch.state == BatchState.OPEN
    assert application.batch.accepts_submissions()
    assert application.created_by.role == Role.APPLICANT
    assert application.created_by.unit == application.unit


def test_application_in_state_stamps_submission():
    application = application_in_state(ApplicationState.SUBMITTED)
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at is not None


@pytest.mark.parametrize("unit_type", ["college", "training_institution", "enterprise"])
def test_complete_application_can_submit_and_fails_no_criterion(unit_type):
    application = ApplicationFactory(unit=ApplicantUnitFactory(unit_type=unit_type))
    complete_application(application)
    check = application_submission_check(application)
    assert check.missing == []
    assert check.can_submit
    assert [result for result in check.failing if result.outcome == FAIL] == []


def test_complete_application_partners_have_distinct_valid_codes_and_agreements():
    application = complete_application(ApplicationFactory())
    partners = list(application.partners.all())
    assert len(partners) == 20
    assert len({partner.credit_code for partner in partners}) == 20
    for partner in partners:
        validate_credit_code(partner.credit_code)
        assert partner.agreement is not None
    assert application.specialties.count() == 3


# --- list ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("rows", [1, 5])
def test_batch_list_query_count_fixed(city_client, django_assert_num_queries, rows):
    for _ in range(rows):
        batch = BatchFactory()
        for state in (ApplicationState.DRAFT, ApplicationState.SUBMITTED):
            application_in_state(state, batch=batch)
    url = reverse("applications:batch_list")
    city_client.get(url)  # warm-up: the first request stamps the session's idle timer
    with django_assert_num_queries(6):
        response = city_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="batch-row"') == rows


def test_batch_list_shows_state_deadlines_and_counts(city_client):
    batch = BatchFactory(year=2030, opens_at=shanghai(2030, 3, 1, 9, 0))
    ApplicationFactory(batch=batch)
    application_in_state(ApplicationState.SUBMITTED, batch=batch)
    application_in_state(ApplicationState.SUBMITTED, batch=batch)
    page = city_client.get(reverse("applications:batch_list")).content.decode()
    assert batch.title in page
    assert "筹备中" in page
    assert "2030-03-01 09:00" in page
    assert "共 3 份" in page
    assert "填报中 1" in page
    assert "已提交（待区县初审） 2" in page
    assert reverse("applications:batch_create") in page


def test_batch_list_city_finance_reads_without_create_button(client, make_user):
    BatchFactory()
    client.force_login(make_user(Role.CITY_FINANCE))
    response = client.get(reverse("applications:batch_list"))
    assert response.status_code == 200
    assert reverse("applications:batch_create") not in response.content.decode()


@pytest.mark.parametrize("role", NOT_VIEWERS)
def test_batch_list_forbidden_roles_get_403(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("applications:batch_list")).status_code == 403


# --- create -------------------------------------------------------------------------------------


def test_batch_create_valid_stores_shanghai_times(city_client, city):
    response = city_client.post(reverse("applications:batch_create"), valid_data())
    batch = Batch.objects.get(year=2031)
    assert response.status_code == 302
    assert response.url == reverse("applications:batch_detail", kwargs={"pk": batch.pk})
    assert batch.state == BatchState.DRAFT
    assert batch.opens_at == datetime(2031, 3, 1, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai
    assert batch.submission_deadline == datetime(2031, 4, 30, 9, 0, tzinfo=UTC)
    entry = AuditEntry.objects.get(action=AuditAction.STATE_CHANGE)
    assert entry.actor == city
    assert entry.detail["operation"] == "batch_create"


def test_batch_form_reads_shanghai_time_whatever_the_active_zone():
    from zoneinfo import ZoneInfo

    from applications.batches.forms import BatchForm

    with timezone.override(ZoneInfo("Europe/London")):
        form = BatchForm(valid_data())
        assert form.is_valid(), form.errors
    assert form.cleaned_data["opens_at"] == datetime(2031, 3, 1, 1, 0, tzinfo=UTC)


def test_batch_create_form_uses_datetime_local_inputs(city_client):
    page = city_client.get(reverse("applications:batch_create")).content.decode()
    assert page.count('type="datetime-local"') == 4


def test_batch_create_form_shows_times_in_shanghai(city_client):
    batch = BatchFactory(opens_at=datetime(2031, 3, 1, 1, 0, tzinfo=UTC))
    page = city_client.get(reverse("applications:batch_edit", kwargs={"pk": batch.pk})).content.decode()
    assert 'value="2031-03-01T09:00"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("submission_deadline", "2031-02-28T09:00", "申报截止时间必须晚于开始申报时间。"),
        ("screening_deadline", "2031-04-30T17:00", "区县初审截止时间必须晚于申报截止时间。"),
        ("scoring_deadline", "2031-05-01T08:00", "专家评审截止时间必须晚于区县初审截止时间。"),
    ],
)
def test_batch_create_deadlines_out_of_order_chinese_error(city_client, field, value, message):
    response = city_client.post(reverse("applications:batch_create"), valid_data(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    page = response.content.decode()
    assert message in page
    assert f'value="{value}"' in page  # what was typed stays
    assert not Batch.objects.exists()


def test_batch_create_duplicate_year_chinese_error(city_client):
    BatchFactory(year=2031)
    response = city_client.post(reverse("applications:batch_create"), valid_data(title="另一个批次"))
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == ["2031年度的申报批次已存在，每个年度只能设立一个批次。"]
    assert "另一个批次" in response.content.decode()
    assert Batch.objects.count() == 1


def test_batch_create_bad_datetime_chinese_error(city_client):
    response = city_client.post(reverse("applications:batch_create"), valid_data(opens_at="明天上午"))
    assert response.status_code == 200
    assert response.context["form"].errors["opens_at"] == ["请输入有效的日期和时间，例如 2026-09-01 14:00。"]


def test_batch_create_past_submission_deadline_refused(city_client):
    # Past, but inside the years a batch may use (2022–2100): the "must be later" rule speaks.
    data = valid_data(
        opens_at="2022-01-01T09:00",
        submission_deadline="2022-02-01T09:00",
        screening_deadline="2031-05-31T17:00",
        scoring_deadline="2031-06-30T17:00",
    )
    response = city_client.post(reverse("applications:batch_create"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["submission_deadline"] == ["截止时间必须晚于当前时间。"]


def test_batch_create_missing_fields_chinese_errors(city_client):
    response = city_client.post(reverse("applications:batch_create"), {"year": "2031"})
    assert response.status_code == 200
    assert "这个字段是必填项。" in response.content.decode()


def test_batch_create_year_out_of_range_error(city_client):
    response = city_client.post(reverse("applications:batch_create"), valid_data(year="2019"))
    assert response.status_code == 200
    assert "2022" in response.context["form"].errors["year"][0]


@pytest.mark.parametrize(
    "value", ["0001-01-01T00:00", "9999-12-31T23:59", "2021-12-31T23:59", "2101-01-01T00:00"]
)
@pytest.mark.parametrize(
    "field", ["opens_at", "submission_deadline", "screening_deadline", "scoring_deadline"]
)
def test_batch_create_extreme_dates_chinese_field_error(city_client, field, value):
    response = city_client.post(reverse("applications:batch_create"), valid_data(**{field: value}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == ["请输入2022年至2100年之间的日期和时间。"]
    assert not Batch.objects.exists()


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_batch_create_forbidden_roles_get_403(client, make_user, role):
    client.force_login(make_user(role))
    assert client.post(reverse("applications:batch_create"), valid_data()).status_code == 403
    assert not Batch.objects.exists()


# --- edit ---------------------------------------------------------------------------------------


def test_batch_edit_draft_changes_every_field(city_client):
    batch = BatchFactory(year=2031)
    data = form_data(batch, year="2032", title="新名称", quota="12", opens_at="2032-03-01T09:00")
    data |= {
        "submission_deadline": "2032-04-01T09:00",
        "screening_deadline": "2032-05-01T09:00",
        "scoring_deadline": "2032-06-01T09:00",
    }
    response = city_client.post(reverse("applications:batch_edit", kwargs={"pk": batch.pk}), data)
    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.year, batch.title, batch.quota) == (2032, "新名称", 12)
    assert batch.opens_at == datetime(2032, 3, 1, 1, 0, tzinfo=UTC)


def test_batch_edit_draft_duplicate_year_error(city_client):
    BatchFactory(year=2033)
    batch = BatchFactory(year=2034)
    response = city_client.post(
        reverse("applications:batch_edit", kwargs={"pk": batch.pk}), form_data(batch, year="2033")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["year"] == ["2033年度的申报批次已存在，每个年度只能设立一个批次。"]


def test_batch_edit_open_moves_deadline_forward_only_that_field(city_client):
    batch = batch_in_state(BatchState.OPEN)
    later = timezone.localtime(batch.submission_deadline + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    data = form_data(batch, submission_deadline=later, title="被忽略的名称", quota="99")
    response = city_client.post(reverse("applications:batch_edit", kwargs={"pk": batch.pk}), data)
    assert response.status_code == 302, response.context["form"].errors
    fresh = Batch.objects.get(pk=batch.pk)
    assert fresh.submission_deadline.strftime("%Y-%m-%dT%H:%M") == (
        (batch.submission_deadline + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    )
    assert fresh.title == batch.title  # locked once open
    assert fresh.quota == batch.quota
    assert fresh.opens_at == batch.opens_at
    assert fresh.state == BatchState.OPEN


def test_batch_edit_open_refuses_earlier_deadline(city_client):
    batch = batch_in_state(BatchState.OPEN)
    earlier = timezone.localtime(batch.submission_deadline - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = city_client.post(
        reverse("applications:batch_edit", kwargs={"pk": batch.pk}),
        form_data(batch, submission_deadline=earlier),
    )
    assert response.status_code == 200
    (error,) = response.context["form"].errors["submission_deadline"]
    assert error.startswith("批次已开始申报，截止时间只能向后顺延，不能早于原定的")
    assert Batch.objects.get(pk=batch.pk).submission_deadline == batch.submission_deadline


def test_batch_edit_open_untouched_form_keeps_seconds(city_client):
    batch = batch_in_state(BatchState.OPEN)
    assert (
        batch.submission_deadline.second or batch.submission_deadline.microsecond
    )  # factory times are exact
    response = city_client.post(
        reverse("applications:batch_edit", kwargs={"pk": batch.pk}), form_data(batch), follow=True
    )
    assert "没有需要保存的修改。" in response.content.decode()
    assert Batch.objects.get(pk=batch.pk).submission_deadline == batch.submission_deadline


def test_batch_edit_open_form_disables_locked_fields(city_client):
    batch = batch_in_state(BatchState.OPEN)
    form = city_client.get(reverse("applications:batch_edit", kwargs={"pk": batch.pk})).context["form"]
    assert form.fields["title"].disabled
    assert form.fields["opens_at"].disabled
    assert not form.fields["submission_deadline"].disabled


def test_batch_edit_screening_submission_deadline_locked(city_client):
    batch = batch_in_state(BatchState.SCREENING)
    later = timezone.localtime(batch.submission_deadline + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    scoring = timezone.localtime(batch.scoring_deadline + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    data = form_data(batch, submission_deadline=later, scoring_deadline=scoring)
    response = city_client.post(reverse("applications:batch_edit", kwargs={"pk": batch.pk}), data)
    assert response.status_code == 302
    fresh = Batch.objects.get(pk=batch.pk)
    assert fresh.submission_deadline == batch.submission_deadline
    assert fresh.scoring_deadline > batch.scoring_deadline


def test_batch_edit_moved_deadline_must_stay_in_order(city_client):
    batch = batch_in_state(BatchState.OPEN)
    beyond = timezone.localtime(batch.screening_deadline + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = city_client.post(
        reverse("applications:batch_edit", kwargs={"pk": batch.pk}),
        form_data(batch, submission_deadline=beyond),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["screening_deadline"] == ["区县初审截止时间必须晚于申报截止时间。"]


@pytest.mark.parametrize("state", [BatchState.PUBLICITY, BatchState.CONCLUDED])
def test_batch_edit_late_states_redirect_with_message(city_client, state):
    batch = batch_in_state(state)
    response = city_client.get(reverse("applications:batch_edit", kwargs={"pk": batch.pk}), follow=True)
    assert response.redirect_chain[-1][0] == reverse("applications:batch_detail", kwargs={"pk": batch.pk})
    assert "设置不能再修改" in response.content.decode()


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_batch_edit_forbidden_roles_get_403(client, make_user, role):
    batch = BatchFactory()
    client.force_login(make_user(role))
    url = reverse("applications:batch_edit", kwargs={"pk": batch.pk})
    assert client.post(url, form_data(batch, title="改名")).status_code == 403
    assert Batch.objects.get(pk=batch.pk).title == batch.title


def test_batch_edit_unknown_batch_404(city_client):
    assert city_client.get(reverse("applications:batch_edit", kwargs={"pk": 999999})).status_code == 404


# --- detail and transitions ---------------------------------------------------------------------


def test_batch_detail_shows_settings_and_manager_buttons(city_client):
    batch = BatchFactory(opens_at=shanghai(2020, 9, 1, 14, 0))  # due, the sweep has not run yet
    page = city_client.get(reverse("applications:batch_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "2020-09-01 14:00" in page
    assert "拟认定名额" in page
    assert 'data-testid="transition-open"' in page
    assert 'data-testid="transition-conclude"' not in page
    assert reverse("applications:batch_edit", kwargs={"pk": batch.pk}) in page


def test_batch_detail_future_draft_offers_no_open_button_but_says_when(city_client):
    batch = BatchFactory(opens_at=shanghai(2099, 9, 1, 14, 0))
    page = city_client.get(reverse("applications:batch_detail", kwargs={"pk": batch.pk})).content.decode()
    assert 'data-testid="transition-open"' not in page
    assert "尚未到开始申报时间（2099-09-01 14:00），届时系统将自动开始申报" in page


def test_batch_detail_later_states_offer_their_transition(city_client):
    # The county screening deadline has passed (the sweep has not run yet): 进入专家评审 is offered.
    now = timezone.now()
    batch = batch_in_state(
        BatchState.SCREENING,
        opens_at=now - timedelta(days=20),
        submission_deadline=now - timedelta(days=10),
        screening_deadline=now - timedelta(minutes=1),
    )
    page = city_client.get(reverse("applications:batch_detail", kwargs={"pk": batch.pk})).content.decode()
    assert 'data-testid="transition-start_expert_review"' in page


def test_batch_detail_screening_before_its_deadline_offers_no_expert_review(city_client):
    batch = batch_in_state(BatchState.SCREENING, screening_deadline=shanghai(2099, 5, 1, 17, 0))
    page = city_client.get(reverse("applications:batch_detail", kwargs={"pk": batch.pk})).content.decode()
    assert 'data-testid="transition-start_expert_review"' not in page
    assert "区县初审截止时间（2099-05-01 17:00）尚未到达" in page


def test_batch_detail_city_finance_read_only(client, make_user):
    batch = BatchFactory()
    client.force_login(make_user(Role.CITY_FINANCE))
    response = client.get(reverse("applications:batch_detail", kwargs={"pk": batch.pk}))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="transition-' not in page
    assert reverse("applications:batch_edit", kwargs={"pk": batch.pk}) not in page


def test_batch_detail_timeline_lists_manual_and_automatic_transitions(city_client, city):
    batch = BatchFactory(opens_at=timezone.now() - timedelta(minutes=5))
    batches_sweep()
    Batch.objects.filter(pk=batch.pk).update(submission_deadline=timezone.now() - timedelta(seconds=1))
    city_client.post(
        reverse("applications:batch_transition", kwargs={"pk": batch.pk}), {"transition": "close_submissions"}
    )
    page = city_client.get(reverse("applications:batch_detail", kwargs={"pk": batch.pk})).content.decode()
    assert "开始申报</span>：筹备中 → 申报中" in page
    assert "系统（按截止时间自动处理）" in page
    assert "截止申报，进入区县初审</span>：申报中 → 区县初审" in page
    assert str(city) in page


def test_batch_detail_accepting_decided_by_clock(city_client):
    batch = batch_in_state(BatchState.OPEN, submission_deadline=timezone.now() - timedelta(minutes=1))
    response = city_client.get(reverse("applications:batch_detail", kwargs={"pk": batch.pk}))
    assert response.context["accepting"] is False


def _ended_publicity(batch, now):
    """A notice whose seven days ended yesterday, with no objection (review.publicity's readiness)."""
    from review.publicity.models import Publicity

    Publicity.objects.create(
        batch=batch,
        title="公示",
        starts_on=(now - timedelta(days=8)).date(),
        days=7,
        starts_at=now - timedelta(days=8),
        ends_at=now - timedelta(days=1),
        contact_department="市人力社保局",
        contact_phone="0575-85201234",
        contact_address="绍兴市",
    )


@pytest.mark.parametrize(
    ("source", "name", "target"),
    [
        (BatchState.DRAFT, "open", BatchState.OPEN),
        (BatchState.OPEN, "close_submissions", BatchState.SCREENING),
        (BatchState.SCREENING, "start_expert_review", BatchState.EXPERT_REVIEW),
        (BatchState.EXPERT_REVIEW, "start_publicity", BatchState.PUBLICITY),
        (BatchState.PUBLICITY, "conclude", BatchState.CONCLUDED),
    ],
)
@pytest.mark.parametrize("role", MANAGERS)
def test_batch_transition_allowed_states(client, make_user, role, source, name, target):
    user = make_user(role)
    client.force_login(user)
    now = timezone.now()
    # Timed transitions by hand only once due (opens_at, submission and screening deadlines passed,
    # the sweep not run yet).
    batch = batch_in_state(
        source,
        opens_at=now - timedelta(days=11),
        submission_deadline=now - timedelta(minutes=2),
        screening_deadline=now - timedelta(minutes=1),
    )
    if name == "conclude":
        _ended_publicity(batch, now)  # the batch concludes only after its notice's window (clause 4.3)
    response = client.post(
        reverse("applications:batch_transition", kwargs={"pk": batch.pk}), {"transition": name}, follow=True
    )
    assert Batch.objects.get(pk=batch.pk).state == target
    log = StateLog.objects.for_(batch).get()
    assert (log.source_state, log.state, log.by) == (source, target, user)
    assert "批次当前状态" in response.content.decode()
    assert AuditEntry.objects.filter(action=AuditAction.STATE_CHANGE, detail__operation=name).exists()


def test_batch_transition_forbidden_state_friendly_message(city_client):
    batch = batch_in_state(BatchState.SCREENING)
    response = city_client.post(
        reverse("applications:batch_transition", kwargs={"pk": batch.pk}), {"transition": "open"}, follow=True
    )
    assert response.status_code == 200
    assert "批次当前状态为“区县初审”，不能开始申报。" in response.content.decode()
    assert Batch.objects.get(pk=batch.pk).state == BatchState.SCREENING


def test_batch_transition_double_click_second_is_already_handled(city_client):
    batch = BatchFactory()
    url = reverse("applications:batch_transition", kwargs={"pk": batch.pk})
    city_client.post(url, {"transition": "open"})
    response = city_client.post(url, {"transition": "open"}, follow=True)
    assert "不能开始申报" in response.content.decode()
    assert StateLog.objects.for_(batch).count() == 1


@pytest.mark.parametrize(
    ("state", "name", "message"),
    [
        (BatchState.DRAFT, "open", "尚未到开始申报时间（2099-03-01 09:00）"),
        (
            BatchState.OPEN,
            "close_submissions",
            "申报截止时间（2099-04-01 09:00）尚未到达，不能提前截止申报。",
        ),
        (
            BatchState.SCREENING,
            "start_expert_review",
            "区县初审截止时间（2099-05-01 17:00）尚未到达，不能提前结束区县初审、进入专家评审。",
        ),
    ],
)
def test_batch_transition_timed_not_yet_due_refused(city_client, state, name, message):
    batch = batch_in_state(
        state,
        opens_at=shanghai(2099, 3, 1, 9, 0),
        submission_deadline=shanghai(2099, 4, 1, 9, 0),
        screening_deadline=shanghai(2099, 5, 1, 17, 0),
    )
    response = city_client.post(
        reverse("applications:batch_transition", kwargs={"pk": batch.pk}), {"transition": name}, follow=True
    )
    assert message in response.content.decode()
    assert Batch.objects.get(pk=batch.pk).state == state
    assert not StateLog.objects.for_(batch).exists()


def test_batch_transition_unknown_name_error_message(city_client):
    batch = BatchFactory()
    response = city_client.post(
        reverse("applications:batch_transition", kwargs={"pk": batch.pk}),
        {"transition": "delete"},
        follow=True,
    )
    assert "无效的操作" in response.content.decode()
    assert Batch.objects.get(pk=batch.pk).state == BatchState.DRAFT


def test_batch_transition_get_not_allowed(city_client):
    batch = BatchFactory()
    assert (
        city_client.get(reverse("applications:batch_transition", kwargs={"pk": batch.pk})).status_code == 405
    )


@pytest.mark.parametrize("role", NOT_MANAGERS)
def test_batch_transition_wrong_user_403(client, make_user, role):
    batch = BatchFactory()
    client.force_login(make_user(role))
    response = client.post(
        reverse("applications:batch_transition", kwargs={"pk": batch.pk}), {"transition": "open"}
    )
    assert response.status_code == 403
    assert Batch.objects.get(pk=batch.pk).state == BatchState.DRAFT


# --- the minute sweep ---------------------------------------------------------------------------


def test_sweep_opens_draft_whose_time_has_come():
    due = BatchFactory(opens_at=timezone.now() - timedelta(seconds=1))
    later = BatchFactory(opens_at=timezone.now() + timedelta(hours=1))
    assert batches_sweep() == 1
    assert Batch.objects.get(pk=due.pk).state == BatchState.OPEN
    assert Batch.objects.get(pk=later.pk).state == BatchState.DRAFT
    assert StateLog.objects.for_(due).get().by is None


def test_sweep_closes_open_batch_past_deadline_to_screening():
    now = timezone.now()
    due = batch_in_state(
        BatchState.OPEN, opens_at=now - timedelta(days=10), submission_deadline=now - timedelta(seconds=1)
    )
    running = batch_in_state(BatchState.OPEN)
    assert batches_sweep() == 1
    assert Batch.objects.get(pk=due.pk).state == BatchState.SCREENING
    assert Batch.objects.get(pk=running.pk).state == BatchState.OPEN


def test_sweep_twice_moves_once():
    batch = BatchFactory(opens_at=timezone.now() - timedelta(minutes=1))
    assert batches_sweep() == 1
    assert batches_sweep() == 0
    assert StateLog.objects.for_(batch).count() == 1
    assert Batch.objects.get(pk=batch.pk).state == BatchState.OPEN


def test_sweep_ends_county_screening_once_its_deadline_has_passed():
    now = timezone.now()
    due = batch_in_state(
        BatchState.SCREENING,
        opens_at=now - timedelta(days=20),
        submission_deadline=now - timedelta(days=10),
        screening_deadline=now - timedelta(seconds=1),
    )
    running = batch_in_state(
        BatchState.SCREENING,
        opens_at=now - timedelta(days=20),
        submission_deadline=now - timedelta(days=10),
        screening_deadline=now + timedelta(hours=1),
    )
    assert batches_sweep() == 1
    assert batches_sweep() == 0
    assert Batch.objects.get(pk=due.pk).state == BatchState.EXPERT_REVIEW
    assert Batch.objects.get(pk=running.pk).state == BatchState.SCREENING
    log = StateLog.objects.for_(due).get()
    assert (log.transition, log.source_state, log.state, log.by) == (
        "start_expert_review",
        BatchState.SCREENING,
        BatchState.EXPERT_REVIEW,
        None,
    )


def test_sweep_moves_a_batch_past_every_deadline_through_each_stage_once():
    now = timezone.now()
    batch = BatchFactory(
        opens_at=now - timedelta(days=30),
        submission_deadline=now - timedelta(days=20),
        screening_deadline=now - timedelta(days=10),
    )
    assert batches_sweep() == 3
    assert batches_sweep() == 0
    assert Batch.objects.get(pk=batch.pk).state == BatchState.EXPERT_REVIEW
    assert [log.transition for log in StateLog.objects.for_(batch).order_by("pk")] == [
        "open",
        "close_submissions",
        "start_expert_review",
    ]


def test_manual_early_expert_review_is_refused_by_the_service_too(city):
    from applications.batches.services import batch_transition
    from shaoxing_bases.core.exceptions import AlreadyHandled

    batch = batch_in_state(BatchState.SCREENING, screening_deadline=shanghai(2099, 5, 1, 17, 0))
    with pytest.raises(AlreadyHandled, match="区县初审截止时间（2099-05-01 17:00）尚未到达"):
        batch_transition(batch=batch, actor=city, name="start_expert_review")
    assert Batch.objects.get(pk=batch.pk).state == BatchState.SCREENING


def test_sweep_deadlines_task_runs_the_batch_sweeper():
    batch = BatchFactory(opens_at=timezone.now() - timedelta(minutes=1))
    sweep_deadlines.delay()  # eager in the test settings
    assert Batch.objects.get(pk=batch.pk).state == BatchState.OPEN


def test_accepts_submissions_decided_by_clock_before_sweep():
    now = timezone.now()
    batch = batch_in_state(BatchState.OPEN, opens_at=now - timedelta(days=5), submission_deadline=now)
    assert batch.state == BatchState.OPEN  # the sweep has not run
    assert batch.accepts_submissions() is False
    assert batch.accepts_submissions(at=now - timedelta(seconds=1)) is True


def test_accepts_submissions_false_before_opens_at_and_when_not_open():
    now = timezone.now()
    early = batch_in_state(BatchState.OPEN, opens_at=now + timedelta(hours=1))
    assert early.accepts_submissions() is False
    assert BatchFactory().accepts_submissions() is False  # draft, even inside the window
