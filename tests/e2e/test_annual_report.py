"""Clause 6.3 in the browser: the city opens the year, a base files its report, the county returns
it, the base fixes and resubmits, the county approves, the city receives (备案)."""

from django.db.models import Max
from django.utils import timezone
from playwright.sync_api import expect

from applications.models import Batch
from reporting.annual.enums import ReportState
from reporting.annual.models import AnnualReport
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import BatchFactory
from tests.factories import TEST_PASSWORD, UserFactory
from tests.reporting.annual.factories import make_base


def _logout(page):
    # Signed out by dropping the session: 退出 lands on the public home page, whose own contrast
    # findings (a card footer, the header's 登录 button) belong to the home page's tests.
    page.context.clear_cookies()


def _fill(page, values: dict[str, str]) -> None:
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)


def test_base_files_county_returns_base_resubmits_county_approves_city_receives(page, login, demo):
    year = timezone.localdate().year
    batch_year = (Batch.objects.aggregate(last=Max("year"))["last"] or year) + 1
    base = make_base(batch=BatchFactory(year=batch_year))
    UserFactory(username="base_member", role=Role.APPLICANT, unit=base.unit)

    # City HRSS opens this year's reporting by hand (before 1 December the timer has not yet).
    login("city_hrss")
    page.goto(f"{demo.url}/annual-reports/city/")
    page.locator("#open-year").get_by_label("年度").fill(str(year))
    page.get_by_role("button", name="开启填报").click()
    expect(page.get_by_text(f"已开启{year}年度报告填报，1 个实训基地收到填报通知。")).to_be_visible()
    _logout(page)

    # The base: its dashboard panel leads to the form; a negative figure is refused, nothing lost.
    login("base_member", TEST_PASSWORD)
    panel = page.get_by_test_id("annual-report-panel")
    panel.get_by_role("link", name="填报").click()
    _fill(
        page,
        {
            "年度职业培训总人数": "1620",
            "其中高级工培训人数": "320",
            "其中技师培训人数": "-5",
            "年度技能评价人数": "1550",
            "工作开展情况": "全年开展数控车工、电工技能提升培训。",
        },
    )
    # The clause thresholds beside the figures follow what is typed (htmx, nothing saved yet).
    thresholds = page.get_by_test_id("thresholds")
    expect(thresholds).to_contain_text("按当前填写，尚未保存")
    expect(thresholds.locator('[data-criterion="annual_trainees"]')).to_have_attribute("data-outcome", "pass")
    page.get_by_role("button", name="保存并继续：二、承办专项培训情况").click()
    expect(page.get_by_text("其中技师培训人数不能为负数。")).to_be_visible()
    expect(page.get_by_label("工作开展情况", exact=True)).to_have_value(
        "全年开展数控车工、电工技能提升培训。"
    )
    _fill(page, {"其中技师培训人数": "90"})
    page.get_by_role("button", name="保存并继续：二、承办专项培训情况").click()
    _fill(page, {"高技能人才师资培训人数": "40", "质量督导人员培训人数": "6"})
    page.get_by_role("button", name="保存并继续：三、资金使用情况").click()
    _fill(page, {"本年度到位扶持资金（元）": "100000", "实训设备购置改造与维护（元）": "120000"})
    page.get_by_role("button", name="保存并继续：四、存在问题").click()
    expect(page.get_by_text("超过本年度到位扶持资金")).to_be_visible()  # warned, and saved
    page.get_by_role("button", name="保存并继续：五、下一年度工作计划").click()
    _fill(page, {"下一年度工作计划": "扩大技师研修规模。", "计划培训人数": "1800"})
    page.get_by_role("button", name="保存并检查提交").click()
    expect(page.get_by_test_id("funds-warning")).to_be_visible()
    page.get_by_role("button", name="提交区县审核").click()
    expect(page.get_by_text(f"已提交{year}年度报告")).to_be_visible()
    expect(page.get_by_test_id("report-state").first).to_have_text("待区县审核")
    _logout(page)

    # County HRSS returns it with a reason.
    login("yuecheng_hrss")
    page.goto(f"{demo.url}/annual-reports/county/?status=submitted")
    page.get_by_test_id("queue-row").filter(has_text=base.name).get_by_role("link", name="审核").click()
    page.get_by_label("退回修改", exact=True).check()
    page.get_by_label("审核意见", exact=True).fill("请说明资金使用超出到位资金部分的来源。")
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_text("已退回基地修改。")).to_be_visible()
    _logout(page)

    # The base fixes the problems section and hands it in again.
    login("base_member", TEST_PASSWORD)
    page.goto(f"{demo.url}/annual-reports/mine/")
    page.get_by_test_id("report-row").get_by_role("link", name="填报").click()
    expect(page.get_by_text("请说明资金使用超出到位资金部分的来源。")).to_be_visible()
    page.get_by_role("link", name="四、存在问题").click()
    _fill(page, {"存在问题": "超出部分为单位自筹资金 20000 元。"})
    page.get_by_role("button", name="保存并继续：五、下一年度工作计划").click()
    page.get_by_role("button", name="保存并检查提交").click()
    page.get_by_role("button", name="提交区县审核").click()
    expect(page.get_by_text(f"已提交{year}年度报告")).to_be_visible()
    _logout(page)

    # County HRSS approves: the report goes to the city.
    login("yuecheng_hrss")
    page.goto(f"{demo.url}/annual-reports/county/?status=submitted")
    page.get_by_test_id("queue-row").filter(has_text=base.name).get_by_role("link", name="审核").click()
    page.get_by_label("审核通过，报送市人力社保局", exact=True).check()
    page.get_by_role("button", name="提交审核结论").click()
    expect(page.get_by_text("已审核通过，报送市人力社保局。")).to_be_visible()
    _logout(page)

    # City HRSS receives it (备案).
    login("city_hrss")
    page.goto(f"{demo.url}/annual-reports/city/?year={year}")
    expect(page.get_by_test_id("county-overview")).to_contain_text("越城区")
    page.get_by_test_id("awaiting-row").filter(has_text=base.name).get_by_role("link", name="备案").click()
    page.get_by_label("备案", exact=True).check()
    page.get_by_role("button", name="确定").click()
    expect(page.get_by_text("已备案。")).to_be_visible()

    report = AnnualReport.objects.get(base=base, year=year)
    assert report.state == ReportState.CITY_RECEIVED
    assert report.problems == "超出部分为单位自筹资金 20000 元。"
    assert report.trainees_technician == 90

    # The same pages on a phone: no sideways scrolling (tables scroll inside their region).
    page.set_viewport_size({"width": 390, "height": 844})
    for path in (f"/annual-reports/city/?year={year}", f"/annual-reports/{report.pk}/"):
        page.goto(f"{demo.url}{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path
