"""Spreadsheet imports are bounded: a hostile workbook is refused with a Chinese message, after
reading no more than the limits (no memory growth, no 500), before import-export parses it.

The workbooks are written by hand: a few kilobytes that declare a million rows, or unpack to a 300 MB
cell. Memory is measured with tracemalloc (peak of Python allocations during the call), not time.
"""

import io
import re
import tracemalloc
import zipfile

import pytest
from django.urls import reverse
from openpyxl import Workbook

from applications.models import ApplicantUnit
from applications.resources import UNIT_COLUMNS, ApplicantUnitResource
from applications.spreadsheets import (
    PortalXLSX,
    SpreadsheetLimits,
    SpreadsheetRejected,
    check_upload,
    read_dataset,
)
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import make_credit_code

HEADERS = list(UNIT_COLUMNS.values())
SHEET = "xl/worksheets/sheet1.xml"
MB = 1024 * 1024
# The refusals read the zip directory, the sheet's first bytes or at most the row limit: a few MB of
# Python objects at most. Without the bounds the same files cost gigabytes (the issue measured 4.6 GB).
MEMORY_CEILING = 16 * MB
LAST_ROW = '<row r="1000000"><c r="A1000000" t="inlineStr"><is><t>x</t></is></c></row>'


def unit_row(**values) -> list:
    row = {
        "统一社会信用代码": make_credit_code(division="330603"),
        "单位名称": "绍兴柯桥导入测试有限公司",
        "单位类型": "企业",
        "所在区县": "",
        "通讯地址": "浙江省绍兴市柯桥区华舍街道1号",
        "法定代表人": "吴总",
        "联系人": "郑经理",
        "联系电话": "0575-84001234",
        "电子邮箱": "import@example.cn",
        "所属领域": "先进制造业",
        "企业规模": "大型",
    }
    row.update(values)
    return [row[header] for header in HEADERS]


def workbook_bytes(*rows, headers=HEADERS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The same workbook with its sheet XML passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == SHEET:
                content = change(content.decode()).encode()
            archive.writestr(info.filename, content)
    return out.getvalue()


def million_rows_declared() -> bytes:
    """A few KB whose <dimension> says K1000000, with one cell in row 1,000,000: the reader pads the
    gap with 999,998 rows of 11 empty cells. What sent the admin import to 4.6 GB."""
    return rewrite_sheet(
        workbook_bytes(unit_row()),
        lambda xml: re.sub(r'<dimension ref="[^"]*"', '<dimension ref="A1:K1000000"', xml).replace(
            "</sheetData>", LAST_ROW + "</sheetData>"
        ),
    )


def million_rows_undeclared() -> bytes:
    """No <dimension> at all and one cell in row 1,000,000: the reader itself pads the gap with empty
    rows, so only counting while streaming stops it."""
    return rewrite_sheet(
        workbook_bytes(unit_row()),
        lambda xml: re.sub(r'<dimension ref="[^"]*" ?/>', "", xml).replace(
            "</sheetData>", LAST_ROW + "</sheetData>"
        ),
    )


@pytest.fixture(scope="module")
def giant_cell() -> bytes:
    """A workbook of a few hundred KB with a 300 MB cell (written in chunks, never held in memory)."""
    base = zipfile.ZipFile(io.BytesIO(workbook_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in base.infolist():
            if info.filename != SHEET:
                archive.writestr(info.filename, base.read(info.filename))
        with archive.open(SHEET, "w") as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
                b'<row r="2"><c r="A2" t="inlineStr"><is><t>'
            )
            chunk = b"A" * MB
            for _ in range(300):
                sheet.write(chunk)
            sheet.write(b"</t></is></c></row></sheetData></worksheet>")
    return out.getvalue()


def _peak_memory(call) -> tuple[object, int]:
    tracemalloc.start()
    try:
        try:
            result = call()
        except SpreadsheetRejected as error:
            result = error
        return result, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


# --- the reader -----------------------------------------------------------------------------------


def test_a_million_rows_declared_are_refused_without_reading_them():
    data = million_rows_declared()
    assert len(data) < 8 * 1024
    error, peak = _peak_memory(lambda: check_upload(data))
    assert isinstance(error, SpreadsheetRejected)
    assert "表格行数过多" in str(error)
    assert "10000" in str(error)
    assert peak < MEMORY_CEILING
    with pytest.raises(SpreadsheetRejected, match="表格行数过多"):
        PortalXLSX().create_dataset(data)


def test_a_million_rows_undeclared_are_refused_while_streaming():
    data = million_rows_undeclared()
    check_upload(data)  # nothing declared: only streaming can tell
    error, peak = _peak_memory(lambda: read_dataset(data))
    assert isinstance(error, SpreadsheetRejected)
    assert "表格行数过多" in str(error)
    assert peak < MEMORY_CEILING


def test_a_300_mb_cell_is_refused_from_the_zip_directory(giant_cell):
    assert len(giant_cell) < 2 * MB
    for reader in (check_upload, read_dataset):
        error, peak = _peak_memory(lambda reader=reader: reader(giant_cell))
        assert isinstance(error, SpreadsheetRejected)
        assert "解压后过大" in str(error)
        assert peak < MEMORY_CEILING


def test_a_cell_longer_than_the_limit_is_refused_and_named():
    data = workbook_bytes(unit_row(**{"通讯地址": "绍" * 5000}))
    with pytest.raises(SpreadsheetRejected) as caught:
        read_dataset(data)
    assert "单元格 E2 的内容过长（5000 个字符）" in str(caught.value)
    assert "绍" * 100 not in str(caught.value)  # not echoed back


def test_too_many_columns_are_refused():
    limits = SpreadsheetLimits(max_columns=5)
    with pytest.raises(SpreadsheetRejected, match="表格列数过多（9 列），最多 5 列"):
        read_dataset(workbook_bytes(unit_row()), limits=limits)


def test_a_file_too_large_is_refused_by_its_size():
    with pytest.raises(SpreadsheetRejected, match="文件过大"):
        check_upload(workbook_bytes(unit_row()), limits=SpreadsheetLimits(max_bytes=1024))


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04broken"])
def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(data):
    with pytest.raises(SpreadsheetRejected, match="不是有效的 Excel"):
        check_upload(data)


def test_an_ordinary_workbook_reads_as_before():
    rows = [unit_row(), unit_row(**{"单位名称": "第二家"})]
    dataset = read_dataset(workbook_bytes(*rows, [None] * len(HEADERS)))  # a trailing blank row
    assert dataset.headers == HEADERS
    assert dataset.height == 2
    assert dataset[1][HEADERS.index("单位名称")] == "第二家"


# --- the admin import -----------------------------------------------------------------------------


def _post_import(client, data: bytes, name: str = "单位名录.xlsx"):
    upload = io.BytesIO(data)
    upload.name = name
    return client.post(
        reverse("admin:applications_applicantunit_import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )


@pytest.fixture
def admin_client(client, make_user):
    client.force_login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    ("workbook", "message"),
    [
        (million_rows_declared, "表格行数过多"),
        (million_rows_undeclared, "表格行数过多"),
        (lambda: b"PK not a workbook", "不是有效的 Excel"),
    ],
)
def test_admin_import_refuses_hostile_workbooks_with_a_chinese_message(admin_client, workbook, message):
    data = workbook()
    response, peak = _peak_memory(lambda: _post_import(admin_client, data))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ApplicantUnit.objects.exists()
    assert peak < 4 * MEMORY_CEILING  # the whole admin request, templates included


def test_admin_import_refuses_the_giant_cell(admin_client, giant_cell):
    response, peak = _peak_memory(lambda: _post_import(admin_client, giant_cell))
    body = response.content.decode()
    assert response.status_code == 200
    assert "解压后过大" in body
    assert "AAAAAAAAAA" not in body
    assert peak < 4 * MEMORY_CEILING


def test_admin_import_refuses_a_file_over_the_size_limit_before_reading_it(admin_client, settings):
    settings.SPREADSHEET_IMPORT_LIMITS = {"max_bytes": 2048}
    response = _post_import(admin_client, workbook_bytes(unit_row()))
    assert "文件过大" in response.content.decode()


def test_admin_import_of_an_ordinary_workbook_still_previews(admin_client):
    response = _post_import(admin_client, workbook_bytes(unit_row()))
    body = response.content.decode()
    assert response.status_code == 200
    assert "绍兴柯桥导入测试有限公司" in body  # the dry run's preview
    assert "confirm" in body.lower()


# --- the rows' text -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        # XML cannot carry most control characters, but a line break typed with Alt+Enter arrives.
        ("通讯地址", "绍兴市\n越城区", "控制字符（U+000A"),
        ("单位名称", "绍兴\u202e司公限有", "改变文字显示方向"),
        ("联系人", "郑\u200b经理", "零宽"),
    ],
)
def test_imported_text_refuses_control_bidi_and_zero_width_characters(column, value, message):
    dataset = read_dataset(workbook_bytes(unit_row(**{column: value})))
    result = ApplicantUnitResource().import_data(dataset, dry_run=True)
    (invalid,) = result.invalid_rows
    assert message in " ".join(invalid.field_specific_errors[column])
