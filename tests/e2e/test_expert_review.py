"""Clause 4.2 in the browser: three experts declare, score (autosaved) and submit; the city closes
the panel and confirms the shortlist."""

import pytest
from playwright.sync_api import expect

from review.panels.enums import PanelState, SheetState
from review.panels.models import Panel, ScoreSheet
from review.panels.services import panel_open_scoring
from shaoxing_bases.accounts.models import User
from tests.factories import TEST_PASSWORD
from tests.review.panels.conftest import make_panel

SCORES = ("8", "12", "17", "8.5", "12", "8", "8", "8")  # 81.5 of 100


def _logout(page):
    page.get_by_role("button", name="退出").click()


def _score_sheet(page, *, first: bool):
    """On a sheet page: declare, then score every indicator and submit."""
    declare = page.get_by_test_id("declare-form")
    for box in declare.get_by_role("checkbox").all():
        box.check()
    declare.get_by_role("button", name="声明无利害关系并开始评分").click()
    expect(page.get_by_text("已声明无利害关系，可以开始评分。")).to_be_visible()
    inputs = page.locator("input.score-input")
    expect(inputs).to_have_count(len(SCORES))
    if first:
        # Out of range first: refused beside the field, what was typed kept.
        inputs.nth(0).fill("99")
        page.get_by_label("评审意见").fill("材料齐全，规模达标。")
        page.get_by_role("button", name="提交评分表").click()
        expect(page.get_by_test_id("score-error").first).to_contain_text("分之间")
        expect(page.locator("input.score-input").nth(0)).to_have_value("99")
        inputs = page.locator("input.score-input")
    last = f"{inputs.nth(len(SCORES) - 1).get_attribute('name')}={SCORES[-1]}"
    for index, value in enumerate(SCORES[:-1]):
        inputs.nth(index).fill(value)

    def complete_save(response):
        return response.url.endswith("/save/") and last in (response.request.post_data or "")

    with page.expect_response(complete_save, timeout=15_000):
        inputs.nth(len(SCORES) - 1).fill(SCORES[-1])  # the autosave follows the last keystroke
    expect(page.get_by_test_id("sheet-total")).to_have_text("81.5")
    if first:
        # The autosave kept the draft on the server; opening the page again shows it.
        expect(page.get_by_test_id("save-status")).to_contain_text("草稿已于")
        sheet = page.get_by_test_id("sheet-form").get_attribute("data-sheet")
        page.goto(f"{page.url.split('/review/')[0]}/review/sheets/{sheet}/")  # not reload: it would re-post
        expect(page.locator("input.score-input").nth(1)).to_have_value("12")
    page.get_by_label("评审意见").fill("场地设备和师资条件较好，同意推荐。")
    page.get_by_role("button", name="提交评分表").click()


@pytest.mark.demo_stages("open")
def test_three_experts_score_and_the_city_confirms_the_shortlist(page, login, demo):
    panel = make_panel(experts=3, applications=2)
    city = User.objects.get(username="city_hrss")
    panel_open_scoring(panel=panel, actor=city)
    experts = [
        member.expert.user for member in panel.members.filter(kind="expert").select_related("expert__user")
    ]
    page.on("dialog", lambda dialog: dialog.accept())

    for number, expert in enumerate(experts):
        login(expert.username, TEST_PASSWORD)
        page.goto(f"{demo.url}/review/my/")
        expect(page.get_by_test_id("sheet-row")).to_have_count(2)
        for sheet_number in range(2):
            page.get_by_role("link", name="声明并评分").first.click()
            _score_sheet(page, first=number == 0 and sheet_number == 0)
            expect(page.get_by_text("的评分表。")).to_be_visible()
        expect(page.get_by_test_id("open-count")).to_have_text("待完成 0 份")
        _logout(page)

    assert ScoreSheet.objects.filter(panel=panel, state=SheetState.SUBMITTED).count() == 6

    login("city_hrss")
    page.goto(f"{demo.url}/review/panels/{panel.pk}/progress/")
    expect(page.get_by_test_id("cell")).to_have_count(6)
    page.get_by_role("button", name="结束评审").click()
    expect(page.get_by_test_id("ranking-row")).to_have_count(2)
    expect(page.get_by_test_id("final-score").first).to_have_text("81.50")
    page.get_by_label("确认意见").fill("同意评审组按得分高低提出的初选单位。")
    page.get_by_role("button", name="确认初选名单").click()
    expect(page.get_by_test_id("confirmed")).to_be_visible()
    assert Panel.objects.get(pk=panel.pk).state == PanelState.CONFIRMED
