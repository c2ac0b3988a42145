"""/verify/ in a browser at 390 px: a visitor checks a signed letter by upload and by its 校验码.

axe-core scans every page it loads (tests/a11y); the page must not scroll sideways on a phone.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from shaoxing_bases.documents.samples import letter_specimen_context
from shaoxing_bases.documents.signing import document_issue
from tests.factories import region

SCREENS = Path(__file__).resolve().parents[2] / "test-artifacts" / "verify"


@pytest.fixture
def issued(transactional_db):
    return document_issue(
        kind="letter_specimen",
        title="关于推荐市级高技能人才公共实训基地建设项目候选单位的函",
        number="柯人社函〔2026〕12号",
        issuer="绍兴市柯桥区人力资源和社会保障局",
        signer="county_hrss_330603",
        template="documents/gbt9704_letter.html",
        context=letter_specimen_context(),
        related=region("330603"),
    )


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"


def test_a_visitor_checks_a_letter_by_upload_and_by_code_on_a_phone(page, live_server, issued, tmp_path):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url)
    page.get_by_role("link", name="公文真伪核验").click()
    expect(page.get_by_role("heading", name="公文真伪核验", level=1)).to_be_visible()
    _fits(page)

    with issued.file.open("rb") as handle:
        genuine = tmp_path / "推荐函.pdf"
        genuine.write_bytes(handle.read())
    page.get_by_label("公文 PDF 文件").set_input_files(str(genuine))
    page.get_by_role("button", name="核验文件").click()
    result = page.get_by_test_id("verify-result")
    expect(result).to_have_attribute("data-verdict", "genuine")
    expect(result).to_contain_text("绍兴市柯桥区人力资源和社会保障局")
    expect(result).to_contain_text(issued.display_code)
    _fits(page)
    page.screenshot(path=str(SCREENS / "genuine-390.png"), full_page=True)

    fake = tmp_path / "假公文.pdf"
    fake.write_bytes(b"<html>\xe5\x81\x87</html>")
    page.get_by_label("公文 PDF 文件").set_input_files(str(fake))
    page.get_by_role("button", name="核验文件").click()
    expect(page.get_by_text("这不是 PDF 文件")).to_be_visible()

    page.get_by_label("文号或标题").fill("柯人社函〔2026〕12号")
    page.get_by_role("textbox", name="校验码").fill(issued.display_code.lower())
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-verdict", "genuine")

    page.get_by_label("文号或标题").fill("柯人社函〔2026〕12号")
    page.get_by_role("textbox", name="校验码").fill("ABCD-EFGH-JKLM")
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_test_id("verify-result")).to_have_attribute("data-verdict", "unknown")
    _fits(page)
    page.screenshot(path=str(SCREENS / "unknown-390.png"), full_page=True)
