"""The archive copy of an approved report: legible Chinese, rendered once, the sample registered."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from reporting.annual.documents import annual_report_sample
from reporting.annual.enums import ReportState
from reporting.annual.services import annual_report_archive_render, annual_report_archives_sweep
from reporting.annual.tasks import render_annual_report_archive_task
from shaoxing_bases.audit.models import AuditEntry
from shaoxing_bases.documents.registry import sample_builders
from tests.pdf_fonts import assert_pdf_fonts_cover_text

from .factories import FULL, make_report

pytestmark = pytest.mark.django_db


def test_the_archive_is_rendered_once_with_the_figures_and_legible_chinese():
    report = make_report(year=2026, state=ReportState.COUNTY_APPROVED, county_comment="同意报送。", **FULL)
    render_annual_report_archive_task(report_id=report.pk)
    render_annual_report_archive_task(report_id=report.pk)
    report.refresh_from_db()
    pdf = report.archive.read()
    assert pdf.startswith(b"%PDF")
    assert len(report.archive_sha256) == 64
    assert AuditEntry.objects.filter(summary="生成年度报告存档PDF").count() == 1
    fonts = assert_pdf_fonts_cover_text(pdf)
    text = "".join(fonts.text.split())
    assert "2026年度工作报告" in text
    assert "年度职业培训总人数" in text
    assert "1600" in text
    assert "同意报送。" in text


def test_a_draft_gets_no_archive():
    report = make_report(year=2026)
    assert annual_report_archive_render(report_id=report.pk) is False
    report.refresh_from_db()
    assert not report.archive


def test_the_sweep_enqueues_an_approved_report_whose_archive_is_missing():
    report = make_report(year=2026, state=ReportState.COUNTY_APPROVED, **FULL)
    assert annual_report_archives_sweep() == 1
    report.refresh_from_db()
    assert report.archive
    assert annual_report_archives_sweep() == 0


def test_the_sample_is_registered_and_writes_nothing():
    assert "annual_report_archive" in {builder.kind for builder in sample_builders()}
    pdf = annual_report_sample()
    assert "年度工作报告" in "".join(PdfReader(BytesIO(pdf)).pages[0].extract_text().split())
