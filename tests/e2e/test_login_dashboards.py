import pytest
from playwright.sync_api import expect

DEMO_LOGINS = [
    ("applicant", "申报单位工作台"),
    ("yuecheng_hrss", "区县人力社保局工作台"),
    ("keqiao_finance", "区县财政局工作台"),
    ("city_hrss", "市人力社保局工作台"),
    ("city_finance", "市财政局工作台"),
    ("expert1", "评审专家工作台"),
    ("admin", "系统管理员工作台"),
]


@pytest.fixture
def csp_violations(page):
    """Every Content-Security-Policy violation the browser reports while the test runs."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    return violations


@pytest.mark.parametrize(("username", "heading"), DEMO_LOGINS)
def test_demo_role_logs_in_and_sees_dashboard_without_csp_violations(
    page, login, csp_violations, username, heading
):
    login(username)
    expect(page.get_by_test_id("dashboard-title")).to_have_text(heading)
    expect(page.get_by_role("button", name="退出")).to_be_visible()
    page.wait_for_load_state("networkidle")  # htmx panels and scripts have run
    assert csp_violations == []


def test_wrong_password_stays_on_login_with_chinese_error(page, login):
    login("applicant", "not-the-password")
    expect(page.get_by_text("用户名或密码错误")).to_be_visible()
    expect(page.get_by_label("用户名")).to_have_value("applicant")


def test_pages_load_without_csp_violations(page, demo, login, csp_violations):
    for path, heading in [("/", None), ("/units/register/", None), ("/accounts/login/", "用户登录")]:
        page.goto(f"{demo.url}{path}")
        page.wait_for_load_state("networkidle")
        if heading:
            expect(page.get_by_role("heading", name=heading)).to_be_visible()
    login("city_hrss")
    for path, heading in [("/inbox/", "站内消息"), ("/audit/", "审计日志")]:
        page.goto(f"{demo.url}{path}")
        expect(page.get_by_role("heading", name=heading)).to_be_visible()
        page.wait_for_load_state("networkidle")
    assert csp_violations == []
