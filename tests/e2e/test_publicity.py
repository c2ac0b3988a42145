"""Clause 4.3 in the browser: city HRSS publishes the confirmed shortlist; a member of the public files
an objection with evidence during the window and gets a receipt; the city assigns the re-examination
and upholds it (that unit drops out: disqualified); the filer reads the outcome; the window closes and
the form is refused with the window's dates."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from applications.enums import ApplicationState
from review.publicity.enums import ObjectionState, PublicityState
from review.publicity.models import Objection, Publicity
from review.publicity.selectors import window_text
from review.publicity.services import publicity_sweep
from tests.review.publicity.conftest import confirmed_batch

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"


def _logout(page):
    page.get_by_role("button", name="退出").click()


def _sign_in(login, page, username: str) -> None:
    """Sign in and let the dashboard finish loading (its scan must not meet a half-parsed page)."""
    login(username)
    expect(page.get_by_test_id("dashboard-title")).to_be_visible()
    page.wait_for_load_state("networkidle")


@pytest.mark.demo_stages("open")
def test_the_public_objects_the_city_upholds_and_the_window_closes(page, login, demo, tmp_path):
    batch, _manager = confirmed_batch(applications=2)
    page.on("dialog", lambda dialog: dialog.accept())

    # City HRSS publishes the notice, starting today.
    _sign_in(login, page, "city_hrss")
    page.goto(f"{demo.url}/review/publicity/")
    page.get_by_role("link", name="发布公示").click()
    expect(page.get_by_test_id("window-preview")).to_be_visible()
    page.get_by_label("公示开始日期").fill(timezone.localdate().isoformat())
    page.get_by_role("button", name="发布公示").click()
    expect(page.get_by_test_id("publicity-state")).to_have_text("公示中")
    publicity = Publicity.objects.get(batch=batch)
    _logout(page)

    # A member of the public files an objection with evidence during the window.
    page.goto(f"{demo.url}/gongshi/")
    page.get_by_role("link", name=publicity.title).click()
    expect(page.get_by_test_id("notice-window")).to_contain_text(window_text(publicity))
    expect(page.get_by_test_id("notice-entry")).to_have_count(2)
    target = publicity.entries.order_by("position").first()
    page.get_by_label("异议对象（公示单位）").select_option(label=target.unit_name)
    page.get_by_label("姓名").fill("赵六")
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_label("异议事由").fill("该单位申报的合作企业中有多家与其并无实际合作，请核实合作协议。")
    evidence = tmp_path / "合作协议核查.pdf"
    evidence.write_bytes(PDF)
    page.get_by_label("证明材料（选填）").set_input_files(str(evidence))
    page.get_by_role("button", name="提交异议").click()
    receipt = page.get_by_test_id("receipt-no").inner_text()
    objection = Objection.objects.get(receipt_no=receipt)
    assert objection.evidence_type == "application/pdf"

    # The city assigns the re-examination to itself and upholds the objection.
    _sign_in(login, page, "city_hrss")
    page.goto(f"{demo.url}/review/publicity/{publicity.pk}/")
    page.get_by_role("link", name=receipt).click()
    page.get_by_role("button", name="安排复核").click()
    expect(page.get_by_test_id("objection-state")).to_have_text("复核中")
    page.get_by_label("异议成立（取消该单位认定资格）").check()
    page.get_by_label("复核情况及理由").fill(
        "经核查，该单位所列合作企业中有五家无合作协议，合作企业不足20家，异议成立。"
    )
    page.get_by_role("button", name="记录复核结论").click()
    expect(page.get_by_test_id("objection-state")).to_have_text("异议成立")
    target.application.refresh_from_db()
    assert target.application.state == ApplicationState.DISQUALIFIED
    _logout(page)

    # The unit drops out on the public notice; the filer reads the outcome with the receipt.
    page.goto(f"{demo.url}/gongshi/{publicity.pk}/")
    expect(page.get_by_test_id("entry-disqualified")).to_have_count(1)
    page.goto(f"{demo.url}/gongshi/yiyi/chaxun/")
    page.get_by_label("受理编号").fill(receipt)
    page.get_by_label("联系电话").fill("13812345678")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("lookup-state")).to_have_text("异议成立")
    assert Objection.objects.get(pk=objection.pk).state == ObjectionState.UPHELD

    # The window closes: the clock refuses the form (even before the sweep), then the sweep closes it.
    with time_machine.travel(publicity.ends_at + timedelta(seconds=1)):
        page.goto(f"{demo.url}/gongshi/{publicity.pk}/")
        expect(page.get_by_test_id("objection-closed")).to_contain_text(window_text(publicity))
        expect(page.get_by_test_id("objection-closed")).to_contain_text("24时截止")
        publicity_sweep()
    assert Publicity.objects.get(pk=publicity.pk).state == PublicityState.CLOSED


@pytest.mark.demo_stages("publicity")
def test_the_publicity_pages_fit_a_phone(page, login, demo):
    """The demo's notice (open, one objection under an expert's re-examination) at 390 px: the public
    pages, the city's pages and the expert's, each scanned by axe and checked for sideways scrolling."""
    from tests.e2e.test_accessibility import SCREENSHOTS, Walk

    page.set_viewport_size({"width": 390, "height": 900})
    folder = SCREENSHOTS / "390px" / "publicity"
    folder.mkdir(parents=True, exist_ok=True)
    walk = Walk(page, demo.url, folder)
    publicity = Publicity.objects.get()
    objection = Objection.objects.get(state=ObjectionState.UNDER_REVIEW)

    for path in ("/", "/gongshi/", f"/gongshi/{publicity.pk}/", "/gongshi/yiyi/chaxun/"):
        walk.visit(path)
    _sign_in(login, page, "city_hrss")
    for path in (
        "/review/publicity/",
        f"/review/publicity/{publicity.pk}/",
        f"/review/objections/{objection.pk}/",
    ):
        walk.visit(path)
    expect(page.get_by_test_id("decide-form")).to_be_visible()
    _logout(page)
    _sign_in(login, page, objection.reviewer.username)
    expect(page.get_by_test_id("panel-publicity-expert")).to_be_visible()
    for path in ("/review/objections/mine/", f"/review/objections/{objection.pk}/"):
        walk.visit(path)
    expect(page.get_by_test_id("opinion-form")).to_be_visible()
    assert walk.problems == [], "\n".join(walk.problems)
