"""Clause 6.2 and the public pages of the bases in the browser: the city records a 整改 assessment
(bad input first: the error is shown and nothing typed is lost), then the follow-up returns the base
to active; the public list and the statistics with their charts pass axe-core at 1366 and 390 px."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.test_accessibility import SCREENSHOTS, Walk
from tests.reporting.bases.conftest import make_base


def _logout(page):
    page.get_by_role("button", name="退出", exact=True).click()
    expect(page.get_by_role("banner").get_by_role("link", name="登录")).to_be_visible()  # signed out first


def test_the_city_records_a_rectification_and_then_a_return_to_active(page, login, demo):
    base = make_base(division="330603", unit_type="enterprise", industry_code="C1711")
    today = timezone.localdate()
    deadline = today + timedelta(days=30)

    login("city_hrss")
    page.goto(f"{demo.url}/bases/{base.pk}/")
    expect(page.get_by_test_id("base-state")).to_have_text("正常运行")
    page.get_by_role("link", name="登记考核评估").click()

    form = page.get_by_test_id("assessment-form")
    form.get_by_label("考核日期").fill(today.isoformat())
    form.get_by_label("考核范围和内容").fill("年度建设情况和项目开展情况检查")
    form.get_by_label("考核发现").fill("实训设备台账与实物不符。")
    form.get_by_label("整改", exact=True).check()
    form.get_by_role("button", name="登记").click()
    # No reasons and no deadline: refused beside each field, what was typed kept.
    expect(page.get_by_text("结论为“整改”时，请写明整改的理由和要求。")).to_be_visible()
    expect(page.get_by_text("结论为“整改”时，请填写整改期限。")).to_be_visible()
    form = page.get_by_test_id("assessment-form")
    expect(form.get_by_label("考核发现")).to_have_value("实训设备台账与实物不符。")
    expect(form.get_by_label("整改", exact=True)).to_be_checked()

    form.get_by_label("整改或退出理由").fill("一个月内完成设备清查。")
    form.get_by_label("整改期限").fill(deadline.isoformat())
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_text("已登记考核评估，结论：整改。")).to_be_visible()
    expect(page.get_by_test_id("base-state")).to_have_text("限期整改")
    expect(page.get_by_test_id("rectification-alert")).to_contain_text(
        f"{deadline.year}年{deadline.month}月{deadline.day}日"
    )

    page.get_by_role("link", name="登记考核评估").click()
    form = page.get_by_test_id("assessment-form")
    form.get_by_label("考核日期").fill(today.isoformat())
    form.get_by_label("考核范围和内容").fill("整改复查")
    form.get_by_label("考核发现").fill("设备已清查维护，台账相符。")
    form.get_by_label("合格").check()
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("base-state")).to_have_text("正常运行")
    expect(page.get_by_test_id("rectification-alert")).to_have_count(0)
    expect(page.get_by_test_id("timeline-entry")).to_have_count(3)  # approval, rectification, return
    expect(page.get_by_test_id("assessment-row").first).to_contain_text("复查")

    # The city's dashboard counts the base among the active ones of 柯桥区.
    page.goto(f"{demo.url}/dashboard/")
    expect(page.get_by_test_id("panel-bases-city")).to_contain_text("柯桥区")


@pytest.mark.parametrize("pixels", [1366, 390], ids=["desktop", "phone"])
def test_the_public_list_and_statistics_pass_axe_and_fit_the_screen(page, demo, pixels):
    make_base(division="330602", unit_type="college", trainees=1800, specialties=("数控车工", "电工", "焊工"))
    make_base(
        division="330603", unit_type="enterprise", industry_code="C1711", sector="advanced_manufacturing"
    )
    make_base(
        division="330681", unit_type="enterprise", industry_code="C3484", sector="advanced_manufacturing"
    )
    make_base(division="330604", unit_type="training_institution", trainees=1500)
    page.set_viewport_size({"width": pixels, "height": 900})
    folder = SCREENSHOTS / f"{pixels}px" / "bases"
    folder.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    walk = Walk(page, demo.url, folder)

    walk.visit("/bases/")
    expect(page.get_by_test_id("public-base")).to_have_count(4)
    walk.visit("/bases/?county=330603")
    expect(page.get_by_test_id("public-base")).to_have_count(1)
    walk.visit("/bases/statistics/")
    expect(page.get_by_test_id("listed-total")).to_have_text("4")
    # Chart.js drew every chart (served locally, under the strict CSP: no console error).
    assert page.evaluate("typeof window.Chart") == "function"
    assert page.evaluate("document.querySelectorAll('canvas[data-chart]').length") == 6
    assert page.evaluate(
        "[...document.querySelectorAll('canvas[data-chart]')].every(c => window.Chart.getChart(c))"
    )
    expect(page.get_by_test_id("uncovered-coverage_sections")).to_contain_text("I 信息传输")
    page.get_by_test_id("chart-by_county").get_by_text("数据表").click()
    expect(page.get_by_test_id("chart-by_county").get_by_role("row", name="柯桥区")).to_be_visible()

    assert walk.problems == [], "\n".join(walk.problems)
    assert errors == []


def test_funding_and_an_exit_on_a_phone(page, login, demo):
    """At 390 px: county finance records funding (a negative amount refused, the form kept), county
    HRSS proposes an exit, the city decides it and the base leaves the public list."""
    base = make_base(division="330602")
    page.set_viewport_size({"width": 390, "height": 900})
    folder = SCREENSHOTS / "390px" / "bases-staff"
    folder.mkdir(parents=True, exist_ok=True)
    walk = Walk(page, demo.url, folder)

    login("yuecheng_finance")
    walk.visit("/bases/manage/")
    page.get_by_role("link", name=base.name).click()
    page.get_by_role("link", name="登记经费支持").click()
    form = page.get_by_test_id("funding-form")
    form.get_by_label("金额（元）").fill("-100")
    form.get_by_label("用途").select_option(label="师资培训")
    form.get_by_label("拨款文件文号").fill("越财社〔2026〕7号")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_text("金额须大于 0 元")).to_be_visible()
    form = page.get_by_test_id("funding-form")
    expect(form.get_by_label("拨款文件文号")).to_have_value("越财社〔2026〕7号")
    expect(form.get_by_label("金额（元）")).to_have_value("-100")
    form.get_by_label("金额（元）").fill("80000")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("funding-row")).to_contain_text("80000.00")
    walk.visit(f"/bases/{base.pk}/")
    walk.visit("/bases/funding/")
    expect(page.get_by_test_id("funding-total")).to_have_text("80000.00")
    _logout(page)

    login("yuecheng_hrss")
    walk.visit(f"/bases/{base.pk}/assessments/new/")
    form = page.get_by_test_id("assessment-form")
    form.get_by_label("考核日期").fill(timezone.localdate().isoformat())
    form.get_by_label("考核范围和内容").fill("年度考核")
    form.get_by_label("考核发现").fill("连续两年培训规模不足1500人。")
    form.get_by_label("退出", exact=True).check()
    form.get_by_label("整改或退出理由").fill("限期整改后仍未达到三（一）2的培训规模。")
    form.get_by_role("button", name="登记").click()
    expect(page.get_by_test_id("pending-exit")).to_be_visible()
    expect(page.get_by_role("link", name="决定退出建议")).to_have_count(0)  # the county may not decide
    _logout(page)

    login("city_hrss")
    walk.visit("/dashboard/")
    page.get_by_test_id("panel-bases-city").get_by_role("link", name=base.name).click()
    decision = page.get_by_test_id("exit-decision-form")
    decision.get_by_label("同意退出（印发退出通知）").check()
    decision.get_by_role("button", name="提交决定").click()
    expect(page.get_by_test_id("base-state")).to_have_text("已退出")
    expect(page.get_by_test_id("exit-notice-link")).to_contain_text("绍市人社发")
    walk.visit("/bases/")
    expect(page.get_by_text(base.name)).to_have_count(0)

    assert walk.problems == [], "\n".join(walk.problems)


def test_the_unit_sees_its_own_base_on_a_phone(page, login, demo):
    from shaoxing_bases.accounts.models import User

    unit = User.objects.get(username="applicant").unit
    base = make_base(unit=unit, year=2023)
    page.set_viewport_size({"width": 390, "height": 900})
    folder = SCREENSHOTS / "390px" / "bases-unit"
    folder.mkdir(parents=True, exist_ok=True)
    walk = Walk(page, demo.url, folder)

    login("applicant")
    expect(page.get_by_test_id("panel-bases-unit")).to_contain_text(base.name)
    walk.visit("/bases/mine/")
    page.get_by_role("link", name=base.name).click()
    expect(page.get_by_test_id("base-state")).to_have_text("正常运行")
    expect(page.get_by_role("link", name="登记考核评估")).to_have_count(0)
    walk.visit(f"/bases/{base.pk}/")
    assert walk.problems == [], "\n".join(walk.problems)
