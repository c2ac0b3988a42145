"""The year's annual reports as one Excel workbook with every figure (city staff).

A plain function of (year, user) returning bytes, so that the background job (`jobs`) calls it as it
is: rows are read `CHUNK` at a time, and ``progress(done, total)`` is told after each chunk.
Cells go through ``excel_safe``: text typed by a base is stored as text, never as a formula.
"""

from collections.abc import Callable
from io import BytesIO

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

from applications.spreadsheets import excel_safe

from .models import AnnualReport
from .sections import ALL_FIELDS
from .selectors import reports_visible_to

LEADING = (
    "区县",
    "实训基地",
    "建设单位",
    "认定文号",
    "年度",
    "状态",
    "未达标预警",
    "未达标说明",
    "逾期",
    "提交时间",
    "区县审核时间",
    "市级备案时间",
)
CHUNK = 500


def _header() -> list[str]:
    labels = [str(AnnualReport._meta.get_field(name).verbose_name) for name in ALL_FIELDS]
    return [*LEADING, *labels, "资金使用合计（元）", "区县审核意见", "市人力社保局意见"]


def _row(report: AnnualReport) -> list[object]:
    leading = [
        report.base.region.name,
        report.base.name,
        report.base.unit.name,
        report.base.document_number,
        report.year,
        report.get_state_display(),
        "是" if report.below_threshold else "否",
        report.threshold_notes,
        "是" if report.overdue_at else "否",
        report.submitted_at,
        report.county_reviewed_at,
        report.city_received_at,
    ]
    figures = [getattr(report, name) for name in ALL_FIELDS]
    return [*leading, *figures, report.funds_used, report.county_comment, report.city_note]


def annual_reports_workbook(*, year: int, user, progress: Callable[[int, int], None] | None = None) -> bytes:
    """Every report of ``year`` the user may see, one row each, in county and base order.

    ``progress`` (the job's) is called once per chunk of `CHUNK` rows read, with (rows so far, rows).
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=f"{year}年度报告")
    header = _header()
    for index, label in enumerate(header, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(len(label) * 2 + 2, 40))
    sheet.append(header)
    reports = (
        reports_visible_to(user).filter(year=year).order_by("base__region__sort_order", "base__name", "pk")
    )
    total = reports.count() if progress else 0
    done = 0
    for report in reports.iterator(chunk_size=CHUNK):
        sheet.append([excel_safe(value) for value in _row(report)])
        done += 1
        if progress and done % CHUNK == 0:
            progress(done, total)
    if progress and done % CHUNK:
        progress(done, total)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
