"""The batch export as a background job in Debian's Chromium: the offer page, 开始生成, the job page with
its download link and the message in the inbox — at 1366 px and 390 px (axe-core scans each page)."""

from playwright.sync_api import expect

from applications.batches import views as batch_views
from applications.models import Batch


def test_city_staff_export_a_large_batch_in_the_background(page, demo, login, monkeypatch):
    monkeypatch.setattr(batch_views, "BACKGROUND_FROM", 1)  # the demo batch's few rows count as many
    batch = Batch.objects.order_by("-year").first()
    page.set_viewport_size({"width": 390, "height": 900})  # a phone; the job page again at 1366 below
    login("city_hrss")

    page.goto(f"{demo.url}/batches/{batch.pk}/")
    page.get_by_role("link", name="导出申报汇总（Excel）").click()
    expect(page.get_by_role("heading", name=f"导出{batch.year}年度申报汇总")).to_be_visible()
    page.get_by_test_id("export-start").click()

    # Tasks run at commit in the tests: the job is done by the time its page loads.
    expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "done")
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    assert download.value.suggested_filename == f"{batch.year}年度实训基地申报汇总.xlsx"
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    expect(page.get_by_test_id("job-download")).to_be_visible()
    page.goto(f"{demo.url}/inbox/")
    expect(page.get_by_text(f"{batch.year}年度申报汇总（Excel）已生成").first).to_be_visible()
