"""The trail in Chinese: who as "姓名（角色）" with the login name beside, what as the service's summary,
the detail with Chinese labels (shaoxing_bases/audit/display.py). Display only."""

import re

import pytest
from django.urls import reverse

from applications.enums import ApplicationState
from applications.workflow.services import application_recall, application_submit
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditAction, AuditEntry, AuditOutcome
from shaoxing_bases.audit.services import audit_event, audit_record
from tests.applications.factories import ApplicationFactory, BatchFactory, complete_application

pytestmark = pytest.mark.django_db


def _rows(client, user) -> list[dict[str, str]]:
    client.force_login(user)
    body = client.get(reverse("audit:trail")).content.decode()
    rows = []
    for row in re.findall(r'<tr data-testid="audit-entry">(.*?)</tr>', body, re.S):
        cells = dict(re.findall(r'data-testid="audit-(\w+)"[^>]*>(.*?)</td>', row, re.S))
        rows.append(
            {key: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", value)).strip() for key, value in cells.items()}
        )
    return rows


def test_a_business_action_shows_the_person_the_summary_and_labelled_details(client, make_user):
    application = complete_application(ApplicationFactory())
    member = application.created_by
    member.display_name = "陈晓燕"
    member.save(update_fields=["display_name"])
    application_submit(application=application, actor=member, confirmed=True)
    application_recall(application=application, actor=member)
    city = make_user(Role.CITY_HRSS)
    recall = next(row for row in _rows(client, city) if "撤回修改申报" in row["action"])
    assert recall["person"].startswith("陈晓燕（申报单位）")
    assert f"登录名：{member.username}" in recall["person"]
    assert "状态变更" in recall["action"]  # the category, under the summary
    assert "对象： 申报 #" in recall["detail"]
    assert "撤回前的提交时间：" in recall["detail"]
    assert "model" not in recall["detail"]


def test_field_names_and_states_are_shown_by_their_labels(client, make_user):
    batch = BatchFactory()
    audit_event(
        actor=None,
        summary="修改申报批次设置",
        obj=batch,
        detail={"changed": ["submission_deadline", "quota"], "state": "open"},
    )
    row = next(row for row in _rows(client, make_user(Role.ADMIN)) if "修改申报批次设置" in row["action"])
    assert "修改的设置： 申报截止时间、拟认定名额" in row["detail"]
    assert "状态： 申报中" in row["detail"]
    assert row["person"] == "系统（定时任务）"


def test_a_failed_login_shows_the_name_typed(client, make_user):
    audit_record(action=AuditAction.LOGIN_FAILED, outcome=AuditOutcome.FAILURE, username="zhangsan")
    row = next(row for row in _rows(client, make_user(Role.CITY_HRSS)) if row["action"] == "登录失败")
    assert row["person"] == "zhangsan（未登录）"


def test_the_trail_keeps_a_fixed_query_count_with_people_and_objects(
    client, make_user, django_assert_num_queries
):
    city = make_user(Role.CITY_HRSS)
    for index in range(5):
        actor = make_user(Role.APPLICANT, display_name=f"经办人{index}")
        application = ApplicationFactory(state=ApplicationState.SUBMITTED)
        audit_event(actor=actor, summary="提交申报", obj=application, detail={"fields": ["students"]})
    client.force_login(city)
    client.get("/dashboard/")
    # session, user, unread count, count for pagination, page of entries (actors joined)
    with django_assert_num_queries(5):
        body = client.get(reverse("audit:trail")).content.decode()
    assert body.count("（申报单位）") == 5
    assert AuditEntry.objects.count() >= 5
