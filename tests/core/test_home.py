"""The public home page (open batches with 立即申报, the Measures, the guides, the bureau's contact),
the Measures page and its PDF, and the 操作指南 per role."""

import re
from datetime import timedelta

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from applications.enums import BatchState
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.help import GUIDES
from shaoxing_bases.core.measures import static_pdf_file
from tests.applications.factories import BatchFactory
from tests.pdf_fonts import assert_pdf_fonts_cover_text

pytestmark = pytest.mark.django_db


def _home(client) -> str:
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def open_batch():
    now = timezone.now()
    return BatchFactory(
        state=BatchState.OPEN,
        opens_at=now - timedelta(days=2),
        submission_deadline=now + timedelta(days=5, hours=3, minutes=30),
    )


def test_visitors_see_the_open_batch_with_deadline_countdown_and_apply_now(client, open_batch):
    body = _home(client)
    assert open_batch.title in body
    deadline = timezone.localtime(open_batch.submission_deadline)
    assert f"{deadline:%Y}年{deadline.month}月{deadline.day}日 {deadline:%H:%M}" in body
    assert "距申报截止还有 5 天 3 小时" in body
    apply_now = re.search(r'<a [^>]*href="([^"]+)"[^>]*data-testid="apply-now">立即申报</a>', body)
    assert apply_now.group(1) == reverse("applications:register")
    assert f"?next={reverse('applications:my_applications')}" in body


def test_applicants_apply_now_from_my_applications(client, open_batch, make_user):
    client.force_login(make_user(Role.APPLICANT))
    apply_now = re.search(r'<a [^>]*href="([^"]+)"[^>]*data-testid="apply-now">', _home(client))
    assert apply_now.group(1) == reverse("applications:my_applications")


def test_staff_see_the_batch_without_apply_now(client, open_batch, make_user):
    client.force_login(make_user(Role.COUNTY_HRSS))
    body = _home(client)
    assert open_batch.title in body
    assert 'data-testid="apply-now"' not in body


def test_batches_not_taking_applications_are_not_offered(client):
    BatchFactory(state=BatchState.SCREENING)
    BatchFactory(state=BatchState.OPEN, opens_at=timezone.now() + timedelta(days=1))
    body = _home(client)
    assert "目前没有正在受理的申报批次" in body
    assert 'data-testid="apply-now"' not in body


@pytest.mark.parametrize("rows", [1, 5])
def test_home_query_count_is_fixed(client, django_assert_num_queries, rows):
    for _ in range(rows):
        BatchFactory(state=BatchState.OPEN)
    # the open batches and the current public notices (review.publicity); the bases' section is links
    with django_assert_num_queries(2):
        body = _home(client)
    assert body.count('data-testid="home-open-batch"') == rows


def test_home_offers_the_measures_guides_and_contact(client, settings):
    settings.BUREAU_CONTACT_PHONE = "0575-12345678"
    settings.BUREAU_CONTACT_NAME = "绍兴市人力资源和社会保障局测试处"
    body = _home(client)
    assert 'href="/static/docs/shaoxing-measures-2022-47.pdf" download' in body
    assert reverse("core:measures") in body
    for audience, (heading, _summary) in GUIDES.items():
        assert reverse("core:help", args=[audience]) in body
        assert heading in body
    (contact,) = re.findall(r'data-testid="contact">(.*?)</section>', body, re.S)
    assert "0575-12345678" in contact
    assert "绍兴市人力资源和社会保障局测试处" in contact


def test_every_role_but_admin_has_a_guide():
    assert set(GUIDES) == {*Role.values, "public"} - {Role.ADMIN}


@pytest.mark.parametrize("audience", list(GUIDES))
def test_each_guide_is_a_public_chinese_page(client, audience):
    response = client.get(reverse("core:help", args=[audience]))
    assert response.status_code == 200
    body = response.content.decode()
    assert f"操作指南：{GUIDES[audience][0]}" in body
    assert body.count("<li><strong>") >= 3  # the steps


def test_an_unknown_guide_is_404(client):
    assert client.get(reverse("core:help", args=["nobody"])).status_code == 404


def test_the_guide_index_lists_every_guide(client):
    body = client.get(reverse("core:help_index")).content.decode()
    for audience in GUIDES:
        assert reverse("core:help", args=[audience]) in body


def _paragraphs() -> list[str]:
    """Each paragraph of the Measures' text as the project holds it, without markup or spaces."""
    html = render_to_string("core/measures/_text.html")
    paragraphs = re.findall(r"<p[^>]*>(.*?)</p>", html, re.S)
    return [re.sub(r"<[^>]+>|\s", "", paragraph) for paragraph in paragraphs]


def test_the_measures_page_carries_the_whole_text(client):
    body = client.get(reverse("core:measures")).content.decode()
    flat = re.sub(r"<[^>]+>|\s", "", body)
    paragraphs = _paragraphs()
    assert len(paragraphs) == 30
    for paragraph in paragraphs:
        assert paragraph in flat
    assert "年职业培训规模不少于1500人，其中高级工及以上培训不少于400人" in flat


def test_the_committed_pdf_is_the_measures_in_legible_fonts():
    """`manage.py render_measures` wrote it from the same text; rerun it after editing the text."""
    pdf = static_pdf_file().read_bytes()
    assert pdf.startswith(b"%PDF")
    # Without spaces and page numbers ("— 6 —"), which fall inside paragraphs that cross a page.
    text = re.sub(r"—\d+—", "", re.sub(r"\s", "", assert_pdf_fonts_cover_text(pdf).text))
    assert "绍市人社发〔2022〕47号" in text
    for paragraph in _paragraphs():
        assert paragraph in text, paragraph[:30]
