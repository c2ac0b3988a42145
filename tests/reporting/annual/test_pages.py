"""The annual-report pages: scope, bad input, nothing typed lost, fixed query counts, the export."""

from datetime import datetime
from io import BytesIO

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reporting.annual.enums import ReportState
from reporting.annual.exports import annual_reports_workbook
from reporting.annual.models import AnnualReport
from shaoxing_bases.accounts.enums import Role
from tests.factories import UserFactory, region

from .factories import FULL, base_member, make_base, make_report

pytestmark = pytest.mark.django_db

DEC_10 = timezone.make_aware(datetime(2026, 12, 10, 10))
JAN_3 = timezone.make_aware(datetime(2027, 1, 3, 10))


@pytest.fixture
def hrss():
    return UserFactory(role=Role.COUNTY_HRSS, region=region("330602"))


@pytest.fixture
def city():
    return UserFactory(role=Role.CITY_HRSS)


def _messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_another_countys_report_answers_404(client):
    report = make_report(make_base(division="330681"), year=2026, state=ReportState.SUBMITTED)
    client.force_login(UserFactory(role=Role.COUNTY_HRSS, region=region("330602")))
    assert client.get(reverse("annual_reports:detail", args=[report.pk])).status_code == 404
    response = client.post(reverse("annual_reports:review", args=[report.pk]), {"decision": "approve"})
    assert response.status_code == 404
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_another_units_report_answers_404(client):
    report = make_report(year=2026)
    client.force_login(base_member(make_base()))
    assert client.get(reverse("annual_reports:edit", args=[report.pk, "functions"])).status_code == 404


def test_negative_figures_are_refused_and_what_was_typed_stays(client):
    report = make_report(year=2026)
    client.force_login(base_member(report.base))
    url = reverse("annual_reports:edit", args=[report.pk, "trainings"])
    response = client.post(
        url, {"trained_teachers": "-3", "trained_managers": "17", "trained_assessors": "abc", "save": "1"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "高技能人才师资培训人数不能为负数" in page
    assert "应为非负整数" in page
    assert 'value="17"' in page
    assert 'value="-3"' in page
    report.refresh_from_db()
    assert report.trained_managers == 0


def test_levels_above_the_total_come_back_beside_the_field(client):
    report = make_report(year=2026)
    client.force_login(base_member(report.base))
    response = client.post(
        reverse("annual_reports:edit", args=[report.pk, "functions"]),
        {"trainees_total": "10", "trainees_senior_worker": "20", "work_summary": "已写的总结"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "超过了年度职业培训总人数" in page
    assert "已写的总结" in page


def test_funds_above_received_are_saved_with_a_warning(client):
    report = make_report(year=2026)
    client.force_login(base_member(report.base))
    response = client.post(
        reverse("annual_reports:edit", args=[report.pk, "funds"]),
        {"funds_received": "1000", "funds_equipment": "1500.50"},
    )
    assert response.status_code == 302
    assert any("超过本年度到位扶持资金" in text for text in _messages(response))
    report.refresh_from_db()
    assert str(report.funds_equipment) == "1500.50"


def test_the_thresholds_show_beside_the_training_figures(client):
    report = make_report(year=2026, trainees_total=1499)
    client.force_login(base_member(report.base))
    page = client.get(reverse("annual_reports:edit", args=[report.pk, "functions"])).content.decode()
    assert 'data-criterion="annual_trainees" data-outcome="fail"' in page
    assert "1500" in page


@time_machine.travel(JAN_3, tick=False)
def test_submitting_outside_the_window_is_refused_with_a_message(client):
    report = make_report(year=2026, **FULL)
    client.force_login(base_member(report.base))
    response = client.post(reverse("annual_reports:submit", args=[report.pk]))
    assert response.status_code == 302
    assert any("填报期限已于 2026年12月31日 截止" in text for text in _messages(response))
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_approving_as_the_wrong_role_is_refused(client):
    report = make_report(year=2026, state=ReportState.SUBMITTED)
    for role in (Role.COUNTY_FINANCE, Role.CITY_HRSS):
        client.force_login(
            UserFactory(role=role, region=region("330602") if role == Role.COUNTY_FINANCE else None)
        )
        response = client.post(reverse("annual_reports:review", args=[report.pk]), {"decision": "approve"})
        assert response.status_code == 403
        assert "（" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED


def test_a_return_without_reasons_keeps_the_page_and_says_why(client, hrss):
    report = make_report(year=2026, state=ReportState.SUBMITTED)
    client.force_login(hrss)
    response = client.post(reverse("annual_reports:review", args=[report.pk]), {"decision": "return"})
    assert response.status_code == 200
    assert "退回修改时请写明理由" in response.content.decode()


def _reports(count: int, *, state=ReportState.SUBMITTED):
    batch = make_base().batch
    return [make_report(make_base(batch=batch), year=2026, state=state) for _ in range(count)]


def _queries(client, url) -> int:
    client.get(url)  # warm: the first request of a session loads what every later one has cached
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("url_name", "role", "state"),
    [
        ("annual_reports:county_queue", Role.COUNTY_HRSS, ReportState.SUBMITTED),
        ("annual_reports:city_overview", Role.CITY_HRSS, ReportState.COUNTY_APPROVED),
    ],
)
def test_staff_lists_run_a_fixed_number_of_queries(client, url_name, role, state):
    user = UserFactory(role=role, region=region("330602") if role == Role.COUNTY_HRSS else None)
    client.force_login(user)
    _reports(1, state=state)
    url = reverse(url_name) + "?year=2026"
    one = _queries(client, url)
    _reports(4, state=state)
    assert _queries(client, url) == one


def test_the_units_list_runs_a_fixed_number_of_queries(client):
    base = make_base()
    member = base_member(base)
    make_report(base, year=2025)
    client.force_login(member)
    url = reverse("annual_reports:my_reports")
    one = _queries(client, url)
    for year in (2022, 2023, 2024, 2026):
        make_report(base, year=year)
    assert _queries(client, url) == one


def test_the_county_queue_filters_overdue_and_flagged(client, hrss):
    flagged = make_report(
        year=2026, state=ReportState.SUBMITTED, below_threshold=True, threshold_notes="不足"
    )
    overdue = make_report(year=2026, overdue_at=timezone.now())
    client.force_login(hrss)
    page = client.get(reverse("annual_reports:county_queue") + "?year=2026&status=flagged").content.decode()
    assert flagged.base.name in page
    assert overdue.base.name not in page
    page = client.get(reverse("annual_reports:county_queue") + "?year=2026&status=overdue").content.decode()
    assert overdue.base.name in page
    assert flagged.base.name not in page


def test_the_export_has_every_figure_and_keeps_formulae_as_text(client, city):
    report = make_report(year=2026, **{**FULL, "problems": '=HYPERLINK("http://x")', "trained_teachers": 42})
    content = annual_reports_workbook(year=2026, user=city)
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header, row = rows[0], rows[1]
    assert row[header.index("高技能人才师资培训人数")] == 42
    assert row[header.index("年度职业培训总人数")] == 1600
    assert row[header.index("实训基地")] == report.base.name
    assert str(row[header.index("存在问题")]).startswith("=HYPERLINK")
    assert sheet.cell(row=2, column=header.index("存在问题") + 1).data_type != "f"
    client.force_login(city)
    response = client.get(reverse("annual_reports:export") + "?year=2026")
    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_a_county_sees_only_its_bases_in_the_export_function():
    make_report(year=2026)
    make_report(make_base(division="330681"), year=2026)
    county = UserFactory(role=Role.COUNTY_HRSS, region=region("330602"))
    sheet = load_workbook(BytesIO(annual_reports_workbook(year=2026, user=county))).active
    assert sheet.max_row == 2


@time_machine.travel(DEC_10, tick=False)
def test_city_opens_a_year_by_hand_from_the_overview(client, city):
    base = make_base()
    member = base_member(base)
    client.force_login(city)
    response = client.post(reverse("annual_reports:open_year"), {"year": "2026"})
    assert response.status_code == 302
    assert AnnualReport.objects.filter(base=base, year=2026).exists()
    assert member.notifications.filter(title__contains="2026年度").exists()
    response = client.post(reverse("annual_reports:open_year"), {"year": "1999"})
    assert response.status_code == 200
    assert "年度应在 2022—2100 之间" in response.content.decode()


def test_dashboards_show_the_panels(client, hrss, city):
    report = make_report(year=2026, overdue_at=timezone.now())
    member = base_member(report.base)
    for user, text in ((member, "2026年度报告"), (hrss, "逾期"), (city, "各区县年度报告")):
        client.force_login(user)
        page = client.get(reverse("core:dashboard")).content.decode()
        assert 'data-testid="annual-report-panel"' in page, user.role
        assert text in page


def test_the_thresholds_follow_what_is_typed_without_saving(client):
    report = make_report(year=2026, trainees_total=1600)
    client.force_login(base_member(report.base))
    url = reverse("annual_reports:edit", args=[report.pk, "functions"]) + "?live=1"
    response = client.post(
        url, {"trainees_total": "1499", "evaluations": "-1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "按当前填写，尚未保存" in page
    assert 'data-criterion="annual_trainees" data-outcome="fail"' in page
    report.refresh_from_db()
    assert report.trainees_total == 1600


def test_the_admin_lists_reports_read_only(client):
    report = make_report(year=2026)
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    response = client.get(reverse("admin:reporting_annualreport_changelist"))
    assert response.status_code == 200
    assert report.base.name in response.content.decode()
    assert client.get(reverse("admin:reporting_annualreport_add")).status_code == 403
