"""An application read as a whole: every section's values, its lists, the auto-check and the timeline.

Read-only; shared by the detail page and the printable archive copy so both always show the same
content. A fixed number of queries whatever the number of rows (the lists are prefetched once).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from shaoxing_bases.core.timeline import TimelineEntry, role_of, transition_timeline

from .eligibility import OUTCOME_LABELS, CriterionResult, summarize
from .enterprise_size import SOURCE_NUMBER as SIZE_SOURCE
from .enums import ApplicationState, AttachmentSection, EnterpriseSize
from .form.sections import sections_for
from .indicators import SIZE_FIELDS, application_check, application_enterprise_size
from .models import Application, Attachment, PartnerEnterprise
from .policy import ENTERPRISE, clause_tag

NOT_FILLED = "未填写"


@dataclass(frozen=True)
class FieldValue:
    label: str
    value: str
    long: bool = False  # a free-text answer: shown as a paragraph, not in a table cell
    empty: bool = False


@dataclass(frozen=True)
class SectionValues:
    """One page of the form as the unit filled it in (read-only)."""

    title: str
    clauses: str
    fields: list[FieldValue]


@dataclass(frozen=True)
class CriterionRow:
    """One criterion of the auto-check, ready for a table."""

    clause: str
    clause_tag: str
    label: str
    requirement: str
    actual: object
    outcome: str
    outcome_label: str
    message: str


def _display(application: Application, name: str) -> FieldValue:
    field = Application._meta.get_field(name)
    value = getattr(application, name)
    long = field.get_internal_type() == "TextField"
    if isinstance(value, bool):
        return FieldValue(field.verbose_name, "是" if value else "否")
    if value is None or value == "":
        return FieldValue(field.verbose_name, NOT_FILLED, long=False, empty=True)
    if field.choices:  # the label the unit picked, never the stored code
        return FieldValue(field.verbose_name, str(getattr(application, f"get_{name}_display")()))
    return FieldValue(field.verbose_name, str(value), long=long)


def _derived_size(application: Application) -> FieldValue:
    """The size the portal derives from the figures above it (三（二）1), shown where they are."""
    result = application_enterprise_size(application)
    label = f"企业规模（按{SIZE_SOURCE}认定）"
    if result.size is None:
        return FieldValue(label, f"无法认定：{result.problem}", empty=True)
    return FieldValue(label, EnterpriseSize(result.size).label)


def application_sections(application: Application) -> list[SectionValues]:
    """Every section of the form with the values the unit entered: the fields of the form's own pages
    for the unit's type (`applications.sections`), so a field the unit never saw is never "未填写".
    Pages made of rows only (specialties, partners, fund years) are shown as lists instead."""
    unit_type = application.unit.unit_type
    sections = []
    for page in sections_for(unit_type):
        names = page.field_names(unit_type)
        if not names:
            continue
        values = [_display(application, name) for name in names]
        if "industry_category" in names:
            values.insert(names.index("industry_category") + len(SIZE_FIELDS), _derived_size(application))
        sections.append(SectionValues(page.title, page.clause_tags(unit_type), values))
    return sections


def application_for_dossier(queryset):
    """Prefetch every list the dossier shows (and the auto-check reads)."""
    return queryset.select_related("created_by").prefetch_related(
        "specialties",
        Prefetch("partners", queryset=PartnerEnterprise.objects.select_related("agreement")),
        "fund_years",
        Prefetch("attachments", queryset=Attachment.objects.order_by("section", "uploaded_at", "pk")),
    )


def check_rows(application: Application, results: list[CriterionResult] | None = None) -> list[CriterionRow]:
    """The eligibility auto-check as table rows, with each criterion's name and requirement."""
    results = application_check(application) if results is None else results
    criteria = {
        criterion.key: criterion
        for criterion in application.batch.policy.criteria_for(application.unit.unit_type)
    }
    rows = []
    for result in results:
        criterion = criteria.get(result.key)
        rows.append(
            CriterionRow(
                clause=result.clause,
                clause_tag=clause_tag(result.clause),
                label=criterion.label if criterion else result.key,
                requirement=criterion.requirement if criterion else str(result.required),
                actual=result.actual,
                outcome=result.outcome,
                outcome_label=OUTCOME_LABELS[result.outcome],
                message=result.message,
            )
        )
    return rows


@dataclass(frozen=True)
class FundYearRow:
    """One year of the training fund with what the policy's rule makes of it (三（二）1)."""

    year: int
    payroll: Decimal
    drawn: Decimal
    frontline: Decimal
    draw_required: Decimal
    counts: bool


def fund_year_rows(application: Application) -> list[FundYearRow]:
    rule = application.batch.policy.training_fund_rule
    return [
        FundYearRow(
            year=row.year,
            payroll=row.payroll,
            drawn=row.amount_drawn,
            frontline=row.amount_frontline,
            draw_required=(
                row.payroll * Decimal(rule.draw_share.numerator) / rule.draw_share.denominator
            ).quantize(Decimal("0.01")),
            counts=row.counts_under(rule),
        )
        for row in application.fund_years.all()
    ]


def attachment_groups(application: Application) -> list[tuple[str, list[Attachment]]]:
    """Attachments by form section (in the sections' order), each with its download link."""
    grouped: dict[str, list[Attachment]] = {}
    for attachment in application.attachments.all():
        grouped.setdefault(attachment.section, []).append(attachment)
    return [
        (AttachmentSection(section).label, grouped[section])
        for section in AttachmentSection.values
        if section in grouped
    ]


def application_timeline(application: Application) -> list[TimelineEntry]:
    """The creation, then every transition from django-fsm-log: actor, time, from → to, comment."""
    labels = dict(ApplicationState.choices)
    creator = application.created_by
    opening = TimelineEntry(
        at=application.created_at,
        actor=str(creator),
        actor_role=role_of(creator),
        source="",
        target=labels[ApplicationState.DRAFT],
        description="创建申报",
    )
    return transition_timeline(application, labels, opening=opening, system_actor="系统（自动处理）")


def application_dossier(application: Application) -> dict:
    """Everything the detail and print pages show about one application (prefetched beforehand)."""
    results = application_check(application)
    return {
        "application": application,
        "unit": application.unit,
        "is_enterprise": application.unit.unit_type == ENTERPRISE,
        "sections": application_sections(application),
        "specialties": list(application.specialties.all()),
        "partners": list(application.partners.all()),
        "fund_years": fund_year_rows(application),
        "fund_rule": application.batch.policy.training_fund_rule,
        "attachment_groups": attachment_groups(application),
        "check_rows": check_rows(application, results),
        "check_summary": summarize(results),
        "timeline": application_timeline(application),
    }
