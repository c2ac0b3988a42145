"""The clause thresholds beside a report's figures: the eligibility engine, asked about this year.

A base was recognised because it met 三（一）/三（二）; its annual report shows whether it still does.
The engine (`applications.eligibility.evaluate`) is asked with the report's figures under the policy
version the base was approved by, and only the criteria the report measures are kept — the annual
training volume, its senior share and the annual evaluations. No number is written here: the
thresholds are the policy's (exact integers, "不少于" includes the number itself).
"""

from dataclasses import dataclass

from applications.eligibility import FAIL, OUTCOME_LABELS, CriterionResult, evaluate
from applications.policy import clause_tag

#: The report's figures, by the indicator key of the engine that judges them.
REPORT_INDICATORS = ("annual_trainees", "annual_senior_trainees", "annual_evaluations")
#: The levels of clause 2 that count as 高级工及以上.
SENIOR_LEVELS = ("trainees_senior_worker", "trainees_technician", "trainees_senior_technician")


@dataclass(frozen=True)
class ThresholdRow:
    result: CriterionResult
    label: str
    tag: str

    @property
    def failing(self) -> bool:
        return self.result.outcome == FAIL

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.result.outcome]


def report_indicators(report, overrides: dict | None = None) -> dict[str, object]:
    """The engine's indicators from the report (or from what a form holds, not yet saved)."""
    values = {
        "trainees_total": report.trainees_total,
        "trainees_senior_worker": report.trainees_senior_worker,
        "trainees_technician": report.trainees_technician,
        "trainees_senior_technician": report.trainees_senior_technician,
        "evaluations": report.evaluations,
    }
    values.update({key: value for key, value in (overrides or {}).items() if key in values})
    levels = [values[name] for name in SENIOR_LEVELS]
    # 高级工及以上 is the three levels together; a level that cannot be read leaves it unknown
    # (the engine then says 未填写 rather than judging a partial sum).
    senior = sum(levels) if all(isinstance(level, int) for level in levels) else None
    return {
        "annual_trainees": values["trainees_total"],
        "annual_senior_trainees": senior,
        "annual_evaluations": values["evaluations"],
    }


def report_thresholds(report, overrides: dict | None = None) -> list[ThresholdRow]:
    """The criteria of the base's unit type that the report's figures decide, with their outcome."""
    application = report.base.application
    policy = application.batch.policy
    unit_type = report.base.unit.unit_type
    labels = {criterion.key: criterion.label for criterion in policy.criteria_for(unit_type)}
    results = evaluate(unit_type, report_indicators(report, overrides), policy=policy)
    return [
        ThresholdRow(result, labels.get(result.key, result.key), clause_tag(result.clause))
        for result in results
        if result.key in REPORT_INDICATORS
    ]


def threshold_notes(rows: list[ThresholdRow]) -> str:
    """The failing criteria in one line for the county's list ("" when the base still meets them)."""
    return "；".join(f"{row.tag} {row.result.message}" for row in rows if row.failing)
