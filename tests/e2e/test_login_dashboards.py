import pytest
from playwright.sync_api import expect

DEMO_LOGINS = [
    ("applicant", "申报单位工作台"),
    ("yuecheng_hrss", "区县人社局工作台"),
    ("keqiao_finance", "区县财政局工作台"),
    ("city_hrss", "市人社局工作台"),
    ("city_finance", "市财政局工作台"),
    ("expert1", "评审专家工作台"),
    ("admin", "系统管理员工作台"),
]


@pytest.mark.parametrize(("username", "heading"), DEMO_LOGINS)
def test_demo_role_logs_in_and_sees_dashboard(page, login, username, heading):
    login(username)
    expect(page.get_by_test_id("dashboard-title")).to_have_text(heading)
    expect(page.get_by_role("button", name="退出")).to_be_visible()


def test_wrong_password_stays_on_login_with_chinese_error(page, login):
    login("applicant", "not-the-password")
    expect(page.get_by_text("用户名或密码错误")).to_be_visible()
    expect(page.get_by_label("用户名")).to_have_value("applicant")


def test_pages_load_without_csp_violations(page, login):
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    login("city_hrss")
    page.goto(page.url.replace("/dashboard/", "/inbox/"))
    expect(page.get_by_role("heading", name="站内消息")).to_be_visible()
    assert not [error for error in errors if "Content Security Policy" in error], errors
