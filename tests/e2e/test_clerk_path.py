"""The clerk's path of issue 13, walked as a new user would in Debian's Chromium: the home page, the
form's steps up to 检查并提交, 撤回修改 and resubmission, a lapsed draft that says 已截止, the
放弃本批次申报 confirmation; a lockout with the attempts left, the unlock time and a contact, city
staff unlocking; a password reset by e-mail. Screenshots at 390 px and 1366 px go to
test-artifacts/clerk-path/."""

import re
from datetime import timedelta
from pathlib import Path

from django.core import mail
from django.db.models import Max
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationState, BatchState
from applications.models import Application, Batch
from shaoxing_bases.accounts.demo import DEMO_PASSWORD
from shaoxing_bases.accounts.models import User
from tests.applications.factories import ApplicationFactory, BatchFactory, complete_application

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "clerk-path"
NARROW, WIDE = 390, 1366
NEW_PASSWORD = "Xin@Mima2026"


def _shoot(page, name: str) -> None:
    """The page as a phone (390 px) and as an office screen (1366 px) show it."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    for width in (NARROW, WIDE):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": WIDE, "height": 900})


def _logout(page):
    page.get_by_role("button", name="退出").click()


def _sign_in(page, base_url: str, username: str, password: str):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def test_a_unit_submits_recalls_resubmits_sees_a_lapsed_draft_and_gives_up(page, demo, login, tmp_path):
    page.set_viewport_size({"width": WIDE, "height": 900})
    # The home page, as a visitor: the open batch, its deadline, 立即申报, the Measures, the contact.
    page.goto(demo.url)
    open_batch = page.get_by_test_id("home-open-batch").first
    expect(open_batch).to_contain_text("距申报截止还有")
    expect(open_batch.get_by_test_id("apply-now")).to_have_attribute("href", "/units/register/")
    expect(page.get_by_test_id("measures-download")).to_have_attribute(
        "href", "/static/docs/shaoxing-measures-2022-47.pdf"
    )
    expect(page.get_by_test_id("contact")).to_contain_text("职业能力建设处")
    _shoot(page, "home")
    page.get_by_test_id("help-links").get_by_role("link", name="申报单位").click()
    expect(page.get_by_role("heading", name="操作指南：申报单位")).to_be_visible()
    expect(page.get_by_text("撤回修改", exact=False).first).to_be_visible()

    # The demo unit's draft: everything filled but the integrity promise, which the clerk signs.
    user = User.objects.get(username="applicant")
    application = Application.objects.get(unit=user.unit, state=ApplicationState.DRAFT)
    complete_application(application, user)
    Application.objects.filter(pk=application.pk).update(integrity_declared=False, integrity_signatory="")

    login("applicant")
    page.goto(f"{demo.url}/applications/mine/")
    page.get_by_test_id("next-action").filter(has_text="继续填报").click()
    expect(page.get_by_test_id("progress-count")).to_contain_text("已完成 6/7 部分")
    page.get_by_test_id("section-nav").get_by_role("link", name=re.compile("诚信承诺")).click()

    # A failed save: a file that is not a PDF. Nothing is saved and nothing looks saved.
    bogus = tmp_path / "承诺书.pdf"
    bogus.write_bytes(b"this is not a pdf")
    page.get_by_label("已阅读并签署诚信承诺").check()
    page.locator('[data-evidence="integrity"] input[type=file]').set_input_files(str(bogus))
    page.get_by_test_id("save-and-review").click()
    expect(page.get_by_role("alert").filter(has_text="未保存")).to_be_visible()
    expect(page.locator('[data-section="integrity"]')).to_have_attribute("data-complete", "0")
    expect(page.get_by_test_id("progress-count")).to_contain_text("已完成 6/7 部分")
    _shoot(page, "section-failed-save")

    # Saved for real, the last section leads on to 检查并提交.
    page.locator('[data-evidence="integrity"] input[type=file]').set_input_files([])
    page.get_by_label("已阅读并签署诚信承诺").check()
    page.get_by_test_id("save-and-review").click()
    expect(page.get_by_role("heading", name=re.compile("检查并提交"))).to_be_visible()
    expect(page.get_by_test_id("progress-count")).to_contain_text("已完成 7/7 部分")
    _shoot(page, "check-and-submit")
    page.get_by_test_id("submit-button").click()
    expect(page.get_by_role("alert").filter(has_text="申报已提交")).to_be_visible()
    expect(page.get_by_test_id("state")).to_have_text("已提交（待区县初审）")
    # 放弃 is not beside 提交: it sits apart, in its own danger zone.
    expect(page.get_by_test_id("actions")).not_to_contain_text("放弃")
    expect(page.get_by_test_id("danger-zone")).to_contain_text("每个单位每个批次只能申报一次")
    _shoot(page, "detail-submitted")

    # 撤回修改 before the deadline: back to the form, then submitted again.
    page.get_by_test_id("actions").get_by_role("link", name="撤回修改").click()
    expect(page.get_by_test_id("recall-consequence")).to_contain_text("本批次的申报资格不受影响")
    page.get_by_test_id("recall-button").click()
    expect(page.get_by_role("alert").filter(has_text="已撤回修改")).to_be_visible()
    expect(page.get_by_test_id("application-state")).to_have_text("填报中")
    page.get_by_test_id("submit-step").click()
    page.get_by_test_id("submit-button").click()
    expect(page.get_by_role("alert").filter(has_text="申报已提交")).to_be_visible()
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED

    # Another draft of the unit, in a batch whose deadline passed: 已截止 and nothing to do.
    now = timezone.now()
    year = (Batch.objects.aggregate(last=Max("year"))["last"] or 2026) + 1
    lapsed = ApplicationFactory(
        unit=user.unit,
        created_by=user,
        batch=BatchFactory(
            year=year,
            state=BatchState.OPEN,
            opens_at=now - timedelta(days=30),
            submission_deadline=now - timedelta(hours=2),
        ),
    )
    page.goto(f"{demo.url}/applications/mine/")
    row = page.get_by_test_id("application-row").filter(has_text=lapsed.batch.title)
    expect(row.get_by_test_id("closed")).to_have_text("已截止")
    expect(row.get_by_test_id("next-action")).to_have_text("已截止，未提交，本批次不能再提交")
    expect(row.get_by_role("link", name="继续填报")).to_have_count(0)
    _shoot(page, "my-applications-lapsed")
    row.get_by_role("link", name=lapsed.batch.title).click()
    expect(page.get_by_test_id("closed")).to_have_text("已截止")
    actions = page.get_by_test_id("actions")
    for name in ("继续填报", "提交申报", "撤回修改"):
        expect(actions.get_by_role("link", name=name)).to_have_count(0)
    expect(page.get_by_test_id("danger-zone")).to_have_count(0)

    # 放弃本批次申报: the consequence spelled out, and nothing happens until the box is ticked.
    page.goto(f"{demo.url}/applications/{application.pk}/")
    page.get_by_test_id("danger-zone").get_by_role("link", name=re.compile("放弃本批次申报")).click()
    expect(page.get_by_test_id("withdraw-consequence")).to_contain_text("本批次不能再次申报")
    expect(page.get_by_test_id("withdraw-button")).to_be_disabled()
    _shoot(page, "withdraw-confirm")
    page.get_by_label(re.compile("我单位已知悉")).check()
    page.get_by_test_id("withdraw-button").click()
    expect(page.get_by_role("alert").filter(has_text="已放弃本批次申报")).to_be_visible()
    expect(page.get_by_test_id("state")).to_have_text("已放弃申报")


def test_a_user_is_locked_out_and_city_staff_unlock_them(page, demo, browser):
    page.set_viewport_size({"width": WIDE, "height": 900})
    for left in (4, 3, 2, 1):
        _sign_in(page, demo.url, "unit_yc_training", "wrong-password")
        expect(page.get_by_test_id("attempts-left")).to_have_text(
            f"再输错 {left} 次，该账号将在本机锁定30分钟。"
        )
    _shoot(page, "login-attempts-left")
    _sign_in(page, demo.url, "unit_yc_training", "wrong-password")
    expect(page.get_by_test_id("locked-out")).to_contain_text("已暂时锁定")
    unlock_time = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}")
    expect(page.get_by_test_id("unlocks-at")).to_have_text(unlock_time)
    expect(page.get_by_test_id("contact-phone")).to_be_visible()
    _shoot(page, "locked-out")

    staff = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai")
    try:
        city = staff.new_page()
        city.set_viewport_size({"width": WIDE, "height": 900})
        _sign_in(city, demo.url, "city_hrss", DEMO_PASSWORD)
        city.get_by_role("navigation", name="主导航").get_by_role("link", name="账号解锁").click()
        locked = city.get_by_test_id("lockout").filter(has_text="unit_yc_training")
        expect(locked).to_contain_text("陈晓燕（申报单位）")
        _shoot(city, "lockouts")
        locked.get_by_role("button", name=re.compile("解除")).click()
        expect(city.get_by_role("alert").filter(has_text="已解除账号")).to_be_visible()
        expect(city.get_by_test_id("lockout")).to_have_count(0)
        city.goto(f"{demo.url}/audit/")
        unlock = city.get_by_test_id("audit-entry").filter(has_text="解除账号锁定").first
        expect(unlock.get_by_test_id("audit-person")).to_contain_text("（市人力社保局）")
        _shoot(city, "audit")
    finally:
        staff.close()

    _sign_in(page, demo.url, "unit_yc_training", DEMO_PASSWORD)
    expect(page.get_by_test_id("dashboard-title")).to_have_text("申报单位工作台")


def test_a_user_resets_the_password_by_email_and_signs_in(page, demo):
    page.set_viewport_size({"width": WIDE, "height": 900})
    _sign_in(page, demo.url, "unit_kq_college", "wrong-password")
    expect(page.get_by_test_id("attempts-left")).to_contain_text("再输错 4 次")
    page.get_by_test_id("forgot-password").click()
    page.get_by_label("注册时填写的电子邮箱").fill("unit_kq_college@demo.sx.example.cn")
    page.get_by_role("button", name="发送重置邮件").click()
    expect(page.get_by_test_id("reset-sent")).to_contain_text("请查收电子邮件")
    _shoot(page, "password-reset-sent")

    # The demo's own notices are in the outbox too: the reset mail is the one about 重置密码.
    (message,) = [sent for sent in mail.outbox if "重置密码" in sent.subject]
    assert message.to == ["unit_kq_college@demo.sx.example.cn"]
    path = re.search(r"https?://[^/\s]+(/accounts/password-reset/\S+/)", message.body).group(1)
    page.goto(f"{demo.url}{path}")
    page.locator("#id_new_password1").fill("12345678")
    page.get_by_label("再次输入新密码").fill("12345678")
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_text("密码须至少包含")).to_be_visible()
    _shoot(page, "password-reset-weak")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="保存新密码").click()
    expect(page.get_by_test_id("reset-complete")).to_contain_text("密码已重置")
    page.get_by_role("link", name="去登录").click()
    page.get_by_label("用户名").fill("unit_kq_college")
    page.get_by_label("密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page.get_by_test_id("dashboard-title")).to_have_text("申报单位工作台")
    # The link works once.
    page.goto(f"{demo.url}{path}")
    expect(page.get_by_test_id("reset-invalid")).to_be_visible()
