"""The publicity pages: the public notice with explicit dates and no personal data, the objection
form refusing bad input without a 500 and without losing what was typed, the receipt and the lookup,
the city's pages with a fixed number of queries."""

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from review.publicity.models import Objection, Publicity
from review.publicity.selectors import window_text
from review.publicity.services import objection_assign, objection_decide
from shaoxing_bases.accounts.enums import Role
from tests.factories import UserFactory

from .conftest import confirmed_batch, file_objection, publish

pytestmark = pytest.mark.django_db

REASONS = "该单位申报的年培训人数与实际不符，去年实际培训不足一千人。"


def _form(publicity, **overrides):
    entry = publicity.entries.order_by("position").first()
    page = _notice_page(publicity)
    key = page.context["form"].initial["submission_key"]
    return {
        "entry": str(entry.pk),
        "name": "李四",
        "phone": "13912345678",
        "organisation": "",
        "reasons": REASONS,
        "submission_key": str(key),
        **overrides,
    }


def _notice_page(publicity):
    from django.test import Client

    return Client().get(reverse("gongshi:notice", args=[publicity.pk]))


def test_the_public_notice_shows_explicit_dates_the_list_and_the_contact(client, publicity):
    response = client.get(reverse("gongshi:notice", args=[publicity.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    start = timezone.localtime(publicity.starts_at).date()
    assert f"{start.year}年{start.month}月{start.day}日至" in html
    assert window_text(publicity) in html
    for entry in publicity.entries.all():
        assert entry.unit_name in html
        assert entry.county_name in html
        assert str(entry.score) in html
    assert publicity.contact_phone in html
    assert publicity.notice_sha256 in html
    assert 'data-testid="objection-form"' in html


def test_no_personal_data_on_the_public_pages(client, publicity):
    objection = file_objection(publicity, name="王秘密", phone="13712345678", organisation="某某公司")
    for url in (reverse("gongshi:list"), reverse("gongshi:notice", args=[publicity.pk])):
        html = client.get(url).content.decode()
        assert "王秘密" not in html
        assert "13712345678" not in html
        assert objection.receipt_no not in html
        for entry in publicity.entries.select_related("application__unit"):
            assert entry.application.unit.contact_phone not in html
            assert entry.application.unit.legal_representative not in html


def test_filing_through_the_form_shows_the_receipt(client, publicity):
    data = _form(publicity)
    data["evidence"] = SimpleUploadedFile("台账.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    response = client.post(reverse("gongshi:file_objection", args=[publicity.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("gongshi:receipt")
    objection = Objection.objects.get()
    receipt = client.get(response.url).content.decode()
    assert objection.receipt_no in receipt
    # The same form again (a double click): the first receipt, not a second objection.
    again = client.post(
        reverse("gongshi:file_objection", args=[publicity.pk]),
        _form(publicity) | {"submission_key": data["submission_key"]},
        follow=True,
    )
    assert objection.receipt_no in again.content.decode()
    assert Objection.objects.count() == 1


def test_one_second_after_the_window_the_form_is_refused_with_the_dates_and_keeps_the_text(client, publicity):
    data = _form(publicity)
    with time_machine.travel(publicity.ends_at + timedelta(seconds=1), tick=False):
        response = client.post(reverse("gongshi:file_objection", args=[publicity.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "已于" in html
    assert "24时截止" in html
    assert window_text(publicity) in html
    assert not Objection.objects.exists()


def test_a_fake_pdf_is_refused_and_the_text_is_kept(client, publicity):
    data = _form(publicity)
    data["evidence"] = SimpleUploadedFile("证明.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(reverse("gongshi:file_objection", args=[publicity.pk]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "不是有效的" in html
    assert REASONS in html
    assert 'value="李四"' in html
    assert not Objection.objects.exists()


def test_a_hundred_posts_from_one_address_are_rate_limited_without_a_server_error(client, publicity):
    url = reverse("gongshi:file_objection", args=[publicity.pk])
    statuses = []
    for index in range(100):
        data = _form(publicity, phone=f"137{index:08d}")
        response = client.post(url, data, REMOTE_ADDR="203.0.113.50")
        statuses.append(response.status_code)
    assert set(statuses) <= {200, 302}
    assert statuses.count(302) == 10
    assert "提交过于频繁" in response.content.decode()
    assert REASONS in response.content.decode()
    assert Objection.objects.count() == 10


def test_the_lookup_shows_the_outcome_with_the_right_phone_only(client, publicity):
    objection = file_objection(publicity)
    manager = UserFactory(role=Role.CITY_HRSS)
    objection = objection_assign(objection=objection, actor=manager, reviewer=None)
    objection_decide(
        objection=objection, actor=manager, upheld=False, findings="经核实，培训台账真实完整，异议不成立。"
    )
    url = reverse("gongshi:lookup")
    wrong = client.post(url, {"receipt_no": objection.receipt_no, "phone": "13900000000"})
    assert "未找到该异议" in wrong.content.decode()
    right = client.post(url, {"receipt_no": objection.receipt_no, "phone": objection.phone})
    html = right.content.decode()
    assert "异议不成立" in html
    assert "培训台账真实完整" in html


def test_the_lookup_is_rate_limited(client):
    url = reverse("gongshi:lookup")
    for _ in range(20):
        client.post(url, {"receipt_no": "YY2026000000000", "phone": "13900000000"})
    response = client.post(url, {"receipt_no": "YY2026000000000", "phone": "13900000000"})
    assert "查询过于频繁" in response.content.decode()


def test_a_notice_before_its_window_is_not_public(client):
    publicity = publish(starts_on=timezone.localdate() + timedelta(days=2))
    assert client.get(reverse("gongshi:notice", args=[publicity.pk])).status_code == 404
    assert publicity.title not in client.get(reverse("gongshi:list")).content.decode()


def test_the_start_page_previews_the_window_and_warns_of_missing_holidays(client, db):
    batch, manager = confirmed_batch()
    client.force_login(manager)
    url = reverse("review:publicity_start", args=[batch.pk])
    page = client.get(url).content.decode()
    assert "window-preview" in page
    assert "法定节假日安排" in page  # next year's holidays are not in the table
    start = timezone.localdate() + timedelta(days=3)
    response = client.post(
        url,
        {
            "starts_on": start.isoformat(),
            "contact_department": "市人力社保局职业能力建设处",
            "contact_phone": "0575-85201234",
            "contact_address": "绍兴市越城区洋江西路589号",
        },
    )
    publicity = Publicity.objects.get(batch=batch)
    assert response.url == reverse("review:publicity", args=[publicity.pk])
    assert publicity.starts_on == start


def test_the_start_page_refuses_a_past_date_beside_the_field(client, db):
    batch, manager = confirmed_batch()
    client.force_login(manager)
    response = client.post(
        reverse("review:publicity_start", args=[batch.pk]),
        {
            "starts_on": (timezone.localdate() - timedelta(days=1)).isoformat(),
            "contact_department": "市人力社保局",
            "contact_phone": "0575-85201234",
            "contact_address": "绍兴市越城区洋江西路589号",
        },
    )
    assert response.status_code == 200
    assert "不能早于今天" in response.content.decode()


def test_the_filers_phone_is_masked_for_city_finance(client, publicity):
    objection = file_objection(publicity, phone="13712345678")
    client.force_login(UserFactory(role=Role.CITY_FINANCE))
    html = client.get(reverse("review:objection", args=[objection.pk])).content.decode()
    assert "13712345678" not in html
    assert "137****5678" in html
    client.force_login(UserFactory(role=Role.CITY_HRSS))
    assert "13712345678" in client.get(reverse("review:objection", args=[objection.pk])).content.decode()


@pytest.mark.parametrize("rows", [1, 5])
def test_the_notice_detail_runs_a_fixed_number_of_queries(client, rows, django_assert_num_queries, publicity):
    for index in range(rows):
        file_objection(publicity, phone=f"136{index:08d}")
    client.force_login(UserFactory(role=Role.CITY_HRSS))
    with django_assert_num_queries(13):
        response = client.get(reverse("review:publicity", args=[publicity.pk]))
    assert response.content.decode().count('data-testid="objection-row"') == rows


@pytest.mark.parametrize("rows", [1, 4])
def test_the_public_list_runs_a_fixed_number_of_queries(client, rows, django_assert_num_queries):
    for _ in range(rows):
        publish(applications=1)
    with django_assert_num_queries(1):
        response = client.get(reverse("gongshi:list"))
    assert response.status_code == 200


def test_the_confirmed_ranking_links_to_publishing(client, db):
    batch, manager = confirmed_batch()
    client.force_login(manager)
    html = client.get(reverse("review:ranking", args=[batch.panel.pk])).content.decode()
    assert reverse("review:publicity_start", args=[batch.pk]) in html
    client.force_login(UserFactory(role=Role.CITY_FINANCE))
    html = client.get(reverse("review:ranking", args=[batch.panel.pk])).content.decode()
    assert reverse("review:publicity_start", args=[batch.pk]) not in html
