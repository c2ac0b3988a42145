"""Policy data behind 三（二）1: the training-fund rule (财建〔2006〕317号) and enterprise size
(国统字〔2017〕213号), at their exact boundaries. No database."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from applications.enterprise_size import LARGE, MEDIUM, MICRO, SMALL, classify
from applications.indicators import consecutive_fund_years
from applications.policy import get_policy

RULE = get_policy().training_fund_rule


def test_the_rule_is_the_standard_share_as_data():
    assert (RULE.draw_percent, RULE.frontline_percent) == ("1.5%", "60%")
    assert "财建〔2006〕317号" in RULE.description


@pytest.mark.parametrize(
    ("drawn", "counts"),
    [("14.99", False), ("15.00", True), ("15.01", True)],  # payroll 1000 万元: 1.499% / 1.5% / 1.501%
)
def test_a_year_counts_from_exactly_one_and_a_half_percent_of_the_payroll(drawn: str, counts: bool):
    assert RULE.counts(Decimal("1000"), Decimal(drawn), Decimal(drawn)) is counts


@pytest.mark.parametrize(("frontline", "counts"), [("8.99", False), ("9.00", True), ("15.00", True)])
def test_a_year_counts_from_exactly_sixty_percent_spent_on_front_line_staff(frontline: str, counts: bool):
    # 15 万元 drawn of a 1000 万元 payroll: 60% is 9 万元; 59.9% fails.
    assert RULE.counts(Decimal("1000"), Decimal("15"), Decimal(frontline)) is counts


@pytest.mark.parametrize(
    ("payroll", "drawn", "frontline"),
    [
        ("0", "15", "9"),  # no payroll
        ("1000", "0", "0"),  # nothing drawn
        ("-1000", "15", "9"),  # negative
        ("1000", "15", "16"),  # more spent on front-line staff than drawn
        (None, "15", "9"),  # missing
    ],
)
def test_impossible_or_missing_amounts_never_count(payroll, drawn, frontline):
    value = lambda text: None if text is None else Decimal(text)  # noqa: E731
    assert RULE.counts(value(payroll), value(drawn), value(frontline)) is False


def _year(year: int, drawn: str) -> SimpleNamespace:
    return SimpleNamespace(
        year=year,
        counts_under=lambda rule: rule.counts(
            Decimal("1000"), Decimal(drawn), Decimal(drawn) * Decimal("0.6")
        ),
    )


def test_only_years_in_a_row_ending_last_year_count():
    years = [_year(2025, "15"), _year(2024, "15"), _year(2023, "14.99"), _year(2022, "20")]
    assert consecutive_fund_years(years, 2025, RULE) == 2  # 2023 fell short: the run stops there
    assert consecutive_fund_years(years, 2026, RULE) == 0  # last year not filed yet


# --- enterprise size by the industry rows of 国统字〔2017〕213号 ------------------------------------


@pytest.mark.parametrize(
    ("employees", "revenue", "size"),
    [
        (1000, 40000, LARGE),  # both lower bounds of 大型, inclusive
        (999, 40000, MEDIUM),  # one bound short: down one level
        (1000, 39999, MEDIUM),
        (300, 2000, MEDIUM),
        (299, 2000, SMALL),
        (20, 300, SMALL),
        (19, 300, MICRO),
        (5000, 100, MICRO),  # many staff, little revenue: every bound of a level must be met
    ],
)
def test_industry_size_needs_every_bound_of_its_level(employees, revenue, size):
    result = classify("industry", {"employees": employees, "operating_revenue": revenue})
    assert (result.size, result.problem) == (size, "")


def test_industries_read_only_their_own_measures():
    # 建筑业 reads revenue and total assets; employees do not matter.
    values = {"employees": 1, "operating_revenue": 80000, "total_assets": 80000}
    assert classify("construction", values).size == LARGE
    assert classify("construction", {**values, "total_assets": 79999.99}).size == MEDIUM
    # 软件和信息技术服务业: employees 300 and revenue 10000 for 大型.
    assert classify("software", {"employees": 300, "operating_revenue": 10000}).size == LARGE


@pytest.mark.parametrize(
    ("industry", "values", "problem"),
    [
        ("", {"employees": 1000}, "未选择所属行业"),
        ("industry", {"employees": 1000}, "未填写营业收入"),
        ("industry", {"employees": -1, "operating_revenue": 1}, "从业人员不能为负数"),
        ("industry", {"employees": "很多", "operating_revenue": 1}, "未填写从业人员"),
    ],
)
def test_a_size_that_cannot_be_derived_says_why_and_never_raises(industry, values, problem):
    result = classify(industry, values)
    assert result.size is None
    assert problem in result.problem
