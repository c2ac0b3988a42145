"""The GB/T 9704 specimens: page count, page numbers, blocks, fonts."""

import io

from pypdf import PdfReader

from shaoxing_bases.documents.samples import gbt9704_letter_specimen
from tests.pdf_fonts import assert_pdf_fonts_cover_text


def _page_number_positions(pdf: bytes) -> list[tuple[str, float, float]]:
    """(text, x, page width) of the "— n —" folio on each page."""
    found = []
    for page in PdfReader(io.BytesIO(pdf)).pages:
        hits = []

        def visitor(text, cm, tm, font, size, hits=hits):
            if text.startswith("—") and text.endswith("—"):
                hits.append((text, cm[0] * tm[4] + cm[4]))

        page.extract_text(visitor_text=visitor)
        found.extend((text, x, float(page.mediabox.width)) for text, x in hits)
    return found


def test_specimen_is_a_multi_page_pdf(specimen_pdf):
    assert specimen_pdf.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(specimen_pdf))
    assert len(reader.pages) >= 2
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)  # A4


def test_specimen_page_numbers_alternate_right_and_left(specimen_pdf):
    folios = _page_number_positions(specimen_pdf)
    pages = len(PdfReader(io.BytesIO(specimen_pdf)).pages)

    assert [text for text, _x, _w in folios] == [f"— {n} —" for n in range(1, pages + 1)]
    for number, (_text, x, width) in enumerate(folios, start=1):
        if number % 2:
            assert x > width / 2, f"odd page {number} must carry its number on the right"
        else:
            assert x < width / 2, f"even page {number} must carry its number on the left"


def test_specimen_carries_every_block(specimen_pdf):
    text = assert_pdf_fonts_cover_text(specimen_pdf).text

    for expected in (
        "绍兴市人力资源和社会保障局",  # issuer
        "文件",
        "绍市人社发〔2022〕47号",  # doc number
        "的通知",  # title
        "各区、县（市）人力资源和社会保障局、财政局，市级有关部门：",  # recipient
        "附件：",  # attachments
        "2022年9月1日",  # signature date
        "抄送：浙江省人力资源和社会保障厅，浙江省财政厅。",  # colophon
        "2022年9月1日印发",
    ):
        assert expected in text


def test_colophon_is_on_the_last_page(specimen_pdf):
    reader = PdfReader(io.BytesIO(specimen_pdf))
    last = reader.pages[-1].extract_text()
    assert "印发" in last
    assert all("抄送" not in page.extract_text() for page in reader.pages[:-1])


def test_letter_specimen_has_no_number_on_first_page():
    pdf = gbt9704_letter_specimen()
    report = assert_pdf_fonts_cover_text(pdf)

    assert "柯人社函〔2026〕12号" in report.text
    assert "文件" not in report.text
    assert not [text for text, _x, _w in _page_number_positions(pdf) if text == "— 1 —"]
