"""Enterprise size by 《统计上大中小微型企业划分办法（2017）》(国统字〔2017〕213号), as data.

三（二）1 asks for a 大中型企业. The size is not a label the applicant picks: it follows from the
industry, the number of employees (从业人员), the operating revenue (营业收入) and, where the standard
uses it, the total assets (资产总额), by the rows of the standard's table. Pure Python, no Django.

The standard's own rules (附注): 大型、中型和小型企业须同时满足所列指标的下限，否则下划一档；
微型企业只须满足所列指标中的一项即可. So a unit is large when it reaches every lower bound of the
large row of its industry, else medium when it reaches every bound of the medium row, else small
likewise, else micro. Amounts are in 万元 and compared exactly (Decimal); "X≥1000" includes 1000.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Final

SOURCE_NUMBER: Final = "国统字〔2017〕213号"
SOURCE: Final = f"《统计上大中小微型企业划分办法（2017）》（{SOURCE_NUMBER}）"

LARGE, MEDIUM, SMALL, MICRO = "large", "medium", "small", "micro"

EMPLOYEES = "employees"  # 从业人员（人）
REVENUE = "operating_revenue"  # 营业收入（万元）
ASSETS = "total_assets"  # 资产总额（万元）

MEASURE_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {EMPLOYEES: "从业人员", REVENUE: "营业收入", ASSETS: "资产总额"}
)


@dataclass(frozen=True, slots=True)
class IndustryRow:
    """One industry of the standard's table: the lower bound of each measure for large, medium, small."""

    code: str
    label: str
    bounds: Mapping[str, tuple[Decimal, Decimal, Decimal]]  # measure -> (large, medium, small)

    @property
    def measures(self) -> tuple[str, ...]:
        return tuple(self.bounds)


def _row(code: str, label: str, **bounds: tuple[int, int, int]) -> IndustryRow:
    return IndustryRow(
        code,
        label,
        MappingProxyType(
            {
                name: (Decimal(large), Decimal(medium), Decimal(small))
                for name, (large, medium, small) in bounds.items()
            }
        ),
    )


# 附表：统计上大中小微型企业划分标准 (the rows of 国统字〔2017〕213号; 万元 for amounts).
INDUSTRIES: Final[tuple[IndustryRow, ...]] = (
    _row("agriculture", "农、林、牧、渔业", operating_revenue=(20000, 500, 50)),
    _row(
        "industry",
        "工业（采矿业，制造业，电力、热力、燃气及水生产和供应业）",
        employees=(1000, 300, 20),
        operating_revenue=(40000, 2000, 300),
    ),
    _row("construction", "建筑业", operating_revenue=(80000, 6000, 300), total_assets=(80000, 5000, 300)),
    _row("wholesale", "批发业", employees=(200, 20, 5), operating_revenue=(40000, 5000, 1000)),
    _row("retail", "零售业", employees=(300, 50, 10), operating_revenue=(20000, 500, 100)),
    _row(
        "transport",
        "交通运输业（不含铁路运输业）",
        employees=(1000, 300, 20),
        operating_revenue=(30000, 3000, 200),
    ),
    _row("warehousing", "仓储业", employees=(200, 100, 20), operating_revenue=(30000, 1000, 100)),
    _row("postal", "邮政业", employees=(1000, 300, 20), operating_revenue=(30000, 2000, 100)),
    _row("accommodation", "住宿业", employees=(300, 100, 10), operating_revenue=(10000, 2000, 100)),
    _row("catering", "餐饮业", employees=(300, 100, 10), operating_revenue=(10000, 2000, 100)),
    _row("telecom", "信息传输业", employees=(2000, 100, 10), operating_revenue=(100000, 1000, 100)),
    _row("software", "软件和信息技术服务业", employees=(300, 100, 10), operating_revenue=(10000, 1000, 50)),
    _row(
        "real_estate",
        "房地产开发经营",
        operating_revenue=(200000, 1000, 100),
        total_assets=(10000, 5000, 2000),
    ),
    _row("property_management", "物业管理", employees=(1000, 300, 100), operating_revenue=(5000, 1000, 500)),
    _row("leasing_business", "租赁和商务服务业", employees=(300, 100, 10), total_assets=(120000, 8000, 100)),
    _row("other", "其他未列明行业", employees=(300, 100, 10)),
)
INDUSTRY_BY_CODE: Final[Mapping[str, IndustryRow]] = MappingProxyType({row.code: row for row in INDUSTRIES})
INDUSTRY_CHOICES: Final[tuple[tuple[str, str], ...]] = tuple((row.code, row.label) for row in INDUSTRIES)


@dataclass(frozen=True, slots=True)
class SizeResult:
    size: str | None  # large / medium / small / micro, or None when it cannot be derived
    problem: str  # why not (Chinese), "" when derived


def _as_decimal(value: object) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def classify(industry: str, values: Mapping[str, object]) -> SizeResult:
    """The size of an enterprise of `industry` with `values` ({employees, operating_revenue,
    total_assets}; only the industry's measures are read). Never raises."""
    row = INDUSTRY_BY_CODE.get(industry or "")
    if row is None:
        return SizeResult(None, "未选择所属行业（按统计上大中小微型企业划分标准）")
    measured: dict[str, Decimal] = {}
    for name in row.measures:
        number = _as_decimal(values.get(name))
        if number is None:
            return SizeResult(None, f"未填写{MEASURE_LABELS[name]}，无法认定企业规模")
        if number < 0:
            return SizeResult(None, f"{MEASURE_LABELS[name]}不能为负数")
        measured[name] = number
    for level, size in enumerate((LARGE, MEDIUM, SMALL)):
        if all(measured[name] >= row.bounds[name][level] for name in row.measures):
            return SizeResult(size, "")
    return SizeResult(MICRO, "")
