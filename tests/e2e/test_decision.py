"""Clause 4.3 (the decision) in the browser: city HRSS drafts, city finance co-signs, city HRSS
issues and releases the notifications, and the unit downloads its approval letter."""

import pytest
from playwright.sync_api import expect

from applications.models import Application
from review.decisions.models import Decision
from tests.factories import TEST_PASSWORD
from tests.review.decisions.conftest import make_publicity_batch


def _logout(page):
    page.get_by_role("button", name="退出").click()


@pytest.mark.demo_stages("open")
def test_city_drafts_finance_cosigns_city_issues_and_the_unit_gets_its_letter(page, login, demo):
    batch = make_publicity_batch(applications=1)
    application = Application.objects.select_related("unit", "created_by").get(batch=batch)
    decision_url = f"{demo.url}/review/decisions/batches/{batch.pk}/"
    page.on("dialog", lambda dialog: dialog.accept())

    login("city_hrss")
    page.get_by_role("link", name="认定发文").first.click()
    page.get_by_test_id("decision-row").get_by_role("link").click()
    expect(page.get_by_test_id("decision-item")).to_have_count(1)
    expect(page.get_by_label("正文")).to_contain_text("绍市人社发〔2022〕47号")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_test_id("decision-state")).to_have_text("起草中")
    _logout(page)

    login("city_finance")
    page.goto(decision_url)
    page.get_by_label("会签意见（可选）").fill("经审核，同意。")
    page.get_by_role("button", name="会签").click()
    expect(page.get_by_test_id("decision-state")).to_have_text("财政已会签")
    _logout(page)

    login("city_hrss")
    page.goto(decision_url)
    page.get_by_role("button", name="印发认定文件").click()
    expect(page.get_by_test_id("decision-state")).to_have_text("已印发")
    decision = Decision.objects.get(batch=batch)
    expect(page.get_by_test_id("document-number")).to_have_text(decision.document_number)
    expect(page.get_by_test_id("held-count")).to_have_text("2")
    page.get_by_test_id("release").click()
    expect(page.get_by_test_id("held-count")).to_have_text("0")
    page.get_by_test_id("notice-link").click()
    expect(page.get_by_test_id("doc-number")).to_have_text(decision.document_number)
    _logout(page)

    login(application.created_by.username, TEST_PASSWORD)
    page.goto(f"{demo.url}/applications/{application.pk}/")
    banner = page.get_by_test_id("approval-letter")
    expect(banner).to_contain_text(decision.document_number)
    with page.expect_download() as download:
        banner.get_by_role("link", name="下载认定通知书").click()
    assert download.value.suggested_filename == f"{application.unit.name}认定通知书.pdf"
    banner.get_by_role("link", name="查看认定文件").click()
    expect(page.get_by_test_id("bases")).to_contain_text(application.unit.name)
    # The notice reads on a phone: nothing scrolls sideways at 390 px.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
