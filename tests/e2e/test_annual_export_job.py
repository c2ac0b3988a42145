"""The annual reports' export as a background job in Debian's Chromium: the city overview's 导出Excel,
the offer page, 开始生成, the job page with its download link and the message in the inbox — at 390 px
and 1366 px (axe-core scans each page)."""

from django.db.models import Max
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Batch
from reporting.annual import views as annual_views
from tests.applications.factories import BatchFactory
from tests.reporting.annual.factories import make_base, make_report


def test_city_staff_export_a_large_year_in_the_background(page, demo, login, monkeypatch):
    monkeypatch.setattr(annual_views, "BACKGROUND_FROM", 1)  # one report counts as many
    year = timezone.localdate().year
    batch_year = (Batch.objects.aggregate(last=Max("year"))["last"] or year) + 1
    make_report(make_base(batch=BatchFactory(year=batch_year)), year=year)
    page.set_viewport_size({"width": 390, "height": 900})  # a phone; the job page again at 1366 below
    login("city_hrss")

    page.goto(f"{demo.url}/annual-reports/city/?year={year}")
    page.get_by_role("link", name="导出Excel").click()
    expect(page.get_by_role("heading", name=f"导出{year}年度报告汇总")).to_be_visible()
    page.get_by_test_id("export-start").click()

    # Tasks run at commit in the tests: the job is done by the time its page loads.
    expect(page.get_by_test_id("job-progress")).to_have_attribute("data-state", "done")
    with page.expect_download() as download:
        page.get_by_test_id("job-download").click()
    assert download.value.suggested_filename == f"{year}年度报告.xlsx"
    page.set_viewport_size({"width": 1366, "height": 900})
    page.reload()
    expect(page.get_by_test_id("job-download")).to_be_visible()
    page.goto(f"{demo.url}/inbox/")
    expect(page.get_by_text(f"{year}年度报告汇总（Excel）已生成").first).to_be_visible()
