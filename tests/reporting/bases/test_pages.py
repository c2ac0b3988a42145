"""The pages of the bases: the public list and statistics without sign-in, fixed query counts, the
base page for its audience only, the assessment and exit forms with bad input, the dashboards."""

from datetime import timedelta
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reporting.assessments.services import AssessmentInput, assessment_decide_exit, assessment_record
from reporting.enums import AssessmentResult, BaseState
from reporting.models import Assessment
from tests.applications.factories import pdf_file

from .conftest import make_base

pytestmark = pytest.mark.django_db


def _exit(base, county_hrss):
    return assessment_record(
        base=base,
        actor=county_hrss,
        data=AssessmentInput(
            assessed_on=timezone.localdate(),
            scope="年度考核",
            findings="培训规模不达标。",
            result=AssessmentResult.EXIT,
            reasons="连续两年未达标。",
        ),
    )


@pytest.mark.parametrize("rows", [1, 5])
def test_the_public_list_runs_a_fixed_number_of_queries(client, rows, django_assert_num_queries):
    for _ in range(rows):
        make_base()
    with django_assert_num_queries(3):  # regions, count, page
        response = client.get(reverse("bases:public_list"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="public-base"') == rows


def test_the_public_list_filters_and_leaves_exited_bases_out(client, county_hrss, city_hrss):
    yuecheng = make_base(specialties=("数控车工", "电工"))
    keqiao = make_base(division="330603", unit_type="enterprise")
    leaving = make_base()
    assessment_decide_exit(assessment=_exit(leaving, county_hrss), actor=city_hrss, approve=True)
    page = client.get(reverse("bases:public_list")).content.decode()
    assert yuecheng.name in page
    assert keqiao.name in page
    assert leaving.name not in page
    assert "数控车工、电工" in page
    page = client.get(reverse("bases:public_list"), {"county": "330603"}).content.decode()
    assert keqiao.name in page
    assert yuecheng.name not in page
    page = client.get(reverse("bases:public_list"), {"type": "college"}).content.decode()
    assert yuecheng.name in page
    assert keqiao.name not in page
    # Nonsense filters are ignored, never a 500.
    assert client.get(reverse("bases:public_list"), {"county": "<x>", "page": "-1"}).status_code == 200
    assert client.post(reverse("bases:public_list")).status_code == 405


@pytest.mark.parametrize("rows", [1, 5])
def test_the_statistics_page_runs_a_fixed_number_of_queries(client, rows, django_assert_num_queries):
    for index in range(rows):
        make_base(industry_code="C1711" if index % 2 else "")
    with django_assert_num_queries(2):  # the bases, the counties
        response = client.get(reverse("bases:statistics"))
    page = response.content.decode()
    assert f'data-testid="listed-total">{rows}<' in page
    assert 'id="chart-data-by_county"' in page
    assert "<script>" not in page  # data only through json_script (type application/json)


def test_a_chart_downloads_as_excel(client):
    make_base(division="330603")
    response = client.get(reverse("bases:statistics_export", args=["by_county"]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0] == ("区、县（市）", "实训基地（个）")
    assert ("柯桥区", 1) in rows
    assert client.get(reverse("bases:statistics_export", args=["nothing"])).status_code == 404


@pytest.mark.parametrize("rows", [1, 5])
def test_the_staff_list_runs_a_fixed_number_of_queries(client, city_hrss, rows, django_assert_num_queries):
    for _ in range(rows):
        make_base()
    client.force_login(city_hrss)
    with django_assert_num_queries(9):
        response = client.get(reverse("bases:list"))
    assert response.content.decode().count('data-testid="staff-base"') == rows


def test_a_county_lists_only_its_own_bases(client, county_hrss):
    own = make_base()
    other = make_base(division="330603")
    client.force_login(county_hrss)
    page = client.get(reverse("bases:list")).content.decode()
    assert own.name in page
    assert other.name not in page


def test_the_base_page_for_the_unit_and_404_for_another_county(client, base, unit_member, other_county_hrss):
    client.force_login(unit_member)
    page = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert base.document_number in page
    assert "认定为市级高技能人才公共实训基地" in page  # the timeline's opening
    assert "登记考核评估" not in page
    assert "登记经费支持" not in page
    client.force_login(other_county_hrss)
    assert client.get(reverse("bases:detail", args=[base.pk])).status_code == 404
    assert client.get(reverse("bases:assessment_create", args=[base.pk])).status_code == 404


def test_the_assessment_form_keeps_what_was_typed(client, base, county_hrss):
    client.force_login(county_hrss)
    response = client.post(
        reverse("bases:assessment_create", args=[base.pk]),
        {
            "assessed_on": timezone.localdate().isoformat(),
            "scope": "年度考核范围",
            "findings": "设备闲置严重",
            "result": "exit",
            "reasons": "",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "请写明退出的理由" in page
    assert "设备闲置严重" in page
    assert "年度考核范围" in page
    assert 'value="exit"' in page
    assert "checked" in page
    assert not Assessment.objects.exists()


def test_the_city_records_rectification_then_return_through_the_pages(client, base, city_hrss):
    client.force_login(city_hrss)
    deadline = timezone.localdate() + timedelta(days=15)
    url = reverse("bases:assessment_create", args=[base.pk])
    response = client.post(
        url,
        {
            "assessed_on": timezone.localdate().isoformat(),
            "scope": "检查评估",
            "findings": "台账不全",
            "result": "rectify",
            "reasons": "补齐台账",
            "rectification_deadline": deadline.isoformat(),
            "evidence": pdf_file("检查记录.pdf"),
        },
    )
    assert response.status_code == 302
    base.refresh_from_db()
    assert base.state == BaseState.RECTIFYING
    page = client.get(reverse("bases:detail", args=[base.pk])).content.decode()
    assert 'data-testid="rectification-alert"' in page
    evidence = Assessment.objects.get()
    download = client.get(reverse("bases:assessment_evidence", args=[evidence.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    client.post(
        url,
        {
            "assessed_on": timezone.localdate().isoformat(),
            "scope": "复查",
            "findings": "已整改",
            "result": "passed",
        },
    )
    base.refresh_from_db()
    assert base.state == BaseState.ACTIVE


def test_county_staff_may_not_open_the_exit_decision(client, base, county_hrss, city_hrss):
    proposal = _exit(base, county_hrss)
    client.force_login(county_hrss)
    url = reverse("bases:exit_decide", args=[proposal.pk])
    assert client.post(url, {"decision": "approve"}).status_code == 403
    base.refresh_from_db()
    assert base.state == BaseState.ACTIVE
    client.force_login(city_hrss)
    response = client.post(url, {"decision": "reject", "comment": ""})
    assert response.status_code == 200
    assert "不予退出时，请写明理由" in response.content.decode()
    response = client.post(url, {"decision": "approve", "comment": ""})
    assert response.status_code == 302
    notice = client.get(reverse("bases:exit_notice", args=[proposal.pk]))
    assert notice.status_code == 200
    assert notice["Content-Type"] == "application/pdf"


def test_dashboards_show_the_bases(client, base, county_hrss, city_hrss, unit_member):
    assessment_record(
        base=base,
        actor=county_hrss,
        data=AssessmentInput(
            assessed_on=timezone.localdate(),
            scope="年度考核",
            findings="台账不全",
            result=AssessmentResult.RECTIFY,
            reasons="补齐台账",
            rectification_deadline=timezone.localdate() + timedelta(days=10),
        ),
    )
    for user, testid in (
        (county_hrss, "panel-bases-county"),
        (city_hrss, "panel-bases-city"),
        (unit_member, "panel-bases-unit"),
    ):
        client.force_login(user)
        page = client.get(reverse("core:dashboard")).content.decode()
        assert f'data-testid="{testid}"' in page, testid
        assert base.name in page, testid


def test_the_home_page_links_the_list_and_the_statistics(client):
    page = client.get(reverse("core:home")).content.decode()
    assert 'data-testid="home-bases"' in page
    assert reverse("bases:public_list") in page
    assert reverse("bases:statistics") in page


def test_the_admin_lists_funding_and_assessments_read_only(admin_client, base, county_hrss):
    _exit(base, county_hrss)
    for name in ("fundingrecord", "assessment"):
        response = admin_client.get(f"/admin/reporting/{name}/")
        assert response.status_code == 200, name
    assert admin_client.get("/admin/reporting/assessment/add/").status_code == 403
