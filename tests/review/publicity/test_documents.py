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


def test_the_stored_notice_is_signed_by_the_city_and_verifies(db):
    """The notice kept on the publicity (and served at /gongshi/) is the issued one: signed by the
    city HRSS bureau with its 校验码; a byte changed in it no longer verifies."""
    from review.publicity.services import publicity_render_pdf
    from shaoxing_bases.documents.signing import document_verify_pdf

    publicity = publish()
    assert publicity_render_pdf(publicity_id=publicity.pk)
    assert not publicity_render_pdf(publicity_id=publicity.pk)  # once
    publicity.refresh_from_db()
    pdf = publicity.notice_pdf.read()
    result = document_verify_pdf(pdf)
    assert result.genuine
    assert result.issuer == "绍兴市人力资源和社会保障局、绍兴市财政局"
    assert "校验码" in _text(pdf)
    tampered = bytearray(pdf)
    tampered[len(pdf) // 3] ^= 0x01
    assert not document_verify_pdf(bytes(tampered)).genuine
