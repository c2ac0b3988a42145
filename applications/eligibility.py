"""Eligibility engine: checks an applicant's indicators against the criteria of a policy version.

Stable API (DESIGN.md section 9)::

    evaluate(unit_type, indicators, policy=None) -> list[CriterionResult]
    summarize(results) -> {"pass": n, "fail": n, "needs_judgement": n}

The engine holds no thresholds: every number comes from ``applications.policy``, so a revised
Measures is a new ``PolicyVersion`` there, not a change here. Pure Python, no Django imports.

Decisions on input, so that forms, imports and tests agree:

* ``unit_type`` outside ``UNIT_TYPES`` raises ``ValueError``: the unit type comes from our own
  model field, so a wrong value is a programming error to surface, not applicant input to report.
* ``indicators`` may be partial or contain extra keys. Missing keys and malformed values never
  raise; they turn the criteria that read them into ``fail`` with a Chinese message.
* Counts accept ``int``, whole ``float``/``Decimal`` (1500.0) and strings of decimal digits with
  surrounding blanks (" 1500 "), because HTML forms and Excel imports hand over text. Rejected
  as malformed: ``bool`` (``True`` is not a head count), fractions (1500.5), thousands separators
  ("1,500"), anything else; a leading minus is reported as a negative number.
* Declarations accept only real ``bool``. ``True`` is ``needs_judgement`` (a reviewer confirms it
  against the evidence) and ``False`` is ``fail``; strings such as "yes" are malformed, since
  guessing at a legal declaration is worse than asking the unit to fill it in again.
* Enumerations (``size``, ``sector``) accept their documented codes, surrounding blanks trimmed.
* Ratios and shares are computed with ``Fraction``: 40% of the practical teachers passes exactly.
  A ratio needs both numbers positive; a share needs a positive whole and a part not above it.
* Results come in clause order, then in the order the policy declares its criteria.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Literal

from applications.policy import (
    INDICATOR_LABELS,
    UNIT_TYPES,
    Criterion,
    CriterionKind,
    Number,
    PolicyVersion,
    clause_tag,
    get_policy,
)

__all__ = [
    "FAIL",
    "NEEDS_JUDGEMENT",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "PASS",
    "UNIT_TYPES",
    "CriterionResult",
    "Outcome",
    "evaluate",
    "overall_outcome",
    "summarize",
]

Outcome = Literal["pass", "fail", "needs_judgement"]
PASS: Final = "pass"  # noqa: S105 -- an outcome name, not a password
FAIL: Final = "fail"
NEEDS_JUDGEMENT: Final = "needs_judgement"
OUTCOMES: Final[tuple[Outcome, ...]] = (PASS, FAIL, NEEDS_JUDGEMENT)
OUTCOME_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {PASS: "符合", FAIL: "不符合", NEEDS_JUDGEMENT: "待评审判断"}
)

DisplayValue = int | str
Indicators = Mapping[str, object]

MISSING: Final = "未填写"
NOT_COMPUTABLE: Final = "无法计算"
DECLARED: Final = "是"
NOT_DECLARED: Final = "否"
_SHOWN_MAX_LENGTH: Final = 20


@dataclass(frozen=True, slots=True)
class CriterionResult:
    """The outcome of one criterion, with display-ready values for lists and the review page."""

    clause: str
    key: str
    outcome: Outcome
    actual: DisplayValue
    required: DisplayValue
    message: str


# --- Public API ----------------------------------------------------------------------------------


def evaluate(
    unit_type: str,
    indicators: Indicators | None,
    policy: PolicyVersion | str | None = None,
) -> list[CriterionResult]:
    """Judge ``indicators`` for a unit of ``unit_type`` under ``policy`` (default: current policy).

    ``policy`` may be a ``PolicyVersion`` or a registered policy code. Raises ``ValueError`` for an
    unknown ``unit_type`` and ``UnknownPolicyError`` for an unregistered code; never raises for
    the content of ``indicators``.
    """
    if unit_type not in UNIT_TYPES:
        raise ValueError(f"未知的单位类型“{unit_type}”，应为 {'、'.join(UNIT_TYPES)} 之一")
    resolved = policy if isinstance(policy, PolicyVersion) else get_policy(policy)
    values: Indicators = indicators if indicators is not None else {}
    return [_judge(criterion, values) for criterion in resolved.criteria_for(unit_type)]


def summarize(results: Iterable[CriterionResult]) -> dict[str, int]:
    """Count results per outcome; every outcome is present, zero included (for list badges)."""
    counts: dict[str, int] = dict.fromkeys(OUTCOMES, 0)
    for result in results:
        counts[result.outcome] += 1
    return counts


def overall_outcome(results: Iterable[CriterionResult]) -> Outcome:
    """One outcome for a whole evaluation: any fail fails; else any judgement call needs one."""
    outcomes = {result.outcome for result in results}
    if FAIL in outcomes:
        return FAIL
    if NEEDS_JUDGEMENT in outcomes:
        return NEEDS_JUDGEMENT
    return PASS


# --- Reading indicators --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Invalid:
    """An indicator that cannot be judged: what to show as ``actual`` and why, in Chinese."""

    shown: str
    problem: str


def _label(key: str) -> str:
    return INDICATOR_LABELS.get(key, key)


def _is_blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _shown(value: object) -> str:
    """A short rendering of a raw value for messages; long junk must not flood the page."""
    text = str(value).strip()
    return text if len(text) <= _SHOWN_MAX_LENGTH else text[:_SHOWN_MAX_LENGTH] + "…"


def _missing(key: str) -> _Invalid:
    return _Invalid(MISSING, f"未填写{_label(key)}")


def _parse_integer_text(text: str) -> int | None:
    sign, digits = (-1, text[1:]) if text.startswith("-") else (1, text)
    if not digits.isdecimal():
        return None
    try:
        return sign * int(digits)
    except ValueError:  # longer than CPython's int-from-text digit limit: not a head count anyway
        return None


def _as_whole_number(value: object) -> int | None:
    """The integer a count value stands for, or None when it is not a whole number."""
    if isinstance(value, bool):  # bool is an int subclass; True must not count as one person
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() else None
    if isinstance(value, str):
        return _parse_integer_text(value.strip())
    return None


def _read_count(indicators: Indicators, key: str) -> int | _Invalid:
    value = indicators.get(key)
    if _is_blank(value):
        return _missing(key)
    number = _as_whole_number(value)
    if number is None:
        return _Invalid(_shown(value), f"{_label(key)}应为非负整数，收到“{_shown(value)}”")
    if number < 0:
        return _Invalid(str(number), f"{_label(key)}不能为负数，收到 {number}")
    return number


def _read_flag(indicators: Indicators, criterion: Criterion) -> bool | _Invalid:
    value = indicators.get(criterion.key)
    if _is_blank(value):
        return _Invalid(MISSING, f"未填写声明“{criterion.requirement}”")
    if isinstance(value, bool):
        return value
    return _Invalid(_shown(value), f"声明“{criterion.requirement}”应为“是”或“否”，收到“{_shown(value)}”")


def _read_choice(indicators: Indicators, criterion: Criterion) -> str | _Invalid:
    value = indicators.get(criterion.key)
    if _is_blank(value):
        return _missing(criterion.key)
    if isinstance(value, str) and value.strip() in criterion.choices:
        return value.strip()
    return _Invalid(_shown(value), f"无法识别的{criterion.label}“{_shown(value)}”")


# --- Display formatting --------------------------------------------------------------------------

Rounding = Literal["floor", "ceiling", "half_up"]


def _round(value: Fraction, places: int, rounding: Rounding) -> Decimal:
    """Round exactly (integer arithmetic), so a display never crosses a threshold by accident."""
    scaled = value * 10**places
    if rounding == "floor":
        whole = math.floor(scaled)
    elif rounding == "ceiling":
        whole = math.ceil(scaled)
    else:
        whole = math.floor(scaled + Fraction(1, 2))
    return Decimal(whole).scaleb(-places)


def _trim(value: Decimal) -> str:
    """20.00 -> "20", 20.50 -> "20.5"."""
    return format(value.normalize(), "f")


def _format_number(value: Number) -> str:
    return _trim(_round(Fraction(value), 2, "half_up"))


def _format_ratio(value: Fraction, rounding: Rounding = "half_up") -> str:
    return f"1:{_trim(_round(value, 2, rounding))}"


def _format_share(value: Fraction) -> str:
    # Floor, so that a share just under the bar (39.96%) never shows as "40.0%" beside a fail.
    return f"{format(_round(value * 100, 1, 'floor'), 'f')}%"


def _format_percent_threshold(value: Number) -> str:
    return f"{_format_number(Fraction(value) * 100)}%"


def _quantity(count: DisplayValue, unit: str) -> str:
    return f"{count} {unit}" if unit else str(count)


def _threshold(value: Number | None, criterion: Criterion, name: str) -> Number:
    # Criterion.__post_init__ already guarantees the numbers each kind needs; this narrows the type.
    if value is None:
        raise ValueError(f"条款 {criterion.clause} {criterion.key} 缺少 {name}")
    return value


# --- Judging each kind of criterion ---------------------------------------------------------------


def _result(
    criterion: Criterion,
    outcome: Outcome,
    actual: DisplayValue,
    required: DisplayValue,
    text: str,
) -> CriterionResult:
    return CriterionResult(
        clause=criterion.clause,
        key=criterion.key,
        outcome=outcome,
        actual=actual,
        required=required,
        message=f"{text}（{clause_tag(criterion.clause)}）",
    )


def _judge_declaration(criterion: Criterion, indicators: Indicators) -> CriterionResult:
    flag = _read_flag(indicators, criterion)
    if isinstance(flag, _Invalid):
        return _result(criterion, FAIL, flag.shown, DECLARED, flag.problem)
    if flag:
        text = f"已声明“{criterion.requirement}”，请评审人员核对佐证材料"
        return _result(criterion, NEEDS_JUDGEMENT, DECLARED, DECLARED, text)
    return _result(criterion, FAIL, NOT_DECLARED, DECLARED, f"未声明“{criterion.requirement}”")


def _subset_problem(criterion: Criterion, indicators: Indicators, count: int) -> str:
    """Why ``count`` cannot be part of its whole ("其中…"), or "" when it can or nothing to check."""
    if criterion.part_of is None:
        return ""
    whole = _read_count(indicators, criterion.part_of)
    if isinstance(whole, _Invalid) or count <= whole:
        return ""
    return (
        f"{criterion.label} {_quantity(count, criterion.unit)}，"
        f"超过{_label(criterion.part_of)} {_quantity(whole, criterion.unit)}，数据不一致"
    )


def _judge_at_least(criterion: Criterion, indicators: Indicators) -> CriterionResult:
    minimum = _threshold(criterion.minimum, criterion, "minimum")
    required = f"≥{_format_number(minimum)}"
    count = _read_count(indicators, criterion.key)
    if isinstance(count, _Invalid):
        return _result(criterion, FAIL, count.shown, required, count.problem)
    inconsistency = _subset_problem(criterion, indicators, count)
    if inconsistency:
        return _result(criterion, FAIL, count, required, inconsistency)
    actual = f"{criterion.label} {_quantity(count, criterion.unit)}"
    bar = _quantity(_format_number(minimum), criterion.unit)
    if count < minimum:
        if criterion.judgement_when_met:  # no number in the Measures: only "none" is a plain fail
            return _result(criterion, FAIL, count, required, f"{actual}，不满足“{criterion.requirement}”")
        return _result(criterion, FAIL, count, required, f"{actual}，不足 {bar}")
    if criterion.judgement_when_met:
        text = f"{actual}，是否“{criterion.requirement}”请评审人员判断"
        return _result(criterion, NEEDS_JUDGEMENT, count, criterion.requirement, text)
    return _result(criterion, PASS, count, required, f"{actual}，达到不少于 {bar}的要求")


def _judge_between(criterion: Criterion, indicators: Indicators) -> CriterionResult:
    minimum = _threshold(criterion.minimum, criterion, "minimum")
    maximum = _threshold(criterion.maximum, criterion, "maximum")
    required = f"{_format_number(minimum)}—{_format_number(maximum)}"
    count = _read_count(indicators, criterion.key)
    if isinstance(count, _Invalid):
        return _result(criterion, FAIL, count.shown, required, count.problem)
    actual = f"{criterion.label} {_quantity(count, criterion.unit)}"
    if count < minimum:
        text = f"{actual}，少于 {_quantity(_format_number(minimum), criterion.unit)}"
        return _result(criterion, FAIL, count, required, text)
    if count > maximum:
        text = f"{actual}，超过 {_quantity(_format_number(maximum), criterion.unit)}"
        if criterion.judgement_above_maximum:
            return _result(
                criterion,
                NEEDS_JUDGEMENT,
                count,
                required,
                f"{text}，请评审人员确认实训基地依托的 {required} 个",
            )
        return _result(criterion, FAIL, count, required, text)
    return _result(criterion, PASS, count, required, f"{actual}，在 {required} {criterion.unit}范围内")


def _judge_choice(criterion: Criterion, indicators: Indicators) -> CriterionResult:
    required = "或".join(criterion.choices[code] for code in criterion.allowed)
    value = _read_choice(indicators, criterion)
    if isinstance(value, _Invalid):
        return _result(criterion, FAIL, value.shown, required, value.problem)
    shown = criterion.choices[value]
    if value in criterion.allowed and criterion.judgement_when_met:
        text = (
            f"申报{criterion.label}为{shown}，是否“{criterion.requirement}”请评审人员核对行业代码和佐证材料"
        )
        return _result(criterion, NEEDS_JUDGEMENT, shown, required, text)
    if value in criterion.allowed:
        return _result(
            criterion,
            PASS,
            shown,
            required,
            f"{criterion.label}为{shown}，符合“{criterion.requirement}”的要求",
        )
    return _result(
        criterion, FAIL, shown, required, f"{criterion.label}为{shown}，不符合“{criterion.requirement}”的要求"
    )


def _read_ratio_operands(criterion: Criterion, indicators: Indicators) -> tuple[int, int] | str:
    """Both operands of a ratio or share, or the reason (Chinese) they cannot be read."""
    first_key, second_key = criterion.inputs
    first = _read_count(indicators, first_key)
    if isinstance(first, _Invalid):
        return f"无法计算{criterion.label}：{first.problem}"
    second = _read_count(indicators, second_key)
    if isinstance(second, _Invalid):
        return f"无法计算{criterion.label}：{second.problem}"
    return first, second


def _judge_ratio_band(criterion: Criterion, indicators: Indicators) -> CriterionResult:
    minimum = _threshold(criterion.minimum, criterion, "minimum")
    maximum = _threshold(criterion.maximum, criterion, "maximum")
    required = f"1:{_format_number(minimum)}—1:{_format_number(maximum)}"
    operands = _read_ratio_operands(criterion, indicators)
    if isinstance(operands, str):
        return _result(criterion, FAIL, NOT_COMPUTABLE, required, operands)
    # Both must be positive: no teachers makes the ratio undefined, no students makes it meaningless.
    zero_keys = [key for key, value in zip(criterion.inputs, operands, strict=True) if value == 0]
    if zero_keys:
        text = f"无法计算{criterion.label}：{_label(zero_keys[0])}为 0"
        return _result(criterion, FAIL, NOT_COMPUTABLE, required, text)
    numerator, denominator = operands
    ratio = Fraction(numerator, denominator)
    if ratio > maximum:
        # Ceiling: 20.001 shows as 1:20.01, never as a failing "1:20".
        actual = _format_ratio(ratio, "ceiling")
        text = f"{criterion.label} {actual}，超过 1:{_format_number(maximum)}"
        return _result(criterion, FAIL, actual, required, text)
    if ratio < minimum:
        actual = _format_ratio(ratio, "floor")
        if criterion.judgement_below_minimum:
            text = f"{criterion.label} {actual}，优于 {required} 区间，请评审人员判断"
            return _result(criterion, NEEDS_JUDGEMENT, actual, required, text)
        return _result(
            criterion, FAIL, actual, required, f"{criterion.label} {actual}，不在 {required} 区间内"
        )
    actual = _format_ratio(ratio)
    return _result(criterion, PASS, actual, required, f"{criterion.label} {actual}，在 {required} 区间内")


def _judge_share_at_least(criterion: Criterion, indicators: Indicators) -> CriterionResult:
    minimum = _threshold(criterion.minimum, criterion, "minimum")
    bar = _format_percent_threshold(minimum)
    required = f"≥{bar}"
    operands = _read_ratio_operands(criterion, indicators)
    if isinstance(operands, str):
        return _result(criterion, FAIL, NOT_COMPUTABLE, required, operands)
    part, whole = operands
    part_key, whole_key = criterion.inputs
    if whole == 0:
        text = f"无法计算{criterion.label}：{_label(whole_key)}为 0"
        return _result(criterion, FAIL, NOT_COMPUTABLE, required, text)
    if part > whole:
        text = f"{_label(part_key)} {part} 人，超过{_label(whole_key)} {whole} 人，数据不一致"
        return _result(criterion, FAIL, NOT_COMPUTABLE, required, text)
    share = Fraction(part, whole)
    actual = _format_share(share)
    if share >= minimum:
        return _result(criterion, PASS, actual, required, f"{criterion.label} {actual}，达到 {bar} 以上")
    return _result(criterion, FAIL, actual, required, f"{criterion.label} {actual}，低于 {bar}")


def _inconsistency(criterion: Criterion, indicators: Indicators) -> str:
    """Why the criterion's ``bounded_by`` pairs are impossible (实训教师 > 专兼职教师), or ""."""
    for part_key, whole_key in criterion.bounded_by:
        part, whole = _read_count(indicators, part_key), _read_count(indicators, whole_key)
        if isinstance(part, int) and isinstance(whole, int) and part > whole:
            return f"{_label(part_key)} {part} 人，超过{_label(whole_key)} {whole} 人，数据不一致"
    return ""


def _judge(criterion: Criterion, indicators: Indicators) -> CriterionResult:
    problem = _inconsistency(criterion, indicators)
    if problem:
        return _result(criterion, FAIL, NOT_COMPUTABLE, _required_text(criterion), problem)
    return _JUDGES[criterion.kind](criterion, indicators)


def _required_text(criterion: Criterion) -> DisplayValue:
    """What the criterion asks for, as its results show it (for the inconsistency refusal)."""
    if criterion.kind == CriterionKind.SHARE_AT_LEAST:
        return f"≥{_format_percent_threshold(_threshold(criterion.minimum, criterion, 'minimum'))}"
    return criterion.requirement


_Judge = Callable[[Criterion, Indicators], CriterionResult]

_JUDGES: Final[Mapping[CriterionKind, _Judge]] = MappingProxyType(
    {
        CriterionKind.DECLARATION: _judge_declaration,
        CriterionKind.AT_LEAST: _judge_at_least,
        CriterionKind.BETWEEN: _judge_between,
        CriterionKind.CHOICE: _judge_choice,
        CriterionKind.RATIO_BAND: _judge_ratio_band,
        CriterionKind.SHARE_AT_LEAST: _judge_share_at_least,
    }
)
