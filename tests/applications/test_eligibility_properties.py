"""Properties of the eligibility engine (hypothesis), for any input a form, an import or a bug can send.

Every threshold is read from ``applications.policy``: a revised Measures changes the numbers there and
these properties keep holding. The example-based tests at every boundary are in ``test_eligibility.py``.
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from applications.eligibility import FAIL, NEEDS_JUDGEMENT, OUTCOMES, PASS, UNIT_TYPES, evaluate
from applications.policy import Criterion, CriterionKind, clause_sort_key, get_policy

# Pure Python and fast: a few hundred evaluations per property keeps the whole module under seconds.
PROPERTY = settings(max_examples=200, deadline=None)

POLICY = get_policy()
CJK = re.compile(r"[\u4e00-\u9fff]")


def criteria(unit_type: str, *kinds: CriterionKind) -> list[Criterion]:
    return [criterion for criterion in POLICY.criteria_for(unit_type) if criterion.kind in kinds]


def cases(*kinds: CriterionKind) -> list[tuple[str, Criterion]]:
    """(unit type, criterion) for every criterion of these kinds in the current policy."""
    found = [(unit_type, criterion) for unit_type in UNIT_TYPES for criterion in criteria(unit_type, *kinds)]
    assert found, f"the policy has no criterion of kind {kinds}: the property below would test nothing"
    return found


INDICATOR_KEYS = sorted(
    {key for unit_type in UNIT_TYPES for c in POLICY.criteria_for(unit_type) for key in c.indicator_keys}
)

# --- Strategies ------------------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),  # negative and arbitrarily large
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=0, max_value=5000).map(lambda n: f" {n}\t"),
    st.just("9" * 5000),  # past CPython's int-from-text digit limit
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.fractions(),
    st.complex_numbers(),
    st.text(),
    st.binary(),
    st.sampled_from(["", "  ", "1,500", "1500.5", "−3", "１５００", "large", "other", "是", "true"]),
)
junk = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.tuples(children, children),
        st.dictionaries(st.text(max_size=5), children, max_size=3),
        st.frozensets(st.integers(), max_size=3),
    ),
    max_leaves=8,
)
indicator_dicts = st.dictionaries(
    keys=st.one_of(st.sampled_from(INDICATOR_KEYS), st.text(max_size=10)),
    values=junk,
    max_size=len(INDICATOR_KEYS) + 3,
)
CHOICE_CODES = sorted({code for c in POLICY.criteria for code in c.choices})
# The other indicators beside the one a property varies: mostly plausible values, some junk, any missing.
plausible_value = st.one_of(
    st.integers(min_value=0, max_value=10**5),
    st.sampled_from(CHOICE_CODES),
    st.booleans(),
    scalars,
)
other_indicators = st.fixed_dictionaries({}, optional=dict.fromkeys(INDICATOR_KEYS, plausible_value))


def count_forms(n: int) -> st.SearchStrategy[Any]:
    """The ways a whole number reaches the engine: int, whole float/Decimal (Excel), padded text (forms)."""
    forms: list[Any] = [n, Decimal(n), Decimal(f"{n}.000"), f" {n} "]
    if abs(n) <= 2**53:
        forms.append(float(n))
    return st.sampled_from(forms)


def counts_near(threshold: int | Fraction) -> st.SearchStrategy[int]:
    """Counts that often sit on or beside ``threshold``, and sometimes anywhere."""
    bar = int(threshold)
    return st.one_of(
        st.sampled_from(sorted({max(bar - 1, 0), bar, bar + 1})),
        st.integers(min_value=0, max_value=3 * bar + 10),
        st.integers(min_value=0, max_value=10**12),
    )


# --- Any input -----------------------------------------------------------------------------------


@PROPERTY
@given(unit_type=st.sampled_from(UNIT_TYPES), indicators=st.one_of(st.none(), indicator_dicts))
def test_evaluate_never_raises_and_always_explains_in_chinese(unit_type: str, indicators) -> None:
    results = evaluate(unit_type, indicators)

    for result in results:
        assert result.outcome in OUTCOMES
        assert isinstance(result.message, str)
        assert result.message.strip()
        assert CJK.search(result.message), result.message
        assert isinstance(result.actual, int | str)
        assert isinstance(result.required, int | str)


@PROPERTY
@given(unit_type=st.sampled_from(UNIT_TYPES), indicators=st.one_of(st.none(), indicator_dicts))
def test_evaluate_gives_one_result_per_criterion_in_clause_order(unit_type: str, indicators) -> None:
    results = evaluate(unit_type, indicators)

    keys = [result.key for result in results]
    assert len(keys) == len(set(keys))
    assert keys == [criterion.key for criterion in POLICY.criteria_for(unit_type)]
    assert [result.clause for result in results] == sorted(
        (result.clause for result in results), key=clause_sort_key
    )


@PROPERTY
@given(unit_type=st.sampled_from(UNIT_TYPES), indicators=indicator_dicts)
def test_evaluate_does_not_change_the_indicators(unit_type: str, indicators) -> None:
    before = repr(indicators)

    evaluate(unit_type, indicators)

    assert repr(indicators) == before


# --- Declarations and choices ---------------------------------------------------------------------


@PROPERTY
@given(case=st.sampled_from(cases(CriterionKind.DECLARATION)), value=junk, others=other_indicators)
def test_declaration_true_goes_to_the_reviewer_and_anything_else_fails(case, value, others) -> None:
    unit_type, criterion = case

    outcome = outcome_of(unit_type, criterion, {**others, criterion.key: value})

    assert outcome == (NEEDS_JUDGEMENT if value is True else FAIL)


@PROPERTY
@given(data=st.data(), case=st.sampled_from(cases(CriterionKind.CHOICE)), others=other_indicators)
def test_choice_passes_exactly_for_the_allowed_codes(data, case, others) -> None:
    unit_type, criterion = case
    code = data.draw(st.sampled_from(sorted(criterion.choices)))
    padded = data.draw(st.sampled_from([code, f" {code} "]))

    outcome = outcome_of(unit_type, criterion, {**others, criterion.key: padded})

    assert outcome == (met_outcome(criterion) if code in criterion.allowed else FAIL)


# --- Counts with a minimum ("不少于 / 以上") ---------------------------------------------------------


def met_outcome(criterion: Criterion) -> str:
    """A met condition passes, unless the Measures name a quality the number or choice only opens
    the door to (``judgement_when_met``): then a person judges it."""
    return NEEDS_JUDGEMENT if criterion.judgement_when_met else PASS


def outcome_of(unit_type: str, criterion: Criterion, indicators: dict[str, Any]) -> str:
    (result,) = (result for result in evaluate(unit_type, indicators) if result.key == criterion.key)
    return result.outcome


def made_consistent(criterion: Criterion, indicators: dict[str, Any], count: int) -> dict[str, Any]:
    """``indicators`` with the whole a subset count belongs to ("其中…") at least ``count``."""
    if criterion.part_of is None:
        return indicators
    whole = indicators.get(criterion.part_of)
    if not (isinstance(whole, int) and not isinstance(whole, bool) and whole >= count):
        whole = count
    return {**indicators, criterion.part_of: whole}


@PROPERTY
@given(data=st.data(), case=st.sampled_from(cases(CriterionKind.AT_LEAST)), others=other_indicators)
def test_at_least_passes_exactly_from_its_minimum(data, case, others) -> None:
    unit_type, criterion = case
    assert criterion.minimum is not None
    count = data.draw(counts_near(criterion.minimum))
    indicators = made_consistent(criterion, others, count)

    outcome = outcome_of(unit_type, criterion, {**indicators, criterion.key: data.draw(count_forms(count))})

    assert outcome == (met_outcome(criterion) if count >= criterion.minimum else FAIL)


@PROPERTY
@given(
    data=st.data(),
    case=st.sampled_from(cases(CriterionKind.AT_LEAST)),
    others=other_indicators,
    raise_by=st.integers(min_value=0, max_value=10**6),
)
def test_raising_a_count_never_turns_any_pass_into_fail(data, case, others, raise_by) -> None:
    unit_type, criterion = case
    assert criterion.minimum is not None
    count = data.draw(counts_near(criterion.minimum))
    raised = count + raise_by
    # Keep the data consistent: the whole of a "其中" count grows with it when it has to.
    indicators = made_consistent(criterion, others, raised)

    before = evaluate(unit_type, {**indicators, criterion.key: count})
    after = evaluate(unit_type, {**indicators, criterion.key: raised})

    for old, new in zip(before, after, strict=True):
        assert not (old.outcome == PASS and new.outcome == FAIL), (old, new)


@PROPERTY
@given(
    data=st.data(),
    case=st.sampled_from([(u, c) for u, c in cases(CriterionKind.AT_LEAST) if c.part_of]),
    others=other_indicators,
    raise_by=st.integers(min_value=0, max_value=10**6),
)
def test_raising_the_whole_of_a_subset_count_never_turns_any_pass_into_fail(
    data, case, others, raise_by
) -> None:
    unit_type, criterion = case
    assert criterion.part_of is not None
    whole = data.draw(st.integers(min_value=0, max_value=10**6))
    indicators = {**others, criterion.part_of: whole}

    before = evaluate(unit_type, indicators)
    after = evaluate(unit_type, {**indicators, criterion.part_of: whole + raise_by})

    for old, new in zip(before, after, strict=True):
        assert not (old.outcome == PASS and new.outcome == FAIL), (old, new)


@PROPERTY
@given(
    case=st.sampled_from([(u, c) for u, c in cases(CriterionKind.AT_LEAST) if c.part_of]),
    others=other_indicators,
    whole=st.integers(min_value=0, max_value=10**6),
    excess=st.integers(min_value=1, max_value=10**6),
)
def test_a_subset_count_above_its_whole_fails(case, others, whole, excess) -> None:
    unit_type, criterion = case
    assert criterion.part_of is not None
    indicators = {**others, criterion.part_of: whole, criterion.key: whole + excess}

    assert outcome_of(unit_type, criterion, indicators) == FAIL


@PROPERTY
@given(
    case=st.sampled_from(cases(CriterionKind.AT_LEAST)),
    others=other_indicators,
    count=st.integers(max_value=-1),
)
def test_negative_counts_fail(case, others, count) -> None:
    unit_type, criterion = case

    assert outcome_of(unit_type, criterion, {**others, criterion.key: count}) == FAIL


# --- A count within a band (3–5 specialties) ------------------------------------------------------


@PROPERTY
@given(data=st.data(), case=st.sampled_from(cases(CriterionKind.BETWEEN)), others=other_indicators)
def test_between_passes_inside_its_band_only(data, case, others) -> None:
    unit_type, criterion = case
    assert criterion.minimum is not None
    assert criterion.maximum is not None
    count = data.draw(st.one_of(counts_near(criterion.minimum), counts_near(criterion.maximum)))

    outcome = outcome_of(unit_type, criterion, {**others, criterion.key: data.draw(count_forms(count))})

    if count < criterion.minimum:
        assert outcome == FAIL
    elif count > criterion.maximum:
        # Above the band is never a pass; DESIGN §9 would send it to the reviewer, the engine fails it.
        assert outcome in {FAIL, NEEDS_JUDGEMENT}
    else:
        assert outcome == PASS


@PROPERTY
@given(data=st.data(), case=st.sampled_from(cases(CriterionKind.BETWEEN)), others=other_indicators)
def test_between_never_worsens_moving_towards_its_band(data, case, others) -> None:
    unit_type, criterion = case
    assert criterion.minimum is not None
    assert criterion.maximum is not None
    low = data.draw(st.integers(min_value=0, max_value=int(criterion.minimum)))
    high = data.draw(st.integers(min_value=int(criterion.maximum), max_value=10**9))
    rank = {FAIL: 0, NEEDS_JUDGEMENT: 1, PASS: 2}

    def outcome(count: int) -> int:
        return rank[outcome_of(unit_type, criterion, {**others, criterion.key: count})]

    # From below: up to the minimum; from above: down to the maximum.
    assert outcome(low) <= outcome(low + data.draw(st.integers(0, int(criterion.minimum) - low)))
    assert outcome(high) <= outcome(high - data.draw(st.integers(0, high - int(criterion.maximum))))


# --- Student:teacher ratio (1:16–1:20) -------------------------------------------------------------

# Along the ratio axis the outcome only moves one way: better staffed than the band goes to the
# reviewer, inside passes, above fails (DESIGN §2: "above 20 fails; below 16 is flagged").
RATIO_ORDER = {NEEDS_JUDGEMENT: 0, PASS: 1, FAIL: 2}


@st.composite
def students_and_teachers(draw, criterion: Criterion) -> tuple[int, int]:
    assert criterion.minimum is not None
    assert criterion.maximum is not None
    teachers = draw(st.integers(min_value=1, max_value=400))
    edges = [Fraction(criterion.minimum) * teachers, Fraction(criterion.maximum) * teachers]
    near = sorted({max(int(edge) + step, 0) for edge in edges for step in (-1, 0, 1)})
    students = draw(
        st.one_of(
            st.sampled_from(near),
            st.integers(min_value=1, max_value=int(criterion.maximum + 5) * teachers),
        )
    )
    return students, teachers


def ratio_outcome(unit_type: str, criterion: Criterion, others: dict[str, Any], students: int, teachers: int):
    numerator, denominator = criterion.inputs
    return outcome_of(unit_type, criterion, {**others, numerator: students, denominator: teachers})


@PROPERTY
@given(data=st.data(), case=st.sampled_from(cases(CriterionKind.RATIO_BAND)), others=other_indicators)
def test_ratio_above_the_band_fails_inside_passes_below_is_judged(data, case, others) -> None:
    unit_type, criterion = case
    students, teachers = data.draw(students_and_teachers(criterion))
    ratio = Fraction(students, teachers)

    outcome = ratio_outcome(unit_type, criterion, others, students, teachers)

    if students == 0:
        assert outcome == FAIL  # nothing to compare: no students is not "better staffed"
    elif ratio > criterion.maximum:
        assert outcome == FAIL
    elif ratio >= criterion.minimum:
        assert outcome == PASS
    else:
        assert outcome == (NEEDS_JUDGEMENT if criterion.judgement_below_minimum else FAIL)


@PROPERTY
@given(
    data=st.data(),
    case=st.sampled_from(cases(CriterionKind.RATIO_BAND)),
    others=other_indicators,
    more_students=st.integers(min_value=0, max_value=5000),
    more_teachers=st.integers(min_value=0, max_value=300),
)
def test_ratio_outcome_moves_one_way_along_the_ratio(
    data, case, others, more_students, more_teachers
) -> None:
    unit_type, criterion = case
    assert criterion.judgement_below_minimum, "RATIO_ORDER assumes values below the band are judged"
    students, teachers = data.draw(students_and_teachers(criterion))
    students = max(students, 1)

    base = RATIO_ORDER[ratio_outcome(unit_type, criterion, others, students, teachers)]
    more_pupils = RATIO_ORDER[ratio_outcome(unit_type, criterion, others, students + more_students, teachers)]
    more_staff = RATIO_ORDER[ratio_outcome(unit_type, criterion, others, students, teachers + more_teachers)]

    assert more_pupils >= base  # more students per teacher: never back towards "judged"
    assert more_staff <= base  # more teachers: never towards "fail"


@PROPERTY
@given(
    case=st.sampled_from(cases(CriterionKind.RATIO_BAND, CriterionKind.SHARE_AT_LEAST)),
    others=other_indicators,
    value=st.integers(min_value=0, max_value=10**6),
    zero_first=st.booleans(),
)
def test_ratio_or_share_with_a_zero_whole_fails(case, others, value, zero_first) -> None:
    unit_type, criterion = case
    first, second = criterion.inputs
    indicators = {**others, first: value, second: 0}
    if criterion.kind == CriterionKind.RATIO_BAND and zero_first:
        indicators = {**others, first: 0, second: value}

    assert outcome_of(unit_type, criterion, indicators) == FAIL


# --- Share of senior practical teachers (≥40%) ------------------------------------------------------


@st.composite
def part_and_whole(draw, criterion: Criterion) -> tuple[int, int]:
    assert criterion.minimum is not None
    whole = draw(st.integers(min_value=1, max_value=2000))
    edge = Fraction(criterion.minimum) * whole
    near = sorted({min(max(int(edge) + step, 0), whole) for step in (-1, 0, 1)})
    part = draw(st.one_of(st.sampled_from(near), st.integers(min_value=0, max_value=whole)))
    return part, whole


def share_outcome(unit_type: str, criterion: Criterion, others: dict[str, Any], part: int, whole: int) -> str:
    part_key, whole_key = criterion.inputs
    return outcome_of(
        unit_type, criterion, within_bounds(criterion, {**others, part_key: part, whole_key: whole})
    )


def within_bounds(criterion: Criterion, indicators: dict[str, Any]) -> dict[str, Any]:
    """``indicators`` made possible for ``criterion.bounded_by`` (实训教师 ≤ 专兼职教师): a bounding
    count below its part is raised to it — impossible data fails by design, tested elsewhere."""
    for part_key, whole_key in criterion.bounded_by:
        part, whole = indicators.get(part_key), indicators.get(whole_key)
        if isinstance(part, int) and not (
            isinstance(whole, int) and not isinstance(whole, bool) and whole >= part
        ):
            indicators = {**indicators, whole_key: part}
    return indicators


@PROPERTY
@given(data=st.data(), case=st.sampled_from(cases(CriterionKind.SHARE_AT_LEAST)), others=other_indicators)
def test_share_passes_exactly_from_its_minimum(data, case, others) -> None:
    unit_type, criterion = case
    assert criterion.minimum is not None
    part, whole = data.draw(part_and_whole(criterion))

    outcome = share_outcome(unit_type, criterion, others, part, whole)

    assert outcome == (PASS if Fraction(part, whole) >= criterion.minimum else FAIL)


@PROPERTY
@given(
    data=st.data(),
    case=st.sampled_from(cases(CriterionKind.SHARE_AT_LEAST)),
    others=other_indicators,
    more_part=st.integers(min_value=0, max_value=2000),
    more_whole=st.integers(min_value=0, max_value=2000),
)
def test_share_more_senior_teachers_never_worsens_more_others_never_improves(
    data, case, others, more_part, more_whole
) -> None:
    unit_type, criterion = case
    part, whole = data.draw(part_and_whole(criterion))
    raised_part = min(part + more_part, whole)  # a senior teacher is one of the practical teachers

    base = share_outcome(unit_type, criterion, others, part, whole)
    more_seniors = share_outcome(unit_type, criterion, others, raised_part, whole)
    more_juniors = share_outcome(unit_type, criterion, others, part, whole + more_whole)

    assert not (base == PASS and more_seniors == FAIL)
    assert not (base == FAIL and more_juniors == PASS)


@PROPERTY
@given(
    case=st.sampled_from(cases(CriterionKind.SHARE_AT_LEAST)),
    others=other_indicators,
    whole=st.integers(min_value=0, max_value=10**6),
    excess=st.integers(min_value=1, max_value=10**6),
)
def test_share_with_a_part_above_its_whole_fails(case, others, whole, excess) -> None:
    unit_type, criterion = case

    assert share_outcome(unit_type, criterion, others, whole + excess, whole) == FAIL
