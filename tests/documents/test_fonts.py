"""The embedded-font checker: it must pass real CJK documents and fail the ones that show boxes."""

import base64
import io
import logging
from pathlib import Path

import pytest
from fontTools import subset
from fontTools.ttLib import TTFont
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from shaoxing_bases.documents.rendering import html_to_pdf
from tests.pdf_fonts import assert_pdf_fonts_cover_text, pdf_font_report

CJK_TEXT = "绍兴市人力资源和社会保障局"
DEJAVU = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_specimen_fonts_are_embedded_cjk_subsets(specimen_pdf):
    report = assert_pdf_fonts_cover_text(specimen_pdf)

    assert CJK_TEXT in report.text
    used = [font for font in report.fonts if font.used]
    assert used
    assert all(font.embedded and font.subset for font in used)
    assert all(font.font_file in {"FontFile2", "FontFile3/OpenType"} for font in used)
    assert any("CJK" in font.family for font in used)
    assert not report.missing
    assert not report.notdef


@pytest.fixture
def latin_only_font_uri() -> str:
    """A Basic-Latin subset of DejaVu Sans as a data: URI — a font with no CJK glyph at all."""
    if not DEJAVU.exists():
        pytest.skip("fonts-dejavu-core is not installed")
    font = TTFont(DEJAVU)
    options = subset.Options()
    options.layout_features = []
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=range(0x20, 0x7F))
    subsetter.subset(font)
    buffer = io.BytesIO()
    font.save(buffer)
    return "data:font/ttf;base64," + base64.b64encode(buffer.getvalue()).decode()


def test_checker_fails_when_cjk_is_drawn_with_a_latin_font(latin_only_font_uri, caplog):
    # The unicode-range makes fontconfig believe the Latin font covers CJK, so Pango never falls
    # back to an installed CJK font: WeasyPrint draws .notdef while ToUnicode still maps the text.
    # That is the defect of a worker without CJK fonts: the text extracts, the page shows boxes.
    html = f"""<html lang="zh-CN"><head><style>
      @font-face {{ font-family: "Latin Only"; src: url({latin_only_font_uri}); unicode-range: U+0-FFFF; }}
      body {{ font-family: "Latin Only"; }}
    </style></head><body><p>Notice {CJK_TEXT}</p></body></html>"""
    with caplog.at_level(logging.ERROR, logger="weasyprint"):
        pdf = html_to_pdf(html)

    report = pdf_font_report(pdf)
    assert CJK_TEXT in report.text, "the text still extracts — which is why extraction proves nothing"
    assert set(CJK_TEXT) <= report.missing
    assert set(CJK_TEXT) <= report.notdef
    assert not set("Notice") & report.missing
    with pytest.raises(AssertionError, match="绍") as excinfo:
        assert_pdf_fonts_cover_text(pdf)
    assert ".notdef" in str(excinfo.value)


def _strip_font_programs(pdf: bytes) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        for font in page["/Resources"]["/Font"].values():
            for descendant in font.get_object().get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    descriptor.pop(NameObject(key), None)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_checker_fails_when_fonts_are_not_embedded():
    pdf = _strip_font_programs(html_to_pdf(f'<html lang="zh-CN"><body><p>{CJK_TEXT}</p></body></html>'))

    report = pdf_font_report(pdf)
    assert report.not_embedded
    assert set(CJK_TEXT) <= report.missing
    with pytest.raises(AssertionError, match="without an embedded font program"):
        assert_pdf_fonts_cover_text(pdf)
