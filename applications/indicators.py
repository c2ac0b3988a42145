"""From an application's saved rows to the plain indicator dict of `eligibility.evaluate`.

What the engine reads of an enterprise's size and field comes from the application itself (filled in
its 3.2.1 section), never from the unit profile: the verdict of a submitted application stays what
the county saw, whatever the unit edits later.
"""

from collections.abc import Iterable, Mapping

from .eligibility import CriterionResult, evaluate
from .enterprise_size import ASSETS, EMPLOYEES, REVENUE, classify
from .enums import UnitType
from .models import Application, Specialty, TrainingFundYear
from .policy import TrainingFundRule

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
    "management_structure_sound",
    "facilities_meet_needs",
    "trains_for_society",
    "teacher_development_plan",
    "joint_training_with_partners",
    "social_evaluation_capable",
    "supports_skilled_talent",
    "sector",
)
#: The fields `enterprise_size.classify` reads.
SIZE_FIELDS = ("industry_category", EMPLOYEES, REVENUE, ASSETS)


def application_enterprise_size(application: Application, overrides: Mapping[str, object] | None = None):
    """The enterprise's size derived from the application's own figures (国统字〔2017〕213号), never a
    label anyone chose: the eligibility check, the dossier and the export all read it from here."""
    values = {name: getattr(application, name) for name in SIZE_FIELDS}
    values.update({key: value for key, value in (overrides or {}).items() if key in SIZE_FIELDS})
    return classify(str(values["industry_category"] or ""), values)


def consecutive_fund_years(
    fund_years: Iterable[TrainingFundYear], last_year: int, rule: TrainingFundRule
) -> int:
    """Years in a row, ending with `last_year`, in which the fund was drawn in full and used for
    front-line staff by `rule` (the policy's `training_fund_rule`)."""
    good = {row.year for row in fund_years if row.counts_under(rule)}
    count = 0
    while last_year - count in good:
        count += 1
    return count


def application_indicators(application: Application, overrides: Mapping[str, object] | None = None) -> dict:
    """The indicators as `evaluate` expects them. `overrides` lets the live check use unsaved input.

    Uses the prefetched `specialties`, `partners` and `fund_years` when the caller prefetched them,
    and an annotated `partner_count` when there is one.
    """
    indicators: dict[str, object] = {field: getattr(application, field) for field in DIRECT_FIELDS}
    indicators["specialty_count"] = distinct_specialties(application.specialties.all())
    # A list annotates the count (`selectors.with_partner_count`) rather than load twenty rows per line.
    partner_count = getattr(application, "partner_count", None)
    indicators["partner_enterprises"] = (
        partner_count if partner_count is not None else len(application.partners.all())
    )
    if overrides:
        indicators.update({key: value for key, value in overrides.items() if key in indicators})
    if application.unit.unit_type == UnitType.ENTERPRISE:
        indicators["size"] = application_enterprise_size(application, overrides).size
        indicators["training_fund_years"] = (overrides or {}).get(
            "training_fund_years",
            consecutive_fund_years(
                application.fund_years.all(),
                application.batch.year - 1,
                application.batch.policy.training_fund_rule,
            ),
        )
    return indicators


def distinct_specialties(specialties: Iterable[Specialty | str]) -> int:
    """The same 职业（工种） twice counts once (names compared without blanks)."""
    names = {"".join((row if isinstance(row, str) else row.name).split()) for row in specialties}
    return len(names - {""})


def application_check(
    application: Application, overrides: Mapping[str, object] | None = None
) -> list[CriterionResult]:
    """The eligibility auto-check of one application under its batch's policy version."""
    return evaluate(
        application.unit.unit_type,
        application_indicators(application, overrides),
        policy=application.batch.policy_code,
    )
