"""Eligibility engine against 绍市人社发〔2022〕47号 三（一）1–5 and 三（二）1–4.

Pure Python: no database and no Django settings are needed (run with ``-p no:django`` if the
settings are unavailable). Every threshold is tested at the number itself and one step past it,
because "以上 / 不少于" include the number (DESIGN.md section 2).
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest

from applications.eligibility import (
    FAIL,
    NEEDS_JUDGEMENT,
    OUTCOMES,
    PASS,
    UNIT_TYPES,
    CriterionResult,
    evaluate,
    overall_outcome,
    summarize,
)
from applications.policy import (
    CURRENT_POLICY_CODE,
    POLICIES,
    Criterion,
    CriterionKind,
    PolicyVersion,
    UnknownPolicyError,
    clause_tag,
    clause_titles,
    get_policy,
)

INSTITUTION_TYPES = ("college", "training_institution")
DECLARATION_KEYS = (
    "has_training_rules",
    "has_finance_rules",
    "has_asset_rules",
    "has_risk_rules",
    "no_violations",
    "premises_meet_standards",
    "management_structure_sound",
    "trains_for_society",
    "social_evaluation_capable",
)
#: Qualitative conditions of one kind of unit only (三（一） or 三（二）), declared and judged.
INSTITUTION_DECLARATIONS = (
    "facilities_meet_needs",
    "teacher_development_plan",
    "joint_training_with_partners",
)
ENTERPRISE_DECLARATIONS = ("supports_skilled_talent",)


def valid_institution() -> dict[str, Any]:
    """A college or training institution that meets every numeric criterion with room to spare."""
    return {
        "annual_trainees": 2000,
        "annual_senior_trainees": 500,
        "annual_evaluations": 1800,
        **dict.fromkeys(DECLARATION_KEYS, True),
        **dict.fromkeys(INSTITUTION_DECLARATIONS, True),
        "specialty_count": 4,
        "students": 360,
        "teachers": 20,
        "practical_teachers": 10,
        "senior_practical_teachers": 5,
        "partner_enterprises": 25,
    }


def valid_enterprise() -> dict[str, Any]:
    """An enterprise that meets every numeric criterion with room to spare."""
    return {
        "annual_trainees": 1200,
        "annual_senior_trainees": 300,
        "annual_evaluations": 1100,
        **dict.fromkeys(DECLARATION_KEYS, True),
        **dict.fromkeys(ENTERPRISE_DECLARATIONS, True),
        "sector": "advanced_manufacturing",
        "size": "large",
        "training_fund_years": 4,
        "venue_capacity": 150,
        "teachers": 12,
    }


def valid_indicators(unit_type: str) -> dict[str, Any]:
    return valid_enterprise() if unit_type == "enterprise" else valid_institution()


def result_for(
    unit_type: str, indicators: dict[str, Any], key: str, policy: PolicyVersion | str | None = None
) -> CriterionResult:
    matches = [result for result in evaluate(unit_type, indicators, policy) if result.key == key]
    assert len(matches) == 1, f"expected exactly one result for {key}"
    return matches[0]


def outcome_with(unit_type: str, key: str, value: object, **others: object) -> str:
    indicators = {**valid_indicators(unit_type), key: value, **others}
    return result_for(unit_type, indicators, key).outcome


# --- Full applications --------------------------------------------------------------------------


@pytest.mark.parametrize("unit_type", INSTITUTION_TYPES)
def test_evaluate_valid_institution_has_no_fail(unit_type: str) -> None:
    results = evaluate(unit_type, valid_institution())

    assert [result for result in results if result.outcome == FAIL] == []
    assert summarize(results) == {PASS: 7, FAIL: 0, NEEDS_JUDGEMENT: 12}


def test_evaluate_valid_enterprise_has_no_fail() -> None:
    results = evaluate("enterprise", valid_enterprise())

    assert [result for result in results if result.outcome == FAIL] == []
    assert summarize(results) == {PASS: 6, FAIL: 0, NEEDS_JUDGEMENT: 12}


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
def test_evaluate_valid_declarations_and_qualities_are_the_only_judgement_calls(unit_type: str) -> None:
    """What the Measures say in words goes to a person: the declarations, and for an enterprise its
    field (先进制造业/现代服务业 by its industry code) and whether its teachers meet the training's needs."""
    results = evaluate(unit_type, valid_indicators(unit_type))

    judged = {result.key for result in results if result.outcome == NEEDS_JUDGEMENT}
    if unit_type == "enterprise":
        assert judged == {*DECLARATION_KEYS, *ENTERPRISE_DECLARATIONS, "sector", "teachers"}
    else:
        assert judged == {*DECLARATION_KEYS, *INSTITUTION_DECLARATIONS}


# --- Clause tags and order ----------------------------------------------------------------------

INSTITUTION_ORDER = [
    ("3.1.1", "management_structure_sound"),
    ("3.1.1", "has_training_rules"),
    ("3.1.1", "has_finance_rules"),
    ("3.1.1", "has_asset_rules"),
    ("3.1.1", "has_risk_rules"),
    ("3.1.1", "no_violations"),
    ("3.1.2", "premises_meet_standards"),
    ("3.1.2", "facilities_meet_needs"),
    ("3.1.2", "specialty_count"),
    ("3.1.2", "trains_for_society"),
    ("3.1.2", "annual_trainees"),
    ("3.1.2", "annual_senior_trainees"),
    ("3.1.3", "teacher_development_plan"),
    ("3.1.3", "student_teacher_ratio"),
    ("3.1.3", "senior_practical_teacher_share"),
    ("3.1.4", "partner_enterprises"),
    ("3.1.4", "joint_training_with_partners"),
    ("3.1.5", "social_evaluation_capable"),
    ("3.1.5", "annual_evaluations"),
]
ENTERPRISE_ORDER = [
    ("3.2.1", "size"),
    ("3.2.1", "sector"),
    ("3.2.1", "supports_skilled_talent"),
    ("3.2.1", "training_fund_years"),
    ("3.2.2", "management_structure_sound"),
    ("3.2.2", "has_training_rules"),
    ("3.2.2", "has_finance_rules"),
    ("3.2.2", "has_asset_rules"),
    ("3.2.2", "has_risk_rules"),
    ("3.2.2", "no_violations"),
    ("3.2.3", "trains_for_society"),
    ("3.2.3", "venue_capacity"),
    ("3.2.3", "premises_meet_standards"),
    ("3.2.3", "teachers"),
    ("3.2.3", "annual_trainees"),
    ("3.2.3", "annual_senior_trainees"),
    ("3.2.4", "social_evaluation_capable"),
    ("3.2.4", "annual_evaluations"),
]


@pytest.mark.parametrize(
    ("unit_type", "expected"),
    [
        ("college", INSTITUTION_ORDER),
        ("training_institution", INSTITUTION_ORDER),
        ("enterprise", ENTERPRISE_ORDER),
    ],
)
def test_evaluate_results_carry_clause_tags_in_clause_order(
    unit_type: str, expected: list[tuple[str, str]]
) -> None:
    results = evaluate(unit_type, valid_indicators(unit_type))

    assert [(result.clause, result.key) for result in results] == expected


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
def test_evaluate_messages_end_with_the_printed_clause_number(unit_type: str) -> None:
    for result in evaluate(unit_type, {}):
        assert result.message.endswith(f"（{clause_tag(result.clause)}）")


@pytest.mark.parametrize(
    ("clause", "tag"),
    [
        ("3.1.2", "三（一）2"),
        ("3.2.4", "三（二）4"),
        ("4.3", "四（三）"),
        ("6", "六"),
        ("12.10.1", "十二（十）1"),
    ],
)
def test_clause_tag_renders_like_the_measures(clause: str, tag: str) -> None:
    assert clause_tag(clause) == tag


def test_clause_titles_cover_every_clause_of_the_current_policy() -> None:
    clauses = {criterion.clause for criterion in get_policy().criteria}

    assert clauses <= set(clause_titles)
    assert clause_titles["3.1.3"] == "师资队伍"


# --- Minimum counts: 不少于 / 以上 include the number --------------------------------------------

MINIMUM_COUNTS = [
    ("college", "annual_trainees", 1500),
    ("college", "annual_senior_trainees", 400),
    ("college", "partner_enterprises", 20),
    ("college", "annual_evaluations", 1500),
    ("training_institution", "annual_trainees", 1500),
    ("training_institution", "annual_senior_trainees", 400),
    ("training_institution", "partner_enterprises", 20),
    ("training_institution", "annual_evaluations", 1500),
    ("enterprise", "training_fund_years", 3),
    ("enterprise", "venue_capacity", 100),
    ("enterprise", "annual_trainees", 1000),
    ("enterprise", "annual_senior_trainees", 250),
    ("enterprise", "annual_evaluations", 1000),
]


@pytest.mark.parametrize(("unit_type", "key", "minimum"), MINIMUM_COUNTS)
def test_minimum_count_passes_at_threshold(unit_type: str, key: str, minimum: int) -> None:
    result = result_for(unit_type, {**valid_indicators(unit_type), key: minimum}, key)

    assert result.outcome == PASS
    assert result.actual == minimum
    assert result.required == f"≥{minimum}"


@pytest.mark.parametrize(("unit_type", "key", "minimum"), MINIMUM_COUNTS)
def test_minimum_count_fails_one_below_threshold(unit_type: str, key: str, minimum: int) -> None:
    result = result_for(unit_type, {**valid_indicators(unit_type), key: minimum - 1}, key)

    assert result.outcome == FAIL
    assert result.actual == minimum - 1
    assert f"不足 {minimum}" in result.message


def test_annual_trainees_below_minimum_message_names_numbers_and_clause() -> None:
    result = result_for("college", {**valid_institution(), "annual_trainees": 1499}, "annual_trainees")

    assert result.message == "年职业培训规模 1499 人，不足 1500 人（三（一）2）"


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
def test_senior_trainees_above_total_trainees_fails_as_inconsistent(unit_type: str) -> None:
    indicators = {**valid_indicators(unit_type), "annual_trainees": 1500, "annual_senior_trainees": 1501}

    result = result_for(unit_type, indicators, "annual_senior_trainees")

    assert result.outcome == FAIL
    assert "数据不一致" in result.message


def test_enterprise_teachers_none_fail_some_go_to_the_reviewer() -> None:
    """ "有满足培训需要的教师队伍" sets no number: 0 fails, any team is the reviewer's judgement."""
    none = result_for("enterprise", {**valid_enterprise(), "teachers": 0}, "teachers")
    one = result_for("enterprise", {**valid_enterprise(), "teachers": 1}, "teachers")

    assert none.outcome == FAIL
    assert one.outcome == NEEDS_JUDGEMENT
    assert "请评审人员判断" in one.message


@pytest.mark.parametrize("unit_type", INSTITUTION_TYPES)
def test_practical_teachers_above_all_teachers_fail_as_inconsistent(unit_type: str) -> None:
    """The engine itself refuses 实训教师 > 专兼职教师, not only the form."""
    indicators = {
        **valid_institution(),
        "teachers": 20,
        "practical_teachers": 21,
        "senior_practical_teachers": 10,
    }

    result = result_for(unit_type, indicators, "senior_practical_teacher_share")

    assert result.outcome == FAIL
    assert "数据不一致" in result.message


# --- Specialties: 3—5 inclusive ------------------------------------------------------------------


@pytest.mark.parametrize("unit_type", INSTITUTION_TYPES)
@pytest.mark.parametrize(
    ("count", "outcome"),
    [(2, FAIL), (3, PASS), (4, PASS), (5, PASS), (6, NEEDS_JUDGEMENT), (9, NEEDS_JUDGEMENT)],
)
def test_specialty_count_passes_from_three_to_five_and_more_goes_to_the_county(
    unit_type: str, count: int, outcome: str
) -> None:
    """More than five is not a failure: the county confirms the 3–5 the base is built around."""
    result = result_for(unit_type, {**valid_institution(), "specialty_count": count}, "specialty_count")

    assert result.outcome == outcome
    assert result.required == "3—5"


# --- Student:teacher ratio 1:16—1:20 -------------------------------------------------------------


@pytest.mark.parametrize(
    ("students", "teachers", "outcome", "actual"),
    [
        (400, 20, PASS, "1:20"),
        (401, 20, FAIL, "1:20.05"),
        (20001, 1000, FAIL, "1:20.01"),  # shown rounded up: a fail never displays as "1:20"
        (440, 20, FAIL, "1:22"),
        (360, 20, PASS, "1:18"),
        (320, 20, PASS, "1:16"),
        (319, 20, NEEDS_JUDGEMENT, "1:15.95"),
        (15999, 1000, NEEDS_JUDGEMENT, "1:15.99"),  # shown rounded down: never displays as "1:16"
        (240, 20, NEEDS_JUDGEMENT, "1:12"),
    ],
)
def test_student_teacher_ratio_band(students: int, teachers: int, outcome: str, actual: str) -> None:
    indicators = {**valid_institution(), "students": students, "teachers": teachers}

    result = result_for("college", indicators, "student_teacher_ratio")

    assert (result.outcome, result.actual, result.required) == (outcome, actual, "1:16—1:20")


def test_student_teacher_ratio_above_band_message() -> None:
    indicators = {**valid_institution(), "students": 440, "teachers": 20}

    result = result_for("college", indicators, "student_teacher_ratio")

    assert result.message == "师生比 1:22，超过 1:20（三（一）3）"


def test_student_teacher_ratio_below_band_message_asks_reviewer() -> None:
    indicators = {**valid_institution(), "students": 240, "teachers": 20}

    result = result_for("college", indicators, "student_teacher_ratio")

    assert result.message == "师生比 1:12，优于 1:16—1:20 区间，请评审人员判断（三（一）3）"


@pytest.mark.parametrize(("students", "teachers"), [(360, 0), (0, 20), (0, 0)])
def test_student_teacher_ratio_with_zero_operand_fails(students: int, teachers: int) -> None:
    indicators = {**valid_institution(), "students": students, "teachers": teachers}

    result = result_for("college", indicators, "student_teacher_ratio")

    assert result.outcome == FAIL
    assert "为 0" in result.message


# --- Senior practical teachers ≥ 40% -------------------------------------------------------------


@pytest.mark.parametrize(
    ("senior", "practical", "outcome", "actual"),
    [
        (4, 10, PASS, "40.0%"),
        (40, 100, PASS, "40.0%"),
        (399, 1000, FAIL, "39.9%"),
        (3999, 10000, FAIL, "39.9%"),  # 39.99% must not display as "40.0%" beside a fail
        (2, 3, PASS, "66.6%"),
        (10, 10, PASS, "100.0%"),
        (0, 10, FAIL, "0.0%"),
    ],
)
def test_senior_practical_teacher_share_at_least_forty_percent(
    senior: int, practical: int, outcome: str, actual: str
) -> None:
    indicators = {
        **valid_institution(),
        "senior_practical_teachers": senior,
        "practical_teachers": practical,
        "teachers": max(practical, 20),  # the practical teachers are part of all the teachers
    }

    result = result_for("training_institution", indicators, "senior_practical_teacher_share")

    assert (result.outcome, result.actual, result.required) == (outcome, actual, "≥40%")


@pytest.mark.parametrize(("senior", "practical"), [(1, 0), (0, 0), (11, 10)])
def test_senior_practical_teacher_share_with_impossible_counts_fails(senior: int, practical: int) -> None:
    indicators = {**valid_institution(), "senior_practical_teachers": senior, "practical_teachers": practical}

    result = result_for("college", indicators, "senior_practical_teacher_share")

    assert result.outcome == FAIL
    assert result.message.startswith(("无法计算", "高级实习指导教师"))


# --- Enterprise size, sector and training fund ----------------------------------------------------


@pytest.mark.parametrize(
    ("size", "outcome"), [("large", PASS), ("medium", PASS), ("small", FAIL), ("micro", FAIL)]
)
def test_enterprise_size_must_be_large_or_medium(size: str, outcome: str) -> None:
    assert outcome_with("enterprise", "size", size) == outcome


@pytest.mark.parametrize(
    ("sector", "outcome"),
    [("advanced_manufacturing", NEEDS_JUDGEMENT), ("modern_services", NEEDS_JUDGEMENT), ("other", FAIL)],
)
def test_enterprise_sector_declared_with_its_code_is_judged_other_fails(sector: str, outcome: str) -> None:
    assert outcome_with("enterprise", "sector", sector) == outcome


def test_enterprise_size_fail_message_names_the_size() -> None:
    result = result_for("enterprise", {**valid_enterprise(), "size": "small"}, "size")

    assert result.actual == "小型"
    assert result.required == "大型或中型"
    assert result.message == "企业规模为小型，不符合“属于大中型企业”的要求（三（二）1）"


@pytest.mark.parametrize(("years", "outcome"), [(2, FAIL), (3, PASS), (10, PASS)])
def test_enterprise_training_fund_years_at_least_three(years: int, outcome: str) -> None:
    assert outcome_with("enterprise", "training_fund_years", years) == outcome


# --- Declarations -------------------------------------------------------------------------------


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
@pytest.mark.parametrize("key", DECLARATION_KEYS)
def test_declaration_true_needs_judgement(unit_type: str, key: str) -> None:
    result = result_for(unit_type, {**valid_indicators(unit_type), key: True}, key)

    assert result.outcome == NEEDS_JUDGEMENT
    assert "请评审人员" in result.message


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
@pytest.mark.parametrize("key", DECLARATION_KEYS)
def test_declaration_false_fails(unit_type: str, key: str) -> None:
    result = result_for(unit_type, {**valid_indicators(unit_type), key: False}, key)

    assert result.outcome == FAIL
    assert result.message.startswith("未声明")


# --- Missing and malformed input never raises -----------------------------------------------------


def criteria_reading(unit_type: str, key: str) -> set[str]:
    """Keys of the criteria that read indicator ``key`` for ``unit_type``."""
    return {
        criterion.key for criterion in get_policy().criteria_for(unit_type) if key in criterion.indicator_keys
    }


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
def test_evaluate_missing_key_fails_only_the_criteria_reading_it(unit_type: str) -> None:
    complete = valid_indicators(unit_type)
    baseline = {result.key: result.outcome for result in evaluate(unit_type, complete)}

    for missing_key in complete:
        indicators = {key: value for key, value in complete.items() if key != missing_key}
        results = {result.key: result for result in evaluate(unit_type, indicators)}

        affected = criteria_reading(unit_type, missing_key)
        assert affected, f"{missing_key} is read by no criterion"
        for key, result in results.items():
            expected = FAIL if key in affected else baseline[key]
            assert result.outcome == expected, f"removing {missing_key} changed {key}"
        for key in affected:
            assert "未填写" in results[key].message


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
def test_evaluate_empty_indicators_fails_every_criterion(unit_type: str) -> None:
    results = evaluate(unit_type, {})

    assert {result.outcome for result in results} == {FAIL}
    assert summarize(results)[FAIL] == len(get_policy().criteria_for(unit_type))


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
def test_evaluate_none_indicators_fails_every_criterion(unit_type: str) -> None:
    assert {result.outcome for result in evaluate(unit_type, None)} == {FAIL}


COUNT_KEYS = {
    "college": (
        "annual_trainees",
        "annual_senior_trainees",
        "annual_evaluations",
        "specialty_count",
        "students",
        "teachers",
        "practical_teachers",
        "senior_practical_teachers",
        "partner_enterprises",
    ),
    "enterprise": (
        "annual_trainees",
        "annual_senior_trainees",
        "annual_evaluations",
        "training_fund_years",
        "venue_capacity",
        "teachers",
    ),
}
MALFORMED_COUNTS = [
    None,
    "",
    "   ",
    "abc",
    "1,500",
    "1500.5",
    "15e2",
    -1,
    "-5",
    True,
    False,
    1500.5,
    float("nan"),
    float("inf"),
    Decimal("1500.5"),
    Decimal("NaN"),
    Fraction(3001, 2),
    [1500],
    {"value": 1500},
    object(),
    "9" * 5000,  # more digits than int() converts: reported, not raised
]


@pytest.mark.parametrize("unit_type", ["college", "enterprise"])
@pytest.mark.parametrize("value", MALFORMED_COUNTS, ids=repr)
def test_evaluate_malformed_count_fails_without_exception(unit_type: str, value: object) -> None:
    for key in COUNT_KEYS[unit_type]:
        results = {
            result.key: result for result in evaluate(unit_type, {**valid_indicators(unit_type), key: value})
        }

        for affected in criteria_reading(unit_type, key):
            assert results[affected].outcome == FAIL, f"{key}={value!r} did not fail {affected}"
            assert results[affected].message


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
@pytest.mark.parametrize("value", [None, "", "yes", "True", 1, 0, "是"])
def test_evaluate_malformed_declaration_fails(unit_type: str, value: object) -> None:
    for key in DECLARATION_KEYS:
        assert outcome_with(unit_type, key, value) == FAIL


@pytest.mark.parametrize("key", ["size", "sector"])
@pytest.mark.parametrize("value", [None, "", "huge", "LARGE", 1, True, ["large"]])
def test_evaluate_unknown_enterprise_choice_fails(key: str, value: object) -> None:
    result = result_for("enterprise", {**valid_enterprise(), key: value}, key)

    assert result.outcome == FAIL
    assert result.message.startswith(("无法识别", "未填写"))


@pytest.mark.parametrize("value", ["1500", " 1500 ", "１５００", 1500.0, Decimal("1500"), Decimal("1.5E3")])
def test_evaluate_whole_number_in_other_forms_counts_as_int(value: object) -> None:
    result = result_for("college", {**valid_institution(), "annual_trainees": value}, "annual_trainees")

    assert result.outcome == PASS
    assert result.actual == 1500


def test_evaluate_negative_count_message_says_negative() -> None:
    result = result_for("enterprise", {**valid_enterprise(), "venue_capacity": -3}, "venue_capacity")

    assert result.outcome == FAIL
    assert "不能为负数" in result.message


def test_evaluate_ignores_indicators_of_other_unit_types() -> None:
    mixed = {**valid_institution(), **valid_enterprise()}

    assert summarize(evaluate("enterprise", mixed)) == summarize(evaluate("enterprise", valid_enterprise()))


@pytest.mark.parametrize("unit_type", ["school", "", "COLLEGE", "enterprise "])
def test_evaluate_unknown_unit_type_raises_value_error(unit_type: str) -> None:
    with pytest.raises(ValueError, match="未知的单位类型"):
        evaluate(unit_type, valid_institution())


# --- Result shape and helpers --------------------------------------------------------------------


def test_criterion_result_has_exactly_the_documented_fields() -> None:
    names = [field.name for field in dataclasses.fields(CriterionResult)]

    assert names == ["clause", "key", "outcome", "actual", "required", "message"]


def test_criterion_result_is_frozen() -> None:
    result = evaluate("college", valid_institution())[0]

    with pytest.raises(dataclasses.FrozenInstanceError):
        result.outcome = PASS  # type: ignore[misc]


@pytest.mark.parametrize("unit_type", UNIT_TYPES)
def test_evaluate_display_values_are_ints_or_short_strings(unit_type: str) -> None:
    for indicators in (valid_indicators(unit_type), {}):
        for result in evaluate(unit_type, indicators):
            assert result.outcome in OUTCOMES
            for value in (result.actual, result.required):
                assert isinstance(value, int | str)
                assert not isinstance(value, bool)


def test_summarize_empty_results_counts_zero() -> None:
    assert summarize([]) == {PASS: 0, FAIL: 0, NEEDS_JUDGEMENT: 0}


@pytest.mark.parametrize(
    ("outcomes", "overall"),
    [
        ([PASS, PASS], PASS),
        ([PASS, NEEDS_JUDGEMENT], NEEDS_JUDGEMENT),
        ([NEEDS_JUDGEMENT, FAIL, PASS], FAIL),
    ],
)
def test_overall_outcome_worst_result_wins(outcomes: list[str], overall: str) -> None:
    results = [
        CriterionResult(clause="3.1.2", key=f"k{index}", outcome=outcome, actual=1, required="≥1", message="")  # type: ignore[arg-type]
        for index, outcome in enumerate(outcomes)
    ]

    assert overall_outcome(results) == overall


# --- Policy versions -----------------------------------------------------------------------------


def test_get_policy_defaults_to_the_2022_measures() -> None:
    policy = get_policy()

    assert policy.code == CURRENT_POLICY_CODE == "绍市人社发〔2022〕47号"
    assert policy.effective_date.isoformat() == "2022-09-01"
    assert get_policy(CURRENT_POLICY_CODE) is policy


def test_get_policy_unknown_code_raises() -> None:
    with pytest.raises(UnknownPolicyError, match="未登记的政策文件"):
        get_policy("绍市人社发〔2099〕1号")


def revised_policy() -> PolicyVersion:
    """A hypothetical revision: institutions must train 2000 a year and keep a 1:15—1:18 ratio."""
    current = get_policy()
    revisions: dict[str, dict[str, Any]] = {
        "annual_trainees": {"minimum": 2000, "requirement": "年职业培训规模不少于2000人"},
        "student_teacher_ratio": {"minimum": 15, "maximum": 18, "requirement": "师生比为1:15—1:18"},
    }

    def revise(criterion: Criterion) -> Criterion:
        if criterion.clause.startswith("3.1.") and criterion.key in revisions:
            return dataclasses.replace(criterion, **revisions[criterion.key])
        return criterion

    return dataclasses.replace(
        current,
        code="绍市人社发〔2030〕1号",
        criteria=tuple(revise(criterion) for criterion in current.criteria),
    )


def test_revised_policy_changes_outcomes_without_engine_changes() -> None:
    indicators = {**valid_institution(), "annual_trainees": 1500, "students": 380, "teachers": 20}

    current = {result.key: result.outcome for result in evaluate("college", indicators)}
    revised = {result.key: result for result in evaluate("college", indicators, revised_policy())}

    assert current["annual_trainees"] == PASS
    assert revised["annual_trainees"].outcome == FAIL
    assert revised["annual_trainees"].message == "年职业培训规模 1500 人，不足 2000 人（三（一）2）"
    assert current["student_teacher_ratio"] == PASS
    assert revised["student_teacher_ratio"].outcome == FAIL
    assert revised["student_teacher_ratio"].required == "1:15—1:18"


def test_revised_policy_is_selectable_by_registered_code(monkeypatch: pytest.MonkeyPatch) -> None:
    policy = revised_policy()
    monkeypatch.setitem(POLICIES, policy.code, policy)
    indicators = {**valid_institution(), "annual_trainees": 1500}

    assert result_for("college", indicators, "annual_trainees", policy.code).outcome == FAIL
    assert result_for("college", indicators, "annual_trainees").outcome == PASS


def test_criterion_without_its_threshold_is_rejected_at_definition() -> None:
    with pytest.raises(ValueError, match="minimum"):
        Criterion(
            clause="3.1.2",
            key="annual_trainees",
            kind=CriterionKind.AT_LEAST,
            label="年职业培训规模",
            requirement="年职业培训规模不少于若干人",
            unit_types=frozenset({"college"}),
        )


def test_policy_without_clause_title_is_rejected_at_definition() -> None:
    current = get_policy()

    with pytest.raises(ValueError, match="缺少标题"):
        dataclasses.replace(current, clause_titles={})
