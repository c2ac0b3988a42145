"""统计分析 of the training bases: the charts of the statistics page, each also a table (for screen
readers) and an Excel sheet. Read from what the decision recorded and the units declared.

Every chart is built from one read of the listed bases (`base_facts`, one query), so the page costs
the same whatever the number of bases. Later stages add figures to the training chart with
`register_statistics_series` (the annual reports: the people each base trained, year by year).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import tablib

from applications.policy import SECTOR_CHOICES, UNIT_TYPE_LABELS, UNIT_TYPES
from applications.spreadsheets import dataset_to_xlsx

from .industries import SECTIONS, UNDECLARED, industry_label, section_of
from .selectors import listed_bases, regions

Number = int | Decimal
#: The training chart draws lines once it spans more years than this (bars read better for a few).
LINE_FROM_YEARS = 4


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[Number, ...]


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    category: str  # the heading of the label column
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str  # 个 / 人
    kind: str = "bar"  # bar | line
    horizontal: bool = False
    stacked: bool = False
    note: str = ""
    #: Labels the page marks as not covered (coverage charts: no base at all).
    uncovered: tuple[str, ...] = field(default=())

    @property
    def rows(self) -> list[tuple[str, list[Number]]]:
        return [(label, [series.values[i] for series in self.series]) for i, label in enumerate(self.labels)]

    @property
    def data_id(self) -> str:
        return f"chart-data-{self.key}"

    @property
    def is_empty(self) -> bool:
        return not any(value for series in self.series for value in series.values)

    def js_data(self) -> dict:
        """What static/js/base-charts.js draws (through json_script: never inline script)."""
        return {
            "kind": self.kind,
            "horizontal": self.horizontal,
            "stacked": self.stacked,
            "unit": self.unit,
            "labels": list(self.labels),
            "datasets": [
                {"label": series.name, "data": [float(value) for value in series.values]}
                for series in self.series
            ],
        }

    def xlsx(self) -> bytes:
        dataset = tablib.Dataset(headers=[self.category, *(f"{s.name}（{self.unit}）" for s in self.series)])
        for label, values in self.rows:
            dataset.append([label, *values])
        return dataset_to_xlsx(dataset, title=self.title[:31])


@dataclass(frozen=True)
class BaseFacts:
    """What the charts read of one base (from one query)."""

    region: str
    unit_type: str
    industry_code: str
    sector: str
    year: int
    annual_trainees: int
    annual_senior_trainees: int
    annual_evaluations: int


def base_facts(queryset=None) -> list[BaseFacts]:
    rows = (queryset if queryset is not None else listed_bases()).values_list(
        "region__name",
        "unit__unit_type",
        "application__industry_code",
        "application__sector",
        "batch__year",
        "application__annual_trainees",
        "application__annual_senior_trainees",
        "application__annual_evaluations",
    )
    return [
        BaseFacts(
            region, unit_type, code or "", sector or "", year, trainees or 0, senior or 0, evaluations or 0
        )
        for region, unit_type, code, sector, year, trainees, senior, evaluations in rows
    ]


# --- the series later stages add to the training chart -----------------------------------------

#: A series of the training chart: (its name, a function returning {year: people}).
TrainingSeries = tuple[str, Callable[[], dict[int, Number]]]
_training_series: dict[str, TrainingSeries] = {}


def register_statistics_series(key: str, name: str, build: Callable[[], dict[int, Number]]) -> None:
    """Add (or replace, by key) a series of the training chart, e.g. the annual reports' trained
    people per year: ``register_statistics_series("annual_trainees", "年度报告：职业培训人数", fn)``."""
    _training_series[key] = (name, build)


# --- the charts ------------------------------------------------------------------------------------


def _by_county(facts: list[BaseFacts], regions_: list) -> Chart:
    counts = Counter(fact.region for fact in facts)
    names = tuple(region.name for region in regions_)
    return Chart(
        "by_county",
        "各区、县（市）实训基地数量",
        "区、县（市）",
        names,
        (Series("实训基地", tuple(counts.get(name, 0) for name in names)),),
        "个",
        uncovered=tuple(name for name in names if not counts.get(name)),
    )


def _by_type(facts: list[BaseFacts], regions_: list) -> Chart:
    counts = Counter(fact.unit_type for fact in facts)
    return Chart(
        "by_type",
        "实训基地依托单位类型",
        "单位类型",
        tuple(UNIT_TYPE_LABELS[kind] for kind in UNIT_TYPES),
        (Series("实训基地", tuple(counts.get(kind, 0) for kind in UNIT_TYPES)),),
        "个",
    )


def _by_industry(facts: list[BaseFacts], regions_: list) -> Chart:
    counts = Counter(industry_label(fact.industry_code) for fact in facts)
    labels = sorted(
        (label for label in counts if label != UNDECLARED), key=lambda label: (-counts[label], label)
    )
    if UNDECLARED in counts:
        labels.append(UNDECLARED)
    return Chart(
        "by_industry",
        "实训基地所属行业",
        "行业（国民经济行业分类 GB/T 4754-2017）",
        tuple(labels),
        (Series("实训基地", tuple(counts[label] for label in labels)),),
        "个",
        horizontal=True,
        note="按申报时填报的国民经济行业分类代码统计；职技院校和职业培训机构不填报行业代码。",
    )


def _training_by_year(facts: list[BaseFacts], regions_: list) -> Chart:
    declared: dict[str, defaultdict[int, Number]] = {
        "认定时申报的上年度职业培训人数": defaultdict(int),
        "其中高级工及以上培训人数": defaultdict(int),
        "认定时申报的上年度职业技能评价人数": defaultdict(int),
    }
    names = list(declared)
    for fact in facts:
        declared[names[0]][fact.year] += fact.annual_trainees
        declared[names[1]][fact.year] += fact.annual_senior_trainees
        declared[names[2]][fact.year] += fact.annual_evaluations
    added = {name: build() for name, build in _training_series.values()}
    every: dict[str, dict[int, Number]] = {**declared, **added}  # later series replace none
    years = sorted({year for values in every.values() for year in values})
    return Chart(
        "training_by_year",
        "实训基地培训和评价规模（按年度）",
        "年度",
        tuple(f"{year}年" for year in years),
        tuple(Series(name, tuple(values.get(year, 0) for year in years)) for name, values in every.items()),
        "人",
        kind="line" if len(years) > LINE_FROM_YEARS else "bar",
        note="“认定时申报”各项为当年认定的基地在申报时填报的上年度数字之和；基地提交年度报告后，其数字另列。",
    )


def _coverage_sections(facts: list[BaseFacts], regions_: list) -> Chart:
    counts = Counter(section_of(fact.industry_code) for fact in facts)
    labels = tuple(f"{letter} {name}" for letter, name in SECTIONS.items())
    return Chart(
        "coverage_sections",
        "产业覆盖：国民经济行业门类",
        "行业门类",
        labels,
        (Series("实训基地", tuple(counts.get(letter, 0) for letter in SECTIONS)),),
        "个",
        horizontal=True,
        note=(
            "《实施办法》第一部分要求逐步形成覆盖支柱产业、新兴产业和传统优势产业的高技能人才培训网络；"
            "标为“暂无基地”的门类尚无依托企业的实训基地。"
        ),
        uncovered=tuple(
            label for letter, label in zip(SECTIONS, labels, strict=True) if not counts.get(letter)
        ),
    )


def _coverage_sectors(facts: list[BaseFacts], regions_: list) -> Chart:
    names = tuple(region.name for region in regions_)
    sectors = {**SECTOR_CHOICES, "": "职技院校、培训机构（未填报领域）"}
    counts = Counter((fact.region, fact.sector) for fact in facts)
    uncovered = tuple(
        f"{name}·{SECTOR_CHOICES[sector]}"
        for name in names
        for sector in ("advanced_manufacturing", "modern_services")
        if not counts.get((name, sector))
    )
    return Chart(
        "coverage_sectors",
        "产业覆盖：各区、县（市）先进制造业和现代服务业基地",
        "区、县（市）",
        names,
        tuple(
            Series(label, tuple(counts.get((name, sector), 0) for name in names))
            for sector, label in sectors.items()
        ),
        "个",
        stacked=True,
        note="企业按《实施办法》三（二）1 填报的所属领域统计。",
        uncovered=uncovered,
    )


CHART_BUILDERS: dict[str, Callable[[list[BaseFacts], list], Chart]] = {
    "by_county": _by_county,
    "by_type": _by_type,
    "by_industry": _by_industry,
    "training_by_year": _training_by_year,
    "coverage_sections": _coverage_sections,
    "coverage_sectors": _coverage_sectors,
}


def statistics_charts() -> tuple[int, list[Chart]]:
    """How many bases are listed, and every chart (one query for all of them)."""
    facts, regions_ = base_facts(), regions()
    return len(facts), [build(facts, regions_) for build in CHART_BUILDERS.values()]


def statistics_chart(key: str) -> Chart | None:
    build = CHART_BUILDERS.get(key)
    return build(base_facts(), regions()) if build else None
