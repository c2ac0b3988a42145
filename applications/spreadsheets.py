"""Excel in and out, through django-import-export's own XLSX format.

Out — `PortalXLSX` (and `dataset_to_xlsx` for views) changes only how formulae are escaped.
import-export's escaping turns every cell into a string and deletes a leading "=", which both breaks
the sheet (numbers become text: no sums, no sorting; empty cells read "None") and changes what the
applicant typed. Here a string openpyxl would store as a formula (or an error code such as "#N/A") is
stored as text, verbatim, and every other value keeps its type. Characters that XLSX cannot hold
(C0 control characters: a bell pasted into an address) are replaced with U+FFFD instead of failing
the whole export with a 500.

In — `PortalXLSX.create_dataset` reads a workbook within `SpreadsheetLimits`: the upload's size, the
archive's uncompressed size (a 2 KB file can unpack to gigabytes), the sheet's declared dimensions,
then the rows, columns and cell lengths while streaming in openpyxl's read-only mode, so that a
hostile file is refused after reading no more than the limits, with a Chinese message.
`check_upload` does the cheap part (size, archive, declared dimensions) before the file is read at
all; the admin's unit import calls it from its form.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

import tablib
from django.conf import settings
from django.utils import timezone
from import_export.formats.base_formats import XLSX
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.cell.rich_text import CellRichText
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from tablib.formats._xlsx import safe_xlsx_sheet_title

XLSX_CONTENT_TYPE = XLSX.CONTENT_TYPE


# --- out ------------------------------------------------------------------------------------------


def excel_safe(value: object) -> object:
    """A value openpyxl stores as it is meant: text stays text, numbers stay numbers."""
    if isinstance(value, str):
        text = ILLEGAL_CHARACTERS_RE.sub("\N{REPLACEMENT CHARACTER}", value)
        if (len(text) > 1 and text.startswith("=")) or text in ERROR_CODES:
            # openpyxl types any other str by its first character; rich text it stores as text.
            return CellRichText(text)
        return text
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.make_naive(value)  # Excel has no time zones: Asia/Shanghai wall clock
    return value


def _copy(dataset: tablib.Dataset, title: str | None = None) -> tablib.Dataset:
    headers = list(dataset.headers) if dataset.headers else None
    copy = tablib.Dataset(*(tuple(row) for row in dataset), headers=headers)
    copy.title = title if title is not None else dataset.title
    return copy


class PortalXLSX(XLSX):
    """import-export's XLSX with only the formula escaping replaced (see the module docstring).

    Used by the admin's import and export and by `dataset_to_xlsx`. The escaping is applied whatever
    ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT`` says, on a copy: the caller's dataset is not changed.
    """

    def export_data(self, dataset, **kwargs):
        safe = _copy(dataset)
        self._escape_formulae(safe)
        return super().export_data(safe, **kwargs)

    def _escape_formulae(self, dataset):
        if dataset.headers:
            dataset.headers = [excel_safe(header) for header in dataset.headers]
        for _ in range(dataset.height):
            row = dataset.lpop()
            dataset.append([excel_safe(value) for value in row])

    def create_dataset(self, in_stream):
        return read_dataset(in_stream)


def dataset_to_xlsx(dataset: tablib.Dataset, title: str = "Sheet1") -> bytes:
    """The dataset as an .xlsx file with one sheet called ``title``: what `PortalXLSX` writes (values
    through `excel_safe`, bold frozen header, wrapped multi-line text, columns as wide as their
    longest value), written in openpyxl's write-only mode, which streams the rows instead of
    building every cell object first (a 2,000-row export took twice as long through tablib)."""
    headers = [excel_safe(header) for header in dataset.headers] if dataset.headers else None
    rows = [[excel_safe(value) for value in row] for row in dataset]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(safe_xlsx_sheet_title(title) if title else "Tablib Dataset")
    widths: list[int] = []
    for row in ([headers] if headers else []) + rows:
        for index, value in enumerate(row):
            width = len(str(value))
            if index < len(widths):
                widths[index] = max(widths[index], width)
            else:
                widths.append(width)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    if headers:
        sheet.freeze_panes = "A2"
        bold = Font(bold=True)
        sheet.append([_styled(sheet, header, font=bold) for header in headers])
    wrap = Alignment(wrap_text=True)
    for row in rows:
        sheet.append(
            [
                _styled(sheet, value, alignment=wrap) if isinstance(value, str) and "\n" in value else value
                for value in row
            ]
        )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _styled(sheet, value, **style) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=value)
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


# --- in -------------------------------------------------------------------------------------------


class SpreadsheetRejected(ValueError):
    """The workbook is refused; ``str(error)`` says why, in Chinese, for the person who uploaded it."""


@dataclass(frozen=True)
class SpreadsheetLimits:
    max_bytes: int = 5 * 1024 * 1024  # the .xlsx file as uploaded
    max_uncompressed_bytes: int = 32 * 1024 * 1024  # all parts of the archive, unpacked
    max_parts: int = 200  # files inside the archive
    max_rows: int = 10_000  # data rows, below the header row
    max_columns: int = 50
    max_cell_chars: int = 2_000

    @classmethod
    def from_settings(cls) -> SpreadsheetLimits:
        return cls(**getattr(settings, "SPREADSHEET_IMPORT_LIMITS", {}))


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KB"


def _check_archive(data: bytes, limits: SpreadsheetLimits) -> None:
    """Size of the file and of its unpacked parts, from the zip directory alone (nothing unpacked).

    The declared sizes bind: Python's zip reader stops at a part's declared size, so a part cannot
    unpack to more than the directory says.
    """
    if len(data) > limits.max_bytes:
        raise SpreadsheetRejected(
            f"文件过大（{_megabytes(len(data))}），导入文件不能超过 {_megabytes(limits.max_bytes)}，"
            "请拆分后分批导入。"
        )
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise SpreadsheetRejected(
            "文件不是有效的 Excel（.xlsx）文件，请用 Excel 或 WPS 另存为 .xlsx 后重试。"
        ) from error
    if len(parts) > limits.max_parts:
        raise SpreadsheetRejected("文件结构异常（包含的部件过多），不是正常的 Excel 文件，已拒绝导入。")
    unpacked = sum(part.file_size for part in parts)
    if unpacked > limits.max_uncompressed_bytes:
        raise SpreadsheetRejected(
            f"文件解压后过大（约 {_megabytes(unpacked)}，上限 {_megabytes(limits.max_uncompressed_bytes)}），"
            "可能含有超长内容或大量空行，请删除多余内容后重试。"
        )


def _too_many_rows(rows: int, limits: SpreadsheetLimits) -> SpreadsheetRejected:
    return SpreadsheetRejected(
        f"表格行数过多（至少 {rows} 行数据），一次最多导入 {limits.max_rows} 行，请拆分后分批导入"
        "（若表格末尾有大量空行，请删除后重试）。"
    )


def _too_many_columns(columns: int, limits: SpreadsheetLimits) -> SpreadsheetRejected:
    return SpreadsheetRejected(
        f"表格列数过多（{columns} 列），最多 {limits.max_columns} 列，请只保留模板中的列后重试。"
    )


def _open_sheet(data: bytes):
    try:
        workbook = load_workbook(BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise SpreadsheetRejected(
            "无法读取该 Excel 文件（文件可能已损坏），请用 Excel 或 WPS 另存为 .xlsx 后重试。"
        ) from error
    return workbook, workbook.active


def _check_declared_size(sheet, limits: SpreadsheetLimits) -> None:
    """The sheet's <dimension>: a declaration only (rows are counted again while streaming), but it
    lets a file claiming a million rows be refused before a single row is read."""
    rows, columns = sheet.max_row, sheet.max_column
    if rows is not None and rows - 1 > limits.max_rows:
        raise _too_many_rows(rows - 1, limits)
    if columns is not None and columns > limits.max_columns:
        raise _too_many_columns(columns, limits)


def check_upload(data: bytes, limits: SpreadsheetLimits | None = None) -> None:
    """Refuse a workbook by its size, its unpacked size and its declared dimensions, without reading
    its rows. Raises `SpreadsheetRejected`."""
    limits = limits or SpreadsheetLimits.from_settings()
    _check_archive(data, limits)
    workbook, sheet = _open_sheet(data)
    try:
        _check_declared_size(sheet, limits)
    finally:
        workbook.close()


def read_dataset(data: bytes, limits: SpreadsheetLimits | None = None) -> tablib.Dataset:
    """The active sheet as a Dataset (first row: headers), read within ``limits``.

    Raises `SpreadsheetRejected` as soon as a limit is passed: nothing beyond the limits is read, and
    no cell longer than ``max_cell_chars`` is kept (or shown back in an error page). Blank rows are
    skipped but counted.
    """
    limits = limits or SpreadsheetLimits.from_settings()
    _check_archive(data, limits)
    workbook, sheet = _open_sheet(data)
    try:
        _check_declared_size(sheet, limits)
        dataset = tablib.Dataset()
        width = 0
        for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number - 1 > limits.max_rows:
                raise _too_many_rows(number - 1, limits)
            values = list(row)
            while values and values[-1] is None:
                values.pop()
            if len(values) > limits.max_columns:
                raise _too_many_columns(len(values), limits)
            for column, value in enumerate(values, start=1):
                if isinstance(value, str) and len(value) > limits.max_cell_chars:
                    raise SpreadsheetRejected(
                        f"单元格 {get_column_letter(column)}{number} 的内容过长（{len(value)} 个字符），"
                        f"每个单元格最多 {limits.max_cell_chars} 个字符，请修改后重试。"
                    )
            if number == 1:
                dataset.headers = values
                width = len(values)
                continue
            if not any(value not in (None, "") for value in values):
                continue
            dataset.append((values + [None] * width)[:width])
        if not width:
            raise SpreadsheetRejected("表格是空的：第一行应为列名（如“统一社会信用代码”“单位名称”）。")
        return dataset
    finally:
        workbook.close()
