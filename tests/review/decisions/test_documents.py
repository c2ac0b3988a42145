"""The decision's PDFs: A4 with the GB/T 9704 margins, fonts that draw every character, the number,
the joint masthead, the list as 附件, rendering once however often the task runs."""

import io
import re

import pytest
from pypdf import PdfReader

from review.decisions.documents import (
    approval_letter_sample,
    break_title,
    decision_notice_sample,
    render_decision_notice_html,
)
from review.decisions.models import ApprovalLetter, Decision
from review.decisions.services import decision_issue
from review.decisions.tasks import render_approval_letter_task, render_decision_notice_task
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.documents.registry import sample_builders
from tests.pdf_fonts import assert_pdf_fonts_cover_text

from .conftest import cosigned

pytestmark = pytest.mark.django_db

MM = 72 / 25.4


def _text_positions(pdf: bytes) -> list[tuple[int, str, float, float]]:
    """(page, text, x, y) in points of every text run that is not a page number."""
    found = []
    for number, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visitor(text, cm, tm, font, size, number=number):
            if text.strip() and not (text.startswith("—") and text.endswith("—")):
                found.append((number, text, cm[0] * tm[4] + cm[4], cm[3] * tm[5] + cm[5]))

        page.extract_text(visitor_text=visitor)
    return found


@pytest.fixture
def issued(batch, city_hrss, city_finance, django_capture_on_commit_callbacks):
    decision = cosigned(batch, city_hrss, city_finance)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_issue(decision=decision, actor=city_hrss)
    decision.refresh_from_db()
    return decision


def test_notice_is_a4_within_the_type_area(issued):
    pdf = issued.pdf.read()
    reader = PdfReader(io.BytesIO(pdf))
    for page in reader.pages:
        assert (round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)) == (210, 297)
    positions = _text_positions(pdf)
    assert positions
    # 版心: 28 mm from the left, 26 mm from the right, 37 mm from the top, 35 mm from the bottom.
    # Only the signed document's 校验码 mark lies outside it, in the top margin (by design).
    mark = re.compile(
        r"^(校验码|电子签名公文|[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}|https?://|/verify/)"
    )
    positions = [
        item for item in positions if not (item[3] > (297 - 37) * MM + 1 and mark.match(item[1].strip()))
    ]
    assert positions
    for _page, text, x, y in positions:
        assert x >= 28 * MM - 1, text
        assert x <= (210 - 26) * MM, text
        assert 35 * MM - 1 <= y <= (297 - 37) * MM + 1, text


def test_notice_carries_number_masthead_title_list_and_colophon(issued):
    report = assert_pdf_fonts_cover_text(issued.pdf.read())  # every character drawn with an embedded glyph
    text = report.text.replace("\n", "")
    assert issued.document_number in text
    for expected in (
        "绍兴市人力资源和社会保障局",
        "文件",
        "关于公布",
        "附件",
        "抄送：浙江省人力资源和社会保障厅，浙江省财政厅。",
        "印发",
        "序号",
    ):
        assert expected in text, expected
    for item in issued.items.select_related("application__unit"):
        assert item.application.unit.name in text


def test_notice_html_twin_has_the_red_masthead_and_the_number(issued):
    html = render_decision_notice_html(issued)
    assert 'lang="zh-CN"' in html
    assert issued.document_number in html
    assert "#e60012" in html  # the red 发文机关标志 and rule


def test_letters_name_their_unit_and_both_numbers(issued):
    for letter in ApprovalLetter.objects.filter(decision=issued).select_related("application__unit"):
        report = assert_pdf_fonts_cover_text(letter.pdf.read())
        text = report.text.replace("\n", "")
        assert letter.number in text
        assert issued.document_number in text
        assert letter.application.unit.name in text


def test_rendering_twice_keeps_one_document(issued):
    first_name, first_hash = issued.pdf.name, issued.pdf_sha256
    render_decision_notice_task.delay(decision_id=issued.pk)
    render_decision_notice_task.delay(decision_id=issued.pk)
    issued.refresh_from_db()
    assert (issued.pdf.name, issued.pdf_sha256) == (first_name, first_hash)
    letter = ApprovalLetter.objects.filter(decision=issued).first()
    render_approval_letter_task.delay(letter_id=letter.pk)
    assert AuditEntry.objects.filter(summary="生成认定文件").count() == 1
    assert AuditEntry.objects.filter(summary="生成认定通知书").count() == 3


def test_the_sweep_renders_a_notice_whose_task_was_lost(issued, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from review.decisions.services import decision_documents_sweep

    Decision.objects.filter(pk=issued.pk).update(pdf="", pdf_sha256="")
    later = issued.issued_at + timedelta(minutes=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert decision_documents_sweep(now=later) == 1
    issued.refresh_from_db()
    assert issued.pdf
    assert decision_documents_sweep(now=later) == 0


def test_a_task_for_a_draft_renders_nothing(batch, city_hrss, city_finance):
    decision = cosigned(batch, city_hrss, city_finance)
    render_decision_notice_task.delay(decision_id=decision.pk)
    decision.refresh_from_db()
    assert not decision.pdf


def test_samples_are_registered_small_and_leave_no_rows():
    kinds = {builder.kind for builder in sample_builders()}
    assert {"decision_notice", "approval_letter"} <= kinds
    pdf = decision_notice_sample()
    assert len(pdf) <= 400 * 1024
    assert "绍市人社发" in assert_pdf_fonts_cover_text(pdf).text
    assert "绍市人社函" in assert_pdf_fonts_cover_text(approval_letter_sample()).text
    assert not Decision.objects.exists()


def test_titles_break_at_words_and_never_leave_one_character():
    assert break_title("2026年度绍兴市市级高技能人才公共实训基地名单") == [
        "2026年度绍兴市市级高技能人才",
        "公共实训基地名单",
    ]
    lines = break_title("关于" + "某" * 40)
    assert all(len(line) > 1 for line in lines)
    assert lines[0] != "关于"


def test_the_notice_cost_is_measured_against_a_bare_render():
    from review.decisions.benchmarks import measure_decision_notice

    result = measure_decision_notice(repeats=1)
    assert result is not None
    assert result.ours_seconds > 0
    assert result.bare_seconds > 0
    assert not Decision.objects.exists()


def test_the_notice_and_every_letter_are_signed_documents_anyone_can_verify(issued):
    from shaoxing_bases.documents.signing import document_verify_pdf

    for pdf in [issued.pdf.read(), *(letter.pdf.read() for letter in issued.letters.all())]:
        result = document_verify_pdf(pdf)
        assert result.genuine, result.message
        assert result.issuer == "绍兴市人力资源和社会保障局、绍兴市财政局"
