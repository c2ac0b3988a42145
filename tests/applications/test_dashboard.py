"""The applicant's dashboard panel: the unit, its applications with next action, deadlines
counting down (applications/dashboard.py, the `applicant_dashboard_panel` tag)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from applications.enums import ApplicationState, BatchState
from applications.workflow.dashboard import next_action
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.deadlines import countdown
from tests.applications.factories import ApplicantUnitFactory, ApplicationFactory, BatchFactory
from tests.factories import UserFactory

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI)

pytestmark = pytest.mark.django_db


# --- countdown (pure) ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "expected"),
    [
        (timedelta(days=3, hours=5, minutes=59), "距申报截止还有 3 天 5 小时"),
        (timedelta(days=1), "距申报截止还有 1 天 0 小时"),
        (timedelta(hours=5, minutes=7), "距申报截止还有 5 小时 7 分钟"),
        (timedelta(minutes=42, seconds=30), "距申报截止还有 42 分钟"),
        (timedelta(seconds=30), "距申报截止还有 不足 1 分钟"),
        (timedelta(0), "已截止"),  # the deadline itself is already too late, as in the services
        (timedelta(days=-2), "已截止"),
    ],
)
def test_countdown_in_days_hours_and_minutes(left, expected):
    assert countdown(NOW + left, NOW).until("申报截止") == expected


def test_countdown_names_the_deadline():
    assert countdown(NOW + timedelta(days=2), NOW).until("重新提交截止") == "距重新提交截止还有 2 天 0 小时"


# --- next action --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "label", "has_url"),
    [
        (ApplicationState.DRAFT, "继续填报", True),
        (ApplicationState.RETURNED, "按退回意见修改后重新提交", True),
        (ApplicationState.SUBMITTED, "等待区县初审", False),
        (ApplicationState.COUNTY_REJECTED, "区县初审未通过", False),
        (ApplicationState.APPROVED, "已认定为市级高技能人才公共实训基地", False),
        (ApplicationState.WITHDRAWN, "已放弃本批次申报，本批次不能再次申报", False),
    ],
)
def test_next_action_by_state(state, label, has_url):
    application = ApplicationFactory(state=state)
    action = next_action(application)
    assert action.label == label
    assert bool(action.url) is has_url
    if has_url:
        assert action.url == reverse("applications:edit_section", args=[application.pk, "management"])


def test_next_action_once_the_deadline_has_passed():
    application = ApplicationFactory()
    late = application.batch.submission_deadline + timedelta(seconds=1)
    action = next_action(application, late)
    assert action.label == "已截止，未提交，本批次不能再提交"
    assert action.url == ""
    assert action.closed
    assert not next_action(application, late - timedelta(days=1)).closed


# --- the panel ----------------------------------------------------------------------------------


def _dashboard(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 200
    return response.content.decode()


def test_dashboard_shows_unit_applications_and_countdowns(client):
    with time_machine.travel(NOW, tick=False):
        batch = BatchFactory(
            state=BatchState.OPEN,
            opens_at=NOW - timedelta(days=5),
            submission_deadline=NOW + timedelta(days=3, hours=5, minutes=20),
        )
        application = ApplicationFactory(batch=batch)
        returned = ApplicationFactory(
            unit=application.unit,
            created_by=application.created_by,
            state=ApplicationState.RETURNED,
            batch=BatchFactory(
                state=BatchState.SCREENING,
                opens_at=NOW - timedelta(days=400),
                submission_deadline=NOW - timedelta(days=300),
                screening_deadline=NOW + timedelta(hours=7, minutes=30),
            ),
        )
        other_open = BatchFactory(
            state=BatchState.OPEN,
            opens_at=NOW - timedelta(days=1),
            submission_deadline=NOW + timedelta(days=10),
        )
        body = _dashboard(client, application.created_by)
    assert application.unit.name in body
    assert "距申报截止还有 3 天 5 小时" in body
    assert "2026-09-04 14:20" in body  # the deadline itself, in Asia/Shanghai
    assert "继续填报" in body
    assert returned.batch.title in body
    assert "按退回意见修改后重新提交" in body
    assert "距重新提交截止还有 7 小时 30 分钟" in body
    assert other_open.title in body
    assert "距申报截止还有 10 天 0 小时" in body
    assert reverse("applications:start", args=[other_open.pk]) in body
    assert reverse("applications:start", args=[batch.pk]) not in body


def test_dashboard_says_closed_once_the_deadline_passed(client):
    application = ApplicationFactory()
    with time_machine.travel(application.batch.submission_deadline + timedelta(hours=1), tick=False):
        body = _dashboard(client, application.created_by)
    assert 'data-testid="closed">已截止<' in body
    assert "已截止，未提交，本批次不能再提交" in body
    assert "距申报截止还有" not in body
    # No action for it: neither 继续填报 nor a link into the form.
    assert "继续填报" not in body
    assert reverse("applications:edit_section", args=[application.pk, "management"]) not in body


def test_dashboard_without_unit_asks_to_register(client):
    BatchFactory(state=BatchState.OPEN)
    body = _dashboard(client, UserFactory(role=Role.APPLICANT))
    assert "尚未关联申报单位" in body
    assert "/applications/start/" not in body


def test_dashboard_without_open_batches_says_so(client):
    body = _dashboard(client, UserFactory(role=Role.APPLICANT, unit=ApplicantUnitFactory()))
    assert "目前没有正在受理的申报批次" in body


@pytest.mark.parametrize("rows", [1, 5])
def test_dashboard_query_count_is_fixed(client, django_assert_num_queries, only_test_guards, rows):
    unit = ApplicantUnitFactory()
    member = UserFactory(role=Role.APPLICANT, unit=unit)
    for _ in range(rows):
        ApplicationFactory(unit=unit, created_by=member)
        BatchFactory(state=BatchState.OPEN)
    client.force_login(member)
    client.get(reverse("core:dashboard"))  # warm up: the idle timer's first stamp
    # session, user, unread count, recent notifications, unit, applications, open batches,
    # the unit's training bases (reporting/bases/panels.py)
    with django_assert_num_queries(8):
        body = client.get(reverse("core:dashboard")).content.decode()
    assert body.count('data-testid="dashboard-application"') == rows
    assert body.count('data-testid="dashboard-open-batch"') == rows


def test_applicant_panel_is_shown_to_applicants_only(make_user):
    """The panel is registered with the dashboard under the applicant's own permission."""
    from shaoxing_bases.core.dashboard import panels_for

    unit = ApplicantUnitFactory()
    member = UserFactory(role=Role.APPLICANT, unit=unit)
    shown = {item.panel.key: item.context for item in panels_for(member)}
    assert shown["applicant"]["unit"] == unit
    assert "applicant" not in {item.panel.key for item in panels_for(make_user(Role.COUNTY_HRSS))}
