"""From an application's saved rows to the plain indicator dict of `eligibility.evaluate`."""

from collections.abc import Iterable, Mapping

from .eligibility import CriterionResult, evaluate
from .enums import UnitType
from .models import Application, TrainingFundYear

# Indicator keys read straight from Application fields.
DIRECT_FIELDS = (
    "annual_trainees",
    "annual_senior_trainees",
    "annual_evaluations",
    "has_training_rules",
    "has_finance_rules",
    "has_asset_rules",
    "has_risk_rules",
    "no_violations",
    "premises_meet_standards",
    "students",
    "teachers",
    "practical_teachers",
    "senior_practical_teachers",
    "venue_capacity",
)


def consecutive_fund_years(fund_years: Iterable[TrainingFundYear], last_year: int) -> int:
    """Years in a row, ending with `last_year`, in which the fund was drawn in full for front-line staff."""
    good = {row.year for row in fund_years if row.fully_drawn_for_frontline}
    count = 0
    while last_year - count in good:
        count += 1
    return count


def application_indicators(application: Application, overrides: Mapping[str, object] | None = None) -> dict:
    """The indicators as `evaluate` expects them. `overrides` lets the live check use unsaved input.

    Uses the prefetched `specialties`, `partners` and `fund_years` when the caller prefetched them.
    """
    indicators: dict[str, object] = {field: getattr(application, field) for field in DIRECT_FIELDS}
    unit = application.unit
    indicators["specialty_count"] = len(application.specialties.all())
    indicators["partner_enterprises"] = len(application.partners.all())
    if unit.unit_type == UnitType.ENTERPRISE:
        indicators["sector"] = unit.sector
        indicators["size"] = unit.size
        indicators["training_fund_years"] = consecutive_fund_years(
            application.fund_years.all(), application.batch.year - 1
        )
    if overrides:
        indicators.update({key: value for key, value in overrides.items() if key in indicators})
    return indicators


def application_check(
    application: Application, overrides: Mapping[str, object] | None = None
) -> list[CriterionResult]:
    """The eligibility auto-check of one application under its batch's policy version."""
    return evaluate(
        application.unit.unit_type,
        application_indicators(application, overrides),
        policy=application.batch.policy_code,
    )
