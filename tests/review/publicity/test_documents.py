"""The publicity notice's PDF (DESIGN §7): A4, the fonts cover every character, made from the frozen
HTML, with the explicit window and the list."""

import io

import pytest
from pypdf import PdfReader

from review.publicity.documents import notice_pdf, publicity_notice_sample
from review.publicity.selectors import window_text
from tests.pdf_fonts import assert_pdf_fonts_cover_text

from .conftest import publish

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace("\n", "")


def test_the_sample_notice_is_a4_with_embedded_fonts_covering_the_text():
    pdf = publicity_notice_sample()
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width * 25.4 / 72), round(height * 25.4 / 72)) == (210, 297)
    assert_pdf_fonts_cover_text(pdf)
    text = _text(pdf)
    assert "2026年12月1日至2026年12月7日" in text
    assert "拟认定名单的公示" in text


def test_the_pdf_is_made_from_the_frozen_html_with_the_units_and_window(db):
    publicity = publish()
    pdf = notice_pdf(publicity.notice_html)
    assert_pdf_fonts_cover_text(pdf)
    text = _text(pdf)
    assert window_text(publicity) in text
    for entry in publicity.entries.all():
        assert entry.unit_name in text
    assert publicity.contact_phone in text
