"""The statistics read what was declared and recorded: counts by county, type and industry, the
coverage of sections and sectors with what has no base, the training figures by year, the series a
later stage registers."""

import pytest

from reporting.bases import statistics
from reporting.bases.industries import UNDECLARED, industry_label, section_of
from reporting.bases.statistics import register_statistics_series, statistics_charts

from .conftest import make_base

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("C1711", "制造业·纺织业"),
        ("C34", "制造业·通用设备制造业"),
        ("C", "制造业"),
        ("I65", "信息传输、软件和信息技术服务业"),
        ("", UNDECLARED),
        ("Z99", UNDECLARED),
    ],
)
def test_industry_labels_follow_the_national_classification(code, label):
    assert industry_label(code) == label


def test_section_of_ignores_what_is_not_a_section():
    assert section_of("c3484") == "C"
    assert section_of("9") == ""


def _charts():
    _total, charts = statistics_charts()
    return {chart.key: chart for chart in charts}


def test_counts_by_county_type_and_industry():
    make_base(
        division="330603", unit_type="enterprise", industry_code="C1711", sector="advanced_manufacturing"
    )
    make_base(
        division="330603", unit_type="enterprise", industry_code="C1752", sector="advanced_manufacturing"
    )
    make_base(division="330602", unit_type="college")
    charts = _charts()
    by_county = dict(charts["by_county"].rows)
    assert by_county["柯桥区"] == [2]
    assert by_county["越城区"] == [1]
    assert by_county["新昌县"] == [0]
    assert "新昌县" in charts["by_county"].uncovered
    assert dict(charts["by_type"].rows) == {"职技院校": [1], "职业培训机构": [0], "企业": [2]}
    assert charts["by_industry"].rows == [("制造业·纺织业", [2]), (UNDECLARED, [1])]


def test_coverage_names_the_sections_and_sectors_without_a_base():
    make_base(
        division="330603", unit_type="enterprise", industry_code="C1711", sector="advanced_manufacturing"
    )
    charts = _charts()
    sections = charts["coverage_sections"]
    assert dict(sections.rows)["C 制造业"] == [1]
    assert "C 制造业" not in sections.uncovered
    assert "I 信息传输、软件和信息技术服务业" in sections.uncovered
    sectors = charts["coverage_sectors"]
    assert "柯桥区·先进制造业" not in sectors.uncovered
    assert "柯桥区·现代服务业" in sectors.uncovered
    assert "越城区·先进制造业" in sectors.uncovered


def test_training_figures_by_year_and_a_registered_series(monkeypatch):
    monkeypatch.setattr(statistics, "_training_series", {})
    make_base(year=2024, trainees=1600)
    make_base(year=2024, trainees=1500)
    make_base(year=2025, trainees=2000)
    register_statistics_series("reports", "年度报告：职业培训人数", lambda: {2026: 4200})
    chart = _charts()["training_by_year"]
    assert chart.labels == ("2024年", "2025年", "2026年")
    assert chart.series[0].values == (3100, 2000, 0)
    assert chart.series[-1].name == "年度报告：职业培训人数"
    assert chart.series[-1].values == (0, 0, 4200)


def test_exited_bases_leave_the_statistics(county_hrss, city_hrss):
    from django.utils import timezone

    from reporting.assessments.services import AssessmentInput, assessment_decide_exit, assessment_record

    base = make_base()
    make_base()
    proposal = assessment_record(
        base=base,
        actor=county_hrss,
        data=AssessmentInput(
            assessed_on=timezone.localdate(), scope="考核", findings="不达标", result="exit", reasons="未达标"
        ),
    )
    assessment_decide_exit(assessment=proposal, actor=city_hrss, approve=True)
    total, _ = statistics_charts()
    assert total == 1


def test_a_chart_without_data_says_so():
    charts = _charts()
    assert charts["by_county"].is_empty
    assert charts["training_by_year"].rows == []
