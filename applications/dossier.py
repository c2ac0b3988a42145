"""An application read as a whole: every section's values, its lists, the auto-check and the timeline.

Read-only; shared by the detail page and the printable archive copy so both always show the same
content. A fixed number of queries whatever the number of rows (the lists are prefetched once).
"""

from dataclasses import dataclass

from django.db.models import Prefetch

from shaoxing_bases.core.timeline import TimelineEntry, role_of, transition_timeline

from .dashboard import url_or
from .eligibility import OUTCOME_LABELS, CriterionResult, summarize
from .enums import ApplicationState, AttachmentSection
from .indicators import application_check
from .models import Application, Attachment, PartnerEnterprise
from .policy import COLLEGE, ENTERPRISE, TRAINING_INSTITUTION, clause_tag

# The form's sections as the unit filled them in, with the clauses each one proves (institutions,
# enterprises).
# `only` restricts a field to the unit types it concerns (see the form and the eligibility engine).
INSTITUTIONS = frozenset({COLLEGE, TRAINING_INSTITUTION})
ENTERPRISES = frozenset({ENTERPRISE})
SECTIONS: tuple[tuple[str, tuple[str, str], tuple[tuple[str, frozenset | None], ...]], ...] = (
    (
        "管理制度",
        ("三（一）1", "三（二）2"),
        (
            ("organisation_description", None),
            ("has_training_rules", None),
            ("has_finance_rules", None),
            ("has_asset_rules", None),
            ("has_risk_rules", None),
            ("no_violations", None),
        ),
    ),
    (
        "场所与设备",
        ("三（一）2", "三（二）3"),
        (
            ("premises_meet_standards", None),
            ("premises_description", None),
            ("venue_capacity", ENTERPRISES),
        ),
    ),
    (
        "培训与评价规模",
        ("三（一）2、5", "三（二）3、4"),
        (("annual_trainees", None), ("annual_senior_trainees", None), ("annual_evaluations", None)),
    ),
    (
        "师资队伍",
        ("三（一）3", "三（二）3"),
        (
            ("teacher_plan", None),
            ("students", INSTITUTIONS),
            ("teachers", None),
            ("practical_teachers", INSTITUTIONS),
            ("senior_practical_teachers", INSTITUTIONS),
        ),
    ),
    ("诚信承诺", ("", ""), (("integrity_declared", None), ("integrity_signatory", None))),
)

NOT_FILLED = "未填写"


@dataclass(frozen=True)
class FieldValue:
    label: str
    value: str
    long: bool = False  # a free-text answer: shown as a paragraph, not in a table cell
    empty: bool = False


@dataclass(frozen=True)
class Section:
    title: str
    clauses: str
    fields: list[FieldValue]


@dataclass(frozen=True)
class CheckRow:
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
    return FieldValue(field.verbose_name, str(value), long=long)


def application_sections(application: Application) -> list[Section]:
    """Every section of the form with the values the unit entered (fields of its unit type only)."""
    unit_type = application.unit.unit_type
    enterprise = unit_type == ENTERPRISE
    return [
        Section(
            title,
            clauses[1] if enterprise else clauses[0],
            [_display(application, name) for name, only in fields if only is None or unit_type in only],
        )
        for title, clauses, fields in SECTIONS
    ]


def application_for_dossier(queryset):
    """Prefetch every list the dossier shows (and the auto-check reads)."""
    return queryset.select_related("created_by").prefetch_related(
        "specialties",
        Prefetch("partners", queryset=PartnerEnterprise.objects.select_related("agreement")),
        "fund_years",
        Prefetch("attachments", queryset=Attachment.objects.order_by("section", "uploaded_at", "pk")),
    )


def check_rows(application: Application, results: list[CriterionResult] | None = None) -> list[CheckRow]:
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
            CheckRow(
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


def attachment_groups(application: Application) -> list[tuple[str, list[Attachment]]]:
    """Attachments by form section (in the sections' order), each with its download link."""
    grouped: dict[str, list[Attachment]] = {}
    for attachment in application.attachments.all():
        attachment.download_url = url_or("applications:attachment_download", attachment.pk)
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
        "fund_years": list(application.fund_years.all()),
        "attachment_groups": attachment_groups(application),
        "check_rows": check_rows(application, results),
        "check_summary": summarize(results),
        "timeline": application_timeline(application),
    }
