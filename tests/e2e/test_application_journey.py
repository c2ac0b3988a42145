"""A unit registers, fills its application, watches a failing clause turn green, uploads evidence
and submits — in Debian's Chromium against the live server."""

import re

from playwright.sync_api import expect

from applications.enums import ApplicationState, BatchState
from applications.models import Application, Batch
from tests.applications.factories import complete_application, make_credit_code

PASSWORD = "Kq7m@Pz2w9"


def _register_unit(page, base_url: str, credit_code: str) -> None:
    page.goto(f"{base_url}/units/register/")
    page.get_by_label("统一社会信用代码").fill(credit_code)
    page.get_by_label("单位名称").fill("绍兴市越城区技能实训学院")
    page.get_by_label("单位类型").select_option("college")
    page.get_by_label("通讯地址").fill("绍兴市越城区中兴南路1号")
    page.get_by_label("法定代表人").fill("王立新")
    page.get_by_label("联系人").fill("陈晓燕")
    page.get_by_label("联系电话").fill("13857512345")
    page.get_by_label("电子邮箱").fill("jidi@example.cn")
    page.get_by_label("用户名").fill("yc_college")
    page.get_by_label("姓名").fill("陈晓燕")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("注册")).click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("申报单位工作台")


def test_unit_registers_fills_sees_clause_turn_green_uploads_and_submits(page, demo, tmp_path):
    # seed_demo (the `demo` fixture) opened this year's batch.
    assert Batch.objects.filter(state=BatchState.OPEN).count() == 1
    _register_unit(page, demo.url, make_credit_code(division="330602"))

    page.goto(f"{demo.url}/applications/mine/")
    page.get_by_role("button", name="开始申报").click()
    application = Application.objects.get(unit__name="绍兴市越城区技能实训学院")

    # The long lists (20 partner agreements, 3 specialties, rule documents) are filled server-side;
    # the browser fills the training figures and uploads that section's evidence itself.
    complete_application(application)
    Application.objects.filter(pk=application.pk).update(annual_trainees=None)

    page.goto(f"{demo.url}/applications/{application.pk}/edit/training/")
    trainees = page.get_by_label("上年度职业培训人数")
    criterion = page.locator('[data-criterion="annual_trainees"]')
    trainees.fill("1499")
    expect(criterion).to_have_attribute("data-outcome", "fail")
    expect(criterion).to_contain_text("1500")
    trainees.fill("1500")
    expect(criterion).to_have_attribute("data-outcome", "pass")

    evidence = tmp_path / "2025年度培训台账.pdf"
    evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    page.locator('[data-evidence="training"] input[type=file]').set_input_files(str(evidence))
    page.get_by_role("button", name="保存", exact=True).click()
    expect(page.locator('[data-evidence="training"]')).to_contain_text("2025年度培训台账.pdf")

    page.goto(f"{demo.url}/applications/{application.pk}/")
    page.get_by_role("link", name="提交申报", exact=True).click()
    page.get_by_test_id("submit-button").click()
    expect(page.get_by_role("alert").filter(has_text="已提交")).to_be_visible()
    page.screenshot(path=str(tmp_path / "submitted.png"), full_page=True)

    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert application.annual_trainees == 1500
    assert application.attachments.filter(original_name="2025年度培训台账.pdf").exists()
