"""`make bench-smoke` fails when a list page loses its pagination or gains an N+1, and only then."""

import pytest
from zeal import zeal_ignore

from applications.scale import _seed_units
from applications.units import views as unit_views
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.bench_smoke import PageMeasure, count_rows, measure_pages, smoke_problems
from shaoxing_bases.core.benchmarking import Target

UNIT_LIST = Target("申报单位列表（市人力社保局）", "/units/", "smoke_city")


def _measure_at(sizes):
    """The unit list measured after growing to each number of units in ``sizes``."""
    measured = []
    for size in sizes:
        _seed_units(size)
        with zeal_ignore():  # the smoke itself must see the extra queries (zeal would turn them into a 500)
            measured.append(measure_pages([UNIT_LIST]))
    return measured


@pytest.fixture
def city(make_user):
    return make_user(Role.CITY_HRSS, username="smoke_city")


@pytest.mark.django_db
def test_the_unit_list_passes_the_smoke_as_it_is(city):
    small, large = _measure_at((3, 70))

    assert smoke_problems(small, large) == []
    page = large[(UNIT_LIST.label, "smoke_city")]
    assert page.status == 200
    assert page.rows < 60  # twenty units and the header, not seventy


@pytest.mark.django_db
def test_the_smoke_fails_when_the_unit_list_stops_paginating(city, monkeypatch):
    monkeypatch.setattr(unit_views, "UNITS_PER_PAGE", 10_000)

    small, large = _measure_at((3, 70))

    problems = smoke_problems(small, large)
    assert len(problems) == 1
    assert "没有分页" in problems[0]
    assert "/units/" in problems[0]


@pytest.mark.django_db
def test_the_smoke_fails_when_the_unit_list_gains_an_n_plus_one(city, monkeypatch):
    original = unit_views.units_for_list
    # The selector forgets its select_related: the template then loads each unit's county on its own.
    monkeypatch.setattr(unit_views, "units_for_list", lambda *a, **k: original(*a, **k).select_related(None))

    small, large = _measure_at((3, 70))

    problems = smoke_problems(small, large)
    assert len(problems) == 1
    assert "N+1" in problems[0]


@pytest.mark.django_db
def test_the_smoke_reports_a_page_that_fails(city, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(unit_views, "units_for_list", broken)

    small, large = _measure_at((3, 4))

    problems = smoke_problems(small, large)
    assert problems
    assert "返回 500" in problems[0]


def _page(queries: int, rows: int, status: int = 200) -> dict:
    return {("页", "x"): PageMeasure("页", "/p/", "x", status, 200, queries, rows)}


def test_smoke_problems_allow_a_little_slack_but_not_growth():
    assert smoke_problems(_page(6, 10), _page(8, 40)) == []  # a section that appears once it has rows
    assert smoke_problems(_page(6, 10), _page(9, 40))  # a query per row
    assert smoke_problems(_page(6, 70), _page(6, 70)) == []  # long, but not growing
    assert smoke_problems(_page(6, 10), _page(6, 61))  # grew past any page


def test_rows_are_table_rows_and_list_items():
    html = (
        b'<table><tr><th>a</th></tr><tr class="x"><td>1</td></tr></table><li class="list-group-item">z</li>'
    )
    assert count_rows(html) == 3
    assert count_rows(b"<track><trace>") == 0


@pytest.mark.django_db
def test_the_smoke_measures_the_signed_in_bare_view_too(city):
    from shaoxing_bases.core.benchmarking import SIGNED_IN_BASELINE

    target = Target(SIGNED_IN_BASELINE.label, SIGNED_IN_BASELINE.path, "smoke_city")
    (measure,) = measure_pages([target]).values()
    assert measure.status == 200
