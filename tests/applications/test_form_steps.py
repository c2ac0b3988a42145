"""The steps of the form: ticks and the "已完成 n/m" counter come from what is saved (never from input
a failed save did not write), and after the last section comes the 检查并提交 step."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from applications.enums import ApplicationState
from tests.applications.factories import ApplicationFactory, complete_application

pytestmark = pytest.mark.django_db

TRAINING = {"annual_trainees": "1500", "annual_senior_trainees": "400", "annual_evaluations": "1500"}


def _section_url(application, section: str) -> str:
    return reverse("applications:edit_section", args=[application.pk, section])


def _ticks(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-section="(\w+)" data-complete="(\d)"', page))


def _count(page: str) -> str:
    return re.search(r"已完成 (\d+/\d+) 部分", page).group(1)


@pytest.fixture
def application():
    return ApplicationFactory()


def test_a_failed_save_ticks_nothing_it_did_not_write(client, application):
    client.force_login(application.created_by)
    before = client.get(_section_url(application, "training")).content.decode()
    assert _ticks(before)["training"] == "0"
    assert _count(before) == "0/7"

    # Valid figures, but a file that is not what it claims: nothing is saved.
    spoofed = SimpleUploadedFile("台账.pdf", b"hello", content_type="application/pdf")
    response = client.post(_section_url(application, "training"), {**TRAINING, "evidence-training": spoofed})
    assert response.status_code == 200
    page = response.content.decode()
    assert _ticks(page)["training"] == "0"
    assert _count(page) == "0/7"
    assert "未填写“上年度职业培训人数”" in page  # 本部分尚缺, as saved
    assert 'value="1500"' in page  # what was typed is still on the page
    messages = [(message.level_tag, str(message)) for message in response.context["messages"]]
    assert [level for level, _text in messages] == ["error"]
    assert "未保存" in messages[0][1]
    application.refresh_from_db()
    assert application.annual_trainees is None

    # The same figures saved for real tick the section.
    client.post(_section_url(application, "training"), TRAINING)
    after = client.get(_section_url(application, "training")).content.decode()
    assert _ticks(after)["training"] == "1"
    assert _count(after) == "1/7"


def test_every_section_page_leads_to_the_submit_step(client, application):
    client.force_login(application.created_by)
    page = client.get(_section_url(application, "management")).content.decode()
    submit_url = reverse("applications:submit", args=[application.pk])
    assert re.search(rf'href="{submit_url}"[^>]*data-testid="submit-step"', page)
    assert "检查并提交" in page


def test_the_last_section_saves_and_goes_on_to_check_and_submit(client, application):
    client.force_login(application.created_by)
    page = client.get(_section_url(application, "integrity")).content.decode()
    assert "保存并检查提交" in page
    response = client.post(
        _section_url(application, "integrity"),
        {"integrity_declared": "on", "integrity_signatory": "张三", "save_next": "1"},
    )
    assert response.status_code == 302
    assert response.url == reverse("applications:submit", args=[application.pk])


def test_the_submit_step_shows_the_steps_and_what_is_missing(client, application):
    client.force_login(application.created_by)
    page = client.get(reverse("applications:submit", args=[application.pk])).content.decode()
    assert 'aria-current="page" data-testid="submit-step"' in page
    assert _count(page) == "0/7"
    assert "以下内容尚未完成" in page
    assert _section_url(application, "management") in page

    complete_application(application)
    page = client.get(reverse("applications:submit", args=[application.pk])).content.decode()
    assert _count(page) == "7/7"
    assert "必填内容和必需材料已齐全" in page
    assert 'data-testid="submit-button"' in page
    assert "提交申报" in page


def test_the_submit_step_says_resubmit_for_a_returned_application(client):
    application = complete_application(ApplicationFactory(state=ApplicationState.RETURNED))
    client.force_login(application.created_by)
    page = client.get(reverse("applications:submit", args=[application.pk])).content.decode()
    assert "检查并重新提交" in page
    assert "确认重新提交" in page
