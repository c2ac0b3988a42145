"""The expert pool: add, change, export and import (all rows or none)."""

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from review.panels.imports import import_experts
from review.panels.models import Expert
from review.panels.services import expert_save
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.audit.models import AuditEntry
from tests.applications.factories import make_credit_code
from tests.factories import region

pytestmark = pytest.mark.django_db

HEADERS = [
    "姓名",
    "工作单位",
    "工作单位统一社会信用代码",
    "职称/职业资格",
    "专业领域",
    "所在区县",
    "手机号码",
    "在库",
    "登录账号",
]


def _xlsx(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("专家库.xlsx", buffer.getvalue())


def test_expert_save_creates_and_audits(city_hrss, make_user):
    account = make_user(Role.EXPERT)
    expert = expert_save(
        actor=city_hrss,
        data={
            "name": "周海涛",
            "employer": "浙江轻纺职业技术学院",
            "employer_credit_code": "",
            "title": "教授",
            "specialties": "纺织印染, 新材料",
            "region": None,
            "phone": "13800001111",
            "active": True,
            "user": account,
        },
    )
    assert expert.specialties == "纺织印染、新材料"
    assert AuditEntry.objects.filter(summary="专家入库").exists()


def test_expert_save_refuses_a_bad_credit_code_and_a_non_expert_account(city_hrss, make_user):
    base = {"name": "甲", "employer": "乙", "title": "丙", "specialties": "丁", "active": True}
    with pytest.raises(ValidationError) as error:
        expert_save(actor=city_hrss, data={**base, "employer_credit_code": "123"})
    assert "employer_credit_code" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        expert_save(actor=city_hrss, data={**base, "user": make_user(Role.APPLICANT)})
    assert "user" in error.value.message_dict


@pytest.mark.parametrize("role", [Role.CITY_FINANCE, Role.EXPERT])
def test_only_the_pool_keepers_add_experts(make_user, role):
    with pytest.raises(PermissionDenied):
        expert_save(actor=make_user(role), data={"name": "甲"})


def test_import_adds_every_row(city_hrss, make_user):
    region("330602")  # a flushed database (transactional tests) has lost the migration's counties
    make_user(Role.EXPERT, username="expert_import_1")
    upload = _xlsx(
        [
            [
                "王建国",
                "绍兴职业技术学院",
                make_credit_code(),
                "教授",
                "机械制造",
                "越城区",
                "13857500001",
                "是",
                "expert_import_1",
            ],
            ["李秀英", "浙江工业职业技术学院", "", "副教授", "电气自动化", "", "", "否", ""],
        ]
    )
    result = import_experts(actor=city_hrss, upload=upload)
    assert result.ok, result.errors
    assert result.created == 2
    assert Expert.objects.get(name="王建国").user.username == "expert_import_1"
    assert Expert.objects.get(name="李秀英").active is False


def test_an_import_with_a_wrong_row_imports_nothing(city_hrss):
    upload = _xlsx(
        [
            ["王建国", "绍兴职业技术学院", "", "教授", "机械制造", "越城区", "", "是", ""],
            ["李秀英", "浙江工业职业技术学院", "", "副教授", "电气自动化", "火星区", "", "是", ""],
        ]
    )
    result = import_experts(actor=city_hrss, upload=upload)
    assert not result.ok
    assert any("第 3 行" in error or "火星区" in error for error in result.errors)
    assert not Expert.objects.exists()


def test_a_file_that_is_not_xlsx_is_refused(city_hrss):
    result = import_experts(actor=city_hrss, upload=SimpleUploadedFile("a.xlsx", b"%PDF-1.4 not a workbook"))
    assert "Excel" in result.errors[0]


def test_export_round_trips_through_import(client, city_hrss):
    from .conftest import make_expert

    make_expert("导出专家")
    client.force_login(city_hrss)
    response = client.get(reverse("review:expert_export"))
    workbook = load_workbook(BytesIO(response.content))
    rows = list(workbook.active.values)
    assert list(rows[0]) == HEADERS
    assert rows[1][0] == "导出专家"
