"""Reads of the funding records: per base, and totals per base, county and year within the user's
scope (the city all counties, a county its own). Aggregated in the database: fixed query counts."""

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from io import BytesIO
from typing import Any

import tablib
from django.db.models import QuerySet, Sum
from django.utils import timezone
from openpyxl import Workbook

from applications.spreadsheets import excel_safe
from shaoxing_bases.accounts.rules import is_city_wide, is_county_staff

from ..enums import FundingPurpose
from ..models import FundingRecord, TrainingBase

ZERO = Decimal("0.00")


def funding_visible_to(user) -> QuerySet[FundingRecord]:
    records = FundingRecord.objects.select_related("base__region", "base__unit", "recorded_by")
    if is_city_wide(user):
        return records
    if is_county_staff(user):
        return records.filter(base__region_id=user.region_id)
    return records.none()


def filtered(records: QuerySet[FundingRecord], *, year: int | None = None, region_code: str = ""):
    if year:
        records = records.filter(year=year)
    if region_code:
        records = records.filter(base__region__code=region_code)
    return records


@dataclass
class BaseFunding:
    records: list[FundingRecord]
    by_year: list[tuple[int, Decimal]]
    by_purpose: list[tuple[str, Decimal]]
    total: Decimal


def base_funding(base: TrainingBase) -> BaseFunding:
    """One base's records with its totals per year and per purpose (one query)."""
    records = list(base.funding_records.select_related("recorded_by").order_by("-year", "-recorded_at"))
    years: defaultdict[int, Decimal] = defaultdict(lambda: ZERO)
    purposes: defaultdict[str, Decimal] = defaultdict(lambda: ZERO)
    for record in records:
        years[record.year] += record.amount
        purposes[record.purpose] += record.amount
    return BaseFunding(
        records=records,
        by_year=sorted(years.items(), reverse=True),
        by_purpose=[(label, purposes[value]) for value, label in FundingPurpose.choices if value in purposes],
        total=sum((record.amount for record in records), ZERO),
    )


@dataclass
class FundingSummary:
    """Totals of the user's scope: county × year (with row and column totals), and per base."""

    years: list[int]
    rows: list[tuple[str, list[Decimal], Decimal]]  # county, per year, total
    year_totals: list[Decimal]
    total: Decimal
    per_base: Any = None  # a values() queryset: {base_id, base__name, base__region__name, total}


def funding_summary(records: QuerySet[FundingRecord], regions) -> FundingSummary:
    """One aggregate query for the county × year table; `per_base` is a lazy aggregate (paginated by
    the page, read whole by the export)."""
    cells = records.order_by().values("base__region__name", "year").annotate(total=Sum("amount"))
    years = sorted({cell["year"] for cell in cells})
    table: dict[str, dict[int, Decimal]] = defaultdict(dict)
    for cell in cells:
        table[cell["base__region__name"]][cell["year"]] = cell["total"]
    rows = []
    for region in regions:
        values = [table.get(region.name, {}).get(year, ZERO) for year in years]
        rows.append((region.name, values, sum(values, ZERO)))
    year_totals = [sum((row[1][index] for row in rows), ZERO) for index in range(len(years))]
    per_base = (
        records.order_by()
        .values("base_id", "base__name", "base__region__name", "base__region__sort_order")
        .annotate(total=Sum("amount"))
        .order_by("base__region__sort_order", "base__name", "base_id")
    )
    return FundingSummary(years, rows, year_totals, sum(year_totals, ZERO), per_base)


def funding_workbook(records: QuerySet[FundingRecord], regions) -> bytes:
    """经费支持.xlsx: the records, then the totals by county and year, then by base — each cell
    through `excel_safe` (text stays text, amounts stay numbers)."""
    summary = funding_summary(records, regions)
    by_county = tablib.Dataset(
        headers=["区、县（市）", *(f"{year}年（元）" for year in summary.years), "合计（元）"]
    )
    for name, values, total in summary.rows:
        by_county.append([name, *values, total])
    by_county.append(["合计", *summary.year_totals, summary.total])
    by_base = tablib.Dataset(headers=["实训基地", "区、县（市）", "合计（元）"])
    for row in summary.per_base:
        by_base.append([row["base__name"], row["base__region__name"], row["total"]])
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, dataset in (
        ("经费明细", funding_dataset(records)),
        ("按区县和年度", by_county),
        ("按基地", by_base),
    ):
        sheet = workbook.create_sheet(title)
        sheet.append([excel_safe(header) for header in dataset.headers])
        for row in dataset:
            sheet.append([excel_safe(value) for value in row])
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def funding_dataset(records: QuerySet[FundingRecord]) -> tablib.Dataset:
    """One row per record, amounts as numbers (sums and sorting work in Excel)."""
    dataset = tablib.Dataset(
        headers=[
            "年度",
            "区、县（市）",
            "实训基地",
            "建设单位",
            "用途",
            "金额（元）",
            "拨款文件文号",
            "说明",
            "登记人",
            "登记时间",
        ]
    )
    for record in records.order_by("base__region__sort_order", "base__name", "-year", "pk"):
        dataset.append(
            [
                record.year,
                record.base.region.name,
                record.base.name,
                record.base.unit.name,
                record.get_purpose_display(),
                record.amount,
                record.document_reference,
                record.note,
                str(record.recorded_by),
                timezone.localtime(record.recorded_at),
            ]
        )
    return dataset
