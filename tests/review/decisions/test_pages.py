"""The decision pages: what each role sees and may do, refusals shown in Chinese, downloads scoped."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from applications.batches import services as batch_services
from applications.enums import BatchState
from applications.models import Application
from review.decisions.enums import DecisionState
from review.decisions.models import ApprovalLetter, Decision
from review.decisions.services import decision_issue
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import ApplicantUnitFactory

from .conftest import cosigned, draft, make_publicity_batch

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


@pytest.fixture
def issued(batch, city_hrss, city_finance, django_capture_on_commit_callbacks):
    decision = cosigned(batch, city_hrss, city_finance)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_issue(decision=decision, actor=city_hrss)
    return decision


def test_city_hrss_sees_the_list_and_the_prefilled_draft_form(client, batch, city_hrss):
    client.force_login(city_hrss)
    response = client.get(reverse("review:decision", kwargs={"batch_pk": batch.pk}))
    content = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="draft-form"' in content
    assert "绍市人社发〔2022〕47号" in content
    for application in Application.objects.filter(batch=batch).select_related("unit"):
        assert application.unit.name in content


def test_page_shows_what_blocks_the_decision(client, batch, city_hrss, monkeypatch):
    monkeypatch.setitem(batch_services._readiness, "conclude", [lambda batch, now: ["尚有1件异议未处理完毕"]])
    client.force_login(city_hrss)
    response = client.get(reverse("review:decision", kwargs={"batch_pk": batch.pk}))
    assert "尚有1件异议未处理完毕" in response.content.decode()


def test_draft_with_a_bad_date_keeps_the_text_and_says_why(client, batch, city_hrss):
    client.force_login(city_hrss)
    response = client.post(
        reverse("review:decision_draft", kwargs={"batch_pk": batch.pk}),
        {"title": "我的标题", "body": "我的正文", "decision_date": "2020-01-01"},
    )
    content = response.content.decode()
    assert response.status_code == 400
    assert "成文日期须在今天前后60天以内" in content
    assert "我的正文" in content
    assert not Decision.objects.exists()


def test_finance_cosigns_from_the_page(client, batch, city_hrss, city_finance):
    decision = draft(batch, city_hrss)
    client.force_login(city_finance)
    page = client.get(reverse("review:decision", kwargs={"batch_pk": batch.pk})).content.decode()
    assert 'data-testid="cosign"' in page
    assert 'data-testid="draft-form"' not in page
    response = client.post(reverse("review:decision_cosign", kwargs={"pk": decision.pk}), {"comment": "同意"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.state == DecisionState.COSIGNED


def test_hrss_cannot_cosign(client, batch, city_hrss):
    decision = draft(batch, city_hrss)
    client.force_login(city_hrss)
    response = client.post(reverse("review:decision_cosign", kwargs={"pk": decision.pk}), {"comment": ""})
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.state == DecisionState.DRAFT


def test_decline_without_reason_is_refused_in_chinese(client, batch, city_hrss, city_finance):
    decision = draft(batch, city_hrss)
    client.force_login(city_finance)
    response = client.post(reverse("review:decision_decline", kwargs={"pk": decision.pk}), {"reason": ""})
    assert response.status_code == 400
    assert "请填写退回理由" in response.content.decode()


def test_issue_blocked_by_readiness_is_refused_with_the_reason(
    client, batch, city_hrss, city_finance, monkeypatch
):
    decision = cosigned(batch, city_hrss, city_finance)
    monkeypatch.setitem(batch_services._readiness, "conclude", [lambda batch, now: ["公示期尚未结束"]])
    client.force_login(city_hrss)
    response = client.post(reverse("review:decision_issue", kwargs={"pk": decision.pk}))
    assert response.status_code == 302
    assert "公示期尚未结束" in _messages(response)
    decision.refresh_from_db()
    assert decision.state == DecisionState.COSIGNED


def test_issue_twice_from_the_page_says_already_issued(client, issued, city_hrss):
    client.force_login(city_hrss)
    response = client.post(reverse("review:decision_issue", kwargs={"pk": issued.pk}))
    assert response.status_code == 302
    assert "不能重复发文" in _messages(response)


def test_issue_with_empty_list_is_refused_in_chinese(client, city_hrss, city_finance):
    batch = make_publicity_batch(applications=2)
    decision = cosigned(batch, city_hrss, city_finance)
    for application in Application.objects.filter(batch=batch):
        application.disqualify()
        application.save()
    client.force_login(city_hrss)
    response = client.post(reverse("review:decision_issue", kwargs={"pk": decision.pk}))
    assert "没有公示中的拟认定单位" in _messages(response)
    batch.refresh_from_db()
    assert batch.state == BatchState.PUBLICITY


def test_unit_sees_its_letter_on_its_application_and_downloads_it(client, issued, make_user):
    letter = ApprovalLetter.objects.filter(decision=issued).select_related("application").first()
    member = make_user(Role.APPLICANT, unit=letter.application.unit)
    client.force_login(member)
    page = client.get(reverse("applications:detail", kwargs={"pk": letter.application_id})).content.decode()
    assert reverse("review:approval_letter", kwargs={"pk": letter.pk}) in page
    response = client.get(reverse("review:approval_letter", kwargs={"pk": letter.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    notice = client.get(reverse("review:decision_notice", kwargs={"pk": issued.pk}))
    assert issued.document_number in notice.content.decode()
    dashboard = client.get(reverse("core:dashboard")).content.decode()
    assert 'data-testid="approval-letter-panel"' in dashboard


def test_another_unit_gets_404_for_the_letter_and_the_notice(client, issued, make_user):
    letter = ApprovalLetter.objects.filter(decision=issued).first()
    stranger = make_user(Role.APPLICANT, unit=ApplicantUnitFactory())
    client.force_login(stranger)
    assert client.get(reverse("review:approval_letter", kwargs={"pk": letter.pk})).status_code == 404
    assert client.get(reverse("review:decision_notice", kwargs={"pk": issued.pk})).status_code == 404


def test_release_from_the_page(client, issued, city_hrss):
    client.force_login(city_hrss)
    page = client.get(reverse("review:decision", kwargs={"batch_pk": issued.batch_id})).content.decode()
    assert 'data-testid="release"' in page
    response = client.post(reverse("review:decision_release", kwargs={"pk": issued.pk}))
    assert "已发送6条通知" in _messages(response)
    page = client.get(reverse("review:decision", kwargs={"batch_pk": issued.batch_id})).content.decode()
    assert 'data-testid="release"' not in page


def test_dashboards_show_the_work_of_each_role(client, batch, city_hrss, city_finance):
    client.force_login(city_hrss)
    assert "待起草认定文件" in client.get(reverse("core:dashboard")).content.decode()
    draft(batch, city_hrss)
    client.force_login(city_finance)
    assert 'data-testid="decision-cosign-panel"' in client.get(reverse("core:dashboard")).content.decode()


def test_a_batch_not_yet_in_publicity_has_no_decision_page(client, city_hrss):
    from tests.review.panels.conftest import make_review_batch

    client.force_login(city_hrss)
    response = client.get(reverse("review:decision", kwargs={"batch_pk": make_review_batch().pk}))
    assert response.status_code == 302
    assert "公示后才能办理认定发文" in _messages(response)


@pytest.mark.parametrize("rows", [1, 5])
def test_decision_list_has_a_fixed_query_count(client, city_hrss, rows, django_assert_max_num_queries):
    for _ in range(rows):
        make_publicity_batch(applications=1)
    client.force_login(city_hrss)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("review:decision_list"))
    assert response.content.decode().count('data-testid="decision-row"') == rows
