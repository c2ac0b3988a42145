"""The unit's application workflow pages: my applications, start, detail + timeline, submit,
withdraw and the print view (applications/views/workflow.py)."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django_fsm_log.models import StateLog

from applications.enums import ApplicationState, BatchState
from applications.models import Application
from applications.policy import ENTERPRISE
from applications.workflow.services import application_ensure_editable, application_submit
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.models import Notification
from tests.applications.factories import (
    ApplicantUnitFactory,
    ApplicationFactory,
    BatchFactory,
    complete_application,
)
from tests.factories import UserFactory, region

SHANGHAI = ZoneInfo("Asia/Shanghai")

pytestmark = pytest.mark.django_db


def _member(application):
    """A signed-in-able member of the application's unit (its creator)."""
    return application.created_by


def _body(response) -> str:
    return response.content.decode()


def _messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []


def _testid_texts(body: str, testid: str) -> list[str]:
    """The text of every element marked data-testid=… (tags inside stripped)."""
    pattern = rf'<(\w+)[^>]*data-testid="{testid}"[^>]*>(.*?)</\1>'
    return [re.sub(r"<[^>]+>", "", inner).strip() for _tag, inner in re.findall(pattern, body, re.S)]


def _follow_messages(client, response) -> str:
    """The page a redirect leads to, where the flash message is shown."""
    assert response.status_code == 302
    return _body(client.get(response.url))


@pytest.fixture
def draft():
    return ApplicationFactory()


@pytest.fixture
def complete_draft(draft):
    return complete_application(draft)


@pytest.fixture
def county_hrss(make_user):
    return make_user(Role.COUNTY_HRSS, "330602", username="yuecheng_staff")


# --- 我的申报 ----------------------------------------------------------------------------------------


def test_my_applications_lists_applications_and_open_batches(client, draft):
    other_open = BatchFactory(state=BatchState.OPEN)
    closed = BatchFactory(state=BatchState.SCREENING)
    client.force_login(_member(draft))
    body = _body(client.get(reverse("applications:my_applications")))
    assert draft.batch.title in body
    assert "填报中" in body
    assert "继续填报" in body
    assert other_open.title in body
    assert reverse("applications:start", args=[other_open.pk]) in body
    # Already applied to this batch, and the closed batch takes no applications: no start button.
    assert reverse("applications:start", args=[draft.batch.pk]) not in body
    assert closed.title not in body


@pytest.mark.parametrize(
    ("state", "action"),
    [
        (ApplicationState.SUBMITTED, "等待区县初审"),
        (ApplicationState.RETURNED, "按退回意见修改后重新提交"),
        (ApplicationState.RECOMMENDED, "区县已推荐"),
        (ApplicationState.WITHDRAWN, "已放弃本批次申报"),
    ],
)
def test_my_applications_shows_next_action_by_state(client, state, action):
    application = ApplicationFactory(state=state)
    client.force_login(_member(application))
    body = _body(client.get(reverse("applications:my_applications")))
    # The action element itself, not the state badge (区县已推荐 / 已放弃申报 are in both).
    assert _testid_texts(body, "next-action")[0].startswith(action)
    assert _testid_texts(body, "state") == [application.get_state_display()]
    if application.submitted_at:
        assert application.submitted_at.astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M") in body


def test_my_applications_without_unit_asks_to_register(client, make_user):
    BatchFactory(state=BatchState.OPEN)
    client.force_login(make_user(Role.APPLICANT))
    response = client.get(reverse("applications:my_applications"))
    assert response.status_code == 200
    assert "尚未关联申报单位" in _body(response)
    assert "/applications/start/" not in _body(response)


def test_my_applications_is_refused_to_county_staff(client, county_hrss):
    client.force_login(county_hrss)
    assert client.get(reverse("applications:my_applications")).status_code == 403


@pytest.mark.parametrize("rows", [1, 5])
def test_my_applications_query_count_is_fixed(client, django_assert_num_queries, only_test_guards, rows):
    unit = ApplicantUnitFactory()
    member = UserFactory(role=Role.APPLICANT, unit=unit)
    states = [ApplicationState.DRAFT, ApplicationState.SUBMITTED, ApplicationState.RETURNED]
    for index in range(rows):
        ApplicationFactory(unit=unit, created_by=member, state=states[index % len(states)])
        BatchFactory(state=BatchState.OPEN)  # one open batch not applied to, per row
    client.force_login(member)
    client.get(reverse("applications:my_applications"))  # warm up: the idle timer's first stamp
    # session, user, unit, applications, open batches, unread count
    with django_assert_num_queries(6):
        response = client.get(reverse("applications:my_applications"))
    assert len(response.context["rows"]) == rows
    assert len(response.context["open_batches"]) == rows


# --- 开始申报 ----------------------------------------------------------------------------------------


def test_start_creates_a_draft_and_goes_to_the_form(client, make_user):
    unit = ApplicantUnitFactory()
    member = make_user(Role.APPLICANT, unit=unit)
    batch = BatchFactory(state=BatchState.OPEN)
    client.force_login(member)
    response = client.post(reverse("applications:start", args=[batch.pk]))
    application = Application.objects.get(unit=unit, batch=batch)
    assert response.status_code == 302
    assert str(application.pk) in response.url
    assert application.state == ApplicationState.DRAFT
    assert application.created_by == member


def test_start_twice_for_the_same_batch_is_refused(client, draft):
    client.force_login(_member(draft))
    response = client.post(reverse("applications:start", args=[draft.batch.pk]))
    assert "本单位已有该批次的申报" in _follow_messages(client, response)
    assert Application.objects.filter(unit=draft.unit, batch=draft.batch).count() == 1


@pytest.mark.parametrize("state", [BatchState.DRAFT, BatchState.SCREENING, BatchState.CONCLUDED])
def test_start_in_a_batch_not_open_is_refused(client, make_user, state):
    member = make_user(Role.APPLICANT, unit=ApplicantUnitFactory())
    batch = BatchFactory(state=state)
    client.force_login(member)
    response = client.post(reverse("applications:start", args=[batch.pk]))
    assert "不在申报期内" in _follow_messages(client, response)
    assert not Application.objects.exists()


def test_start_after_the_submission_deadline_is_refused(client, make_user):
    member = make_user(Role.APPLICANT, unit=ApplicantUnitFactory())
    batch = BatchFactory(state=BatchState.OPEN)
    with time_machine.travel(batch.submission_deadline + timedelta(minutes=1), tick=False):
        client.force_login(member)
        response = client.post(reverse("applications:start", args=[batch.pk]))
        assert "不在申报期内" in _follow_messages(client, response)
    assert not Application.objects.exists()


def test_start_without_a_unit_asks_to_register(client, make_user):
    batch = BatchFactory(state=BatchState.OPEN)
    client.force_login(make_user(Role.APPLICANT))
    response = client.post(reverse("applications:start", args=[batch.pk]))
    assert "请先注册申报单位" in _follow_messages(client, response)
    assert not Application.objects.exists()


def test_start_by_county_staff_is_forbidden(client, county_hrss):
    batch = BatchFactory(state=BatchState.OPEN)
    client.force_login(county_hrss)
    assert client.post(reverse("applications:start", args=[batch.pk])).status_code == 403


def test_start_by_get_is_not_allowed(client, make_user):
    batch = BatchFactory(state=BatchState.OPEN)
    client.force_login(make_user(Role.APPLICANT, unit=ApplicantUnitFactory()))
    assert client.get(reverse("applications:start", args=[batch.pk])).status_code == 405


# --- 详情与办理记录 -------------------------------------------------------------------------------------


def test_detail_shows_every_section_lists_check_and_timeline(client, complete_draft, county_hrss):
    member = _member(complete_draft)
    application_submit(application=complete_draft, actor=member)
    client.force_login(county_hrss)
    response = client.get(reverse("applications:detail", args=[complete_draft.pk]))
    body = _body(response)
    assert response.status_code == 200
    # The sections carry the titles of the form's own pages (applications.sections).
    for text in (
        "管理制度",
        "场所设备",
        "培训评价",
        "师资队伍",
        "诚信承诺",
        "上年度职业培训人数",
        "2000",
    ):
        assert text in body
    assert "数控车工" in body  # specialties
    assert "绍兴合作企业20有限公司" in body  # partners
    assert "合作协议1.pdf" in body  # attachments
    assert "诚信承诺书（盖章）.pdf" in body
    assert len(response.context["check_rows"]) > 5  # the auto-check table
    timeline = response.context["timeline"]
    assert [entry.description for entry in timeline] == ["创建申报", "提交申报"]
    assert timeline[1].actor == str(member)
    assert timeline[1].source == "填报中"
    assert timeline[1].target == "已提交（待区县初审）"
    assert str(member) in body
    # The county sees no buttons of the unit.
    assert reverse("applications:submit", args=[complete_draft.pk]) not in body
    assert reverse("applications:withdraw", args=[complete_draft.pk]) not in body


def test_detail_of_an_enterprise_shows_fund_years(client, make_user):
    unit = ApplicantUnitFactory(unit_type=ENTERPRISE)
    application = complete_application(ApplicationFactory(unit=unit))
    client.force_login(_member(application))
    body = _body(client.get(reverse("applications:detail", args=[application.pk])))
    assert "近三年职工培训经费" in body
    assert f"{application.batch.year - 1}年" in body
    assert "可同时开展培训评价的人数" in body
    # Lists of colleges and training institutions stay out of an enterprise's page.
    assert "特色专业（职业、工种）及实训装备" not in body
    assert "实训教师总数" not in body


def test_detail_shows_the_county_comment(client):
    application = ApplicationFactory(state=ApplicationState.RETURNED)
    Application.objects.filter(pk=application.pk).update(county_comment="请补充消防验收合格证明。")
    client.force_login(_member(application))
    body = _body(client.get(reverse("applications:detail", args=[application.pk])))
    assert "区县意见" in body
    assert "请补充消防验收合格证明。" in body


@pytest.mark.parametrize(
    ("state", "edit", "submit", "withdraw"),
    [
        (ApplicationState.DRAFT, True, True, True),
        (ApplicationState.RETURNED, True, True, True),
        (ApplicationState.SUBMITTED, False, False, True),
        (ApplicationState.RECOMMENDED, False, False, False),
        (ApplicationState.WITHDRAWN, False, False, False),
    ],
)
def test_detail_buttons_follow_the_state(client, state, edit, submit, withdraw):
    application = ApplicationFactory(state=state)
    client.force_login(_member(application))
    response = client.get(reverse("applications:detail", args=[application.pk]))
    body = _body(response)
    assert response.context["can_edit"] is edit
    assert ("继续填报" in body) is edit
    assert (reverse("applications:submit", args=[application.pk]) in body) is submit
    assert (reverse("applications:withdraw", args=[application.pk]) in body) is withdraw


def test_detail_of_another_units_application_is_404(client, draft):
    stranger = UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory())
    client.force_login(stranger)
    assert client.get(reverse("applications:detail", args=[draft.pk])).status_code == 404


def test_detail_of_a_draft_is_404_for_county_staff(client, draft, county_hrss):
    client.force_login(county_hrss)
    assert client.get(reverse("applications:detail", args=[draft.pk])).status_code == 404


def test_detail_of_another_county_is_404(client, make_user):
    application = ApplicationFactory(state=ApplicationState.SUBMITTED)
    client.force_login(make_user(Role.COUNTY_HRSS, "330681"))
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 404


def test_detail_is_forbidden_to_experts(client, make_user):
    application = ApplicationFactory(state=ApplicationState.SUBMITTED)
    client.force_login(make_user(Role.EXPERT))
    assert client.get(reverse("applications:detail", args=[application.pk])).status_code == 403


# --- 提交 -------------------------------------------------------------------------------------------


def test_submit_page_lists_missing_items_with_links_and_blocks(client, draft):
    client.force_login(_member(draft))
    response = client.get(reverse("applications:submit", args=[draft.pk]))
    body = _body(response)
    assert response.status_code == 200
    assert "尚未完成" in body
    assert "未填写“上年度职业培训人数”" in body
    assert "未签署诚信承诺" in body
    assert "去填写" in body
    # Each missing item links to the form section where it is filled in.
    links = dict(response.context["missing"])
    assert links["未填写“上年度职业培训人数”"] == reverse(
        "applications:edit_section", args=[draft.pk, "training"]
    )
    assert links["未签署诚信承诺"] == reverse("applications:edit_section", args=[draft.pk, "integrity"])
    assert links["未填写合作企业"] == reverse("applications:edit_section", args=[draft.pk, "partners"])
    assert 'data-testid="submit-button"' not in body


def test_submit_with_missing_items_is_refused(client, draft):
    client.force_login(_member(draft))
    response = client.post(reverse("applications:submit", args=[draft.pk]), {"confirmed": "on"})
    assert response.status_code == 200
    assert "未上传“诚信承诺书（盖章）”" in _body(response)
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT


def test_submit_complete_application(client, complete_draft, county_hrss, django_capture_on_commit_callbacks):
    member = _member(complete_draft)
    other_county = UserFactory(role=Role.COUNTY_HRSS, region=region("330681"))
    county_finance = UserFactory(role=Role.COUNTY_FINANCE, region=county_hrss.region)
    client.force_login(member)
    page = client.get(reverse("applications:submit", args=[complete_draft.pk]))
    assert "必填内容和必需材料已齐全" in _body(page)
    assert "以下条件自动核验未通过" not in _body(page)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:submit", args=[complete_draft.pk]))
    assert response.status_code == 302
    assert response.url == reverse("applications:detail", args=[complete_draft.pk])
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.SUBMITTED
    assert complete_draft.submitted_at is not None
    log = StateLog.objects.for_(complete_draft).get()
    assert (log.by, log.source_state, log.state) == (member, "draft", "submitted")
    # The county HRSS staff of the unit's county are told, in the inbox and by e-mail; nobody else.
    (notice,) = Notification.objects.all()
    assert notice.recipient == county_hrss
    assert "已提交" in notice.title
    assert notice.url == reverse("applications:detail", args=[complete_draft.pk])
    assert not Notification.objects.filter(recipient__in=[other_county, county_finance]).exists()
    assert [message.to for message in mail.outbox] == [[county_hrss.email]]
    # After submission the unit can no longer edit.
    with pytest.raises(AlreadyHandled):
        application_ensure_editable(application=complete_draft, actor=member)
    assert "继续填报" not in _body(client.get(response.url))


def test_submit_with_failing_clauses_needs_confirmation(client, complete_draft):
    Application.objects.filter(pk=complete_draft.pk).update(annual_trainees=1499)
    url = reverse("applications:submit", args=[complete_draft.pk])
    client.force_login(_member(complete_draft))
    page = _body(client.get(url))
    assert "以下条件自动核验未通过" in page
    assert "1499" in page
    response = client.post(url)
    assert response.status_code == 200
    assert "请勾选确认后再提交" in _body(response)
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.DRAFT
    response = client.post(url, {"confirmed": "on"})
    assert response.status_code == 302
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.SUBMITTED


def test_submit_twice_says_already_handled(client, complete_draft):
    url = reverse("applications:submit", args=[complete_draft.pk])
    client.force_login(_member(complete_draft))
    client.post(url)
    response = client.post(url)
    assert "已处理" in _follow_messages(client, response)
    assert StateLog.objects.for_(complete_draft).count() == 1
    # Opening the confirmation page again says the same.
    assert "已处理" in _follow_messages(client, client.get(url))


def test_submit_after_the_deadline_is_refused(client, complete_draft):
    url = reverse("applications:submit", args=[complete_draft.pk])
    with time_machine.travel(complete_draft.batch.submission_deadline, tick=False):
        client.force_login(_member(complete_draft))
        page = _body(client.get(url))
        assert "申报已截止" in page
        assert 'data-testid="submit-button"' not in page
        response = client.post(url)
        assert response.status_code == 200
        assert "申报已截止" in _body(response)
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.DRAFT


def _returned(application, county_user):
    """Submitted, then returned by the county (the county's transition, as review.services will)."""
    application_submit(application=application, actor=application.created_by)
    application = Application.objects.get(pk=application.pk)
    application.return_for_revision(by=county_user, description="请补充合作协议。")
    application.save()
    return application


def test_resubmit_after_return_before_screening_deadline(
    client, complete_draft, county_hrss, django_capture_on_commit_callbacks
):
    application = _returned(complete_draft, county_hrss)
    url = reverse("applications:submit", args=[application.pk])
    with time_machine.travel(application.batch.screening_deadline - timedelta(minutes=1), tick=False):
        client.force_login(_member(application))
        assert "检查并重新提交" in _body(client.get(url))
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert StateLog.objects.for_(application).order_by("pk").last().transition == "resubmit"
    assert Notification.objects.filter(recipient=county_hrss, title__contains="重新提交").exists()


def test_resubmit_after_screening_deadline_is_refused(client, complete_draft, county_hrss):
    application = _returned(complete_draft, county_hrss)
    url = reverse("applications:submit", args=[application.pk])
    with time_machine.travel(application.batch.screening_deadline, tick=False):
        client.force_login(_member(application))
        assert "区县初审已截止" in _body(client.get(url))
        response = client.post(url)
        assert "区县初审已截止" in _body(response)
    application.refresh_from_db()
    assert application.state == ApplicationState.RETURNED


def test_detail_timeline_shows_the_countys_return(client, complete_draft, county_hrss):
    application = _returned(complete_draft, county_hrss)
    client.force_login(_member(application))
    response = client.get(reverse("applications:detail", args=[application.pk]))
    returned = response.context["timeline"][-1]
    assert (returned.actor, returned.actor_role) == (str(county_hrss), "越城区人力社保局")
    assert (returned.source, returned.target) == ("已提交（待区县初审）", "退回修改")
    assert returned.description == "请补充合作协议。"
    assert "请补充合作协议。" in _body(response)
    assert "距重新提交截止还有" in _body(response)


@pytest.mark.parametrize("state", [ApplicationState.RECOMMENDED, ApplicationState.WITHDRAWN])
def test_submit_from_a_forbidden_state_says_already_handled(client, state):
    application = ApplicationFactory(state=state)
    url = reverse("applications:submit", args=[application.pk])
    client.force_login(_member(application))
    assert "已处理" in _follow_messages(client, client.get(url))
    assert "已处理" in _follow_messages(client, client.post(url))
    application.refresh_from_db()
    assert application.state == state


def test_submit_by_another_units_member_is_404(client, complete_draft):
    client.force_login(UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory()))
    assert client.post(reverse("applications:submit", args=[complete_draft.pk])).status_code == 404
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.DRAFT


def test_submit_by_county_staff_is_forbidden(client, complete_draft, county_hrss):
    client.force_login(county_hrss)
    assert client.post(reverse("applications:submit", args=[complete_draft.pk])).status_code == 403
    complete_draft.refresh_from_db()
    assert complete_draft.state == ApplicationState.DRAFT


# --- 放弃本批次申报 (withdraw) ----------------------------------------------------------------------


@pytest.mark.parametrize("state", list(ApplicationState.withdrawable()))
def test_withdraw_from_each_allowed_state(client, county_hrss, state):
    application = ApplicationFactory(state=state)
    url = reverse("applications:withdraw", args=[application.pk])
    client.force_login(_member(application))
    page = _body(client.get(url))
    assert "放弃后不可恢复" in page
    assert "本批次不能再次申报" in page
    response = client.post(url, {"reason": "本年度场地改造，暂不申报。", "confirmed": "on"})
    assert "已放弃本批次申报" in _follow_messages(client, response)
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    log = StateLog.objects.for_(application).get()
    assert (log.by, log.source_state, log.description) == (
        _member(application),
        state,
        "本年度场地改造，暂不申报。",
    )
    # The county is told only about applications it had (a draft was never handed in).
    told = Notification.objects.filter(recipient=county_hrss, title__contains="已放弃").exists()
    assert told is (state != ApplicationState.DRAFT)


def test_withdraw_without_the_confirmation_is_refused_by_the_service(client, draft):
    client.force_login(_member(draft))
    response = client.post(reverse("applications:withdraw", args=[draft.pk]), {"reason": "不报了"})
    assert response.status_code == 200
    body = _body(response)
    assert "请勾选确认已知悉" in body
    assert "不报了" in body  # what was typed is kept
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT


def test_withdraw_service_needs_confirmation(draft):
    from django.core.exceptions import ValidationError

    from applications.workflow.services import application_withdraw

    with pytest.raises(ValidationError) as refused:
        application_withdraw(application=draft, actor=_member(draft))
    assert refused.value.code == "needs_confirmation"
    application_withdraw(application=draft, actor=_member(draft), confirmed=True)
    draft.refresh_from_db()
    assert draft.state == ApplicationState.WITHDRAWN


def test_withdraw_without_reason_records_a_default(client, draft):
    client.force_login(_member(draft))
    client.post(reverse("applications:withdraw", args=[draft.pk]), {"confirmed": "on"})
    assert StateLog.objects.for_(draft).get().description == "申报单位放弃本批次申报"


def test_withdraw_with_too_long_reason_keeps_the_text(client, draft):
    client.force_login(_member(draft))
    response = client.post(
        reverse("applications:withdraw", args=[draft.pk]), {"reason": "长" * 501, "confirmed": "on"}
    )
    assert response.status_code == 200
    assert "放弃原因不能超过 500 个字" in _body(response)
    assert "长" * 501 in _body(response)
    draft.refresh_from_db()
    assert draft.state == ApplicationState.DRAFT


@pytest.mark.parametrize("state", [ApplicationState.RECOMMENDED, ApplicationState.WITHDRAWN])
def test_withdraw_from_a_forbidden_state_says_already_handled(client, state):
    application = ApplicationFactory(state=state)
    url = reverse("applications:withdraw", args=[application.pk])
    client.force_login(_member(application))
    assert "不能放弃本批次申报" in _follow_messages(client, client.get(url))
    assert "已处理" in _follow_messages(client, client.post(url, {"confirmed": "on"}))
    application.refresh_from_db()
    assert application.state == state


def test_detail_puts_giving_up_in_a_danger_zone_apart_from_submit(client, complete_draft):
    client.force_login(_member(complete_draft))
    body = _body(client.get(reverse("applications:detail", args=[complete_draft.pk])))
    actions = _testid_texts(body, "actions")[0]
    assert "提交申报" in actions
    assert "放弃" not in actions
    assert "撤回" not in actions
    (zone,) = _testid_texts(body, "danger-zone")
    assert "放弃本批次申报" in zone
    assert "每个单位每个批次只能申报一次" in zone


def test_withdraw_by_another_units_member_is_404(client):
    application = ApplicationFactory(state=ApplicationState.SUBMITTED)
    client.force_login(UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory()))
    assert client.post(reverse("applications:withdraw", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


def test_withdraw_by_county_staff_is_forbidden(client, county_hrss):
    application = ApplicationFactory(state=ApplicationState.SUBMITTED)
    client.force_login(county_hrss)
    assert client.post(reverse("applications:withdraw", args=[application.pk])).status_code == 403
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED


# --- 打印 -------------------------------------------------------------------------------------------


def test_print_of_a_submitted_application_for_the_county(client, complete_draft, county_hrss):
    with time_machine.travel(datetime(2026, 9, 1, 14, 0, tzinfo=SHANGHAI), tick=False):
        batch = BatchFactory(state=BatchState.OPEN)
        Application.objects.filter(pk=complete_draft.pk).update(batch=batch)
        complete_draft.refresh_from_db()
        application_submit(application=complete_draft, actor=complete_draft.created_by)
    client.force_login(county_hrss)
    response = client.get(reverse("applications:print", args=[complete_draft.pk]))
    body = _body(response)
    assert response.status_code == 200
    assert "css/print.css" in body
    assert complete_draft.unit.name in body
    assert complete_draft.unit.credit_code in body
    assert "2026年9月1日 14:00" in body  # submission time
    attachment = complete_draft.attachments.first()
    assert attachment.sha256[:16] in body
    assert attachment.original_name in body
    assert "单位（盖章）" in body
    assert "日期" in body
    assert "条件自动核验结果" in body
    assert 'data-testid="draft-mark"' not in body


def test_print_of_a_draft_by_its_unit_is_marked_as_draft(client, draft):
    client.force_login(_member(draft))
    response = client.get(reverse("applications:print", args=[draft.pk]))
    assert response.status_code == 200
    assert 'data-testid="draft-mark"' in _body(response)
    assert "草稿" in _body(response)


def test_print_of_a_draft_is_404_for_the_county(client, draft, county_hrss):
    client.force_login(county_hrss)
    assert client.get(reverse("applications:print", args=[draft.pk])).status_code == 404


def test_print_of_another_units_application_is_404(client):
    application = ApplicationFactory(state=ApplicationState.SUBMITTED)
    client.force_login(UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory()))
    assert client.get(reverse("applications:print", args=[application.pk])).status_code == 404


# --- the dossier shows the fields of the unit type's own form -----------------------------------


@pytest.mark.parametrize("page", ["applications:detail", "applications:print"])
def test_an_enterprise_dossier_leaves_out_fields_its_form_never_asked(client, page):
    unit = ApplicantUnitFactory(unit_type=ENTERPRISE)
    application = complete_application(ApplicationFactory(unit=unit))
    client.force_login(_member(application))
    response = client.get(reverse(page, args=[application.pk]))
    body = _body(response)
    assert "师资培养规划" not in body
    assert "在校（在训）学员人数" not in body
    assert "专兼职教师人数" in body
    assert "可同时开展培训评价的人数" in body
    labels = [field.label for section in response.context["sections"] for field in section.fields]
    assert "师资培养规划和实施方案" not in labels
    assert "未填写" not in [
        field.value for section in response.context["sections"] for field in section.fields
    ]


def test_a_college_dossier_shows_the_teacher_plan_and_no_venue_capacity(client, draft):
    client.force_login(_member(draft))
    response = client.get(reverse("applications:detail", args=[draft.pk]))
    sections = {
        section.title: [field.label for field in section.fields] for section in response.context["sections"]
    }
    assert "师资培养规划和实施方案" in sections["师资队伍"]
    assert "可同时开展培训评价的人数" not in sections["场所设备"]
    assert list(sections) == ["管理制度", "场所设备", "培训评价", "师资队伍", "合作企业", "诚信承诺"]
