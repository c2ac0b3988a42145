"""What an application still lacks before it can be submitted, section by section.

One rule for the form's tab ticks (`section_missing`) and for the submission itself
(`application_missing`, used by `workflow.services.application_submission_check`), so that the tick of
every page and the refusal to submit never disagree. Reads the prefetched `specialties`, `partners`,
`fund_years`; evidence is given as the set of attachment categories the application has files for.
"""

from .enterprise_size import INDUSTRY_BY_CODE
from .enums import AttachmentSection
from .form.sections import KIND_ENTERPRISE, Section, sections_for, unit_kind
from .models import Application

#: Fields each page must have filled in (the rest may stay empty: the auto-check says what fails).
REQUIRED_FIELDS = {
    KIND_ENTERPRISE: {
        "premises": ("venue_capacity",),
        "training": ("annual_trainees", "annual_senior_trainees", "annual_evaluations"),
        "teachers": ("teachers",),
        "enterprise": ("industry_category", "employees", "operating_revenue", "sector", "industry_code"),
    },
    "institution": {
        "training": ("annual_trainees", "annual_senior_trainees", "annual_evaluations"),
        "teachers": ("students", "teachers", "practical_teachers", "senior_practical_teachers"),
    },
}


def _labels() -> dict[str, str]:
    return {field.name: str(field.verbose_name) for field in Application._meta.fields}


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def section_missing(section: Section, application: Application, present_evidence: set[str]) -> list[str]:
    """What this page still lacks before the application can be submitted (empty list: ✓)."""
    unit_type = application.unit.unit_type
    labels = _labels()
    required = list(REQUIRED_FIELDS[unit_kind(unit_type)].get(section.key, ()))
    if section.key == "enterprise":
        row = INDUSTRY_BY_CODE.get(application.industry_category)
        if row is not None and "total_assets" in row.measures:
            required.append("total_assets")  # the standard sizes this industry by its assets too
    missing = [f"未填写“{labels[name]}”" for name in required if _blank(getattr(application, name))]
    if section.key == "management" and not application.organisation_description.strip():
        missing.append("未填写“机构设置与岗位职责”")
    if section.key == "specialties" and not application.specialties.all():
        missing.append("未填写特色专业")
    if section.key == "partners":
        partners = application.partners.all()
        if not partners:
            missing.append("未填写合作企业")
        elif any(partner.agreement_id is None for partner in partners):
            missing.append("有合作企业未上传合作协议")
    if section.key == "funds" and not application.fund_years.all():
        missing.append("未填写近三年职工培训经费情况")
    if section.key == "integrity" and not (
        application.integrity_declared and application.integrity_signatory.strip()
    ):
        missing.append("未签署诚信承诺")
    required_evidence = set(AttachmentSection.required_for(unit_type))
    missing += [
        f"未上传“{AttachmentSection(category).label}”"
        for category in section.evidence(unit_type)
        if category in required_evidence and category not in present_evidence
    ]
    return missing


def application_missing(application: Application, present_evidence: set[str] | None = None) -> list[str]:
    """Everything every page still lacks, in the order of the form."""
    if present_evidence is None:
        present_evidence = {attachment.section for attachment in application.attachments.all()}
    missing: list[str] = []
    for section in sections_for(application.unit.unit_type):
        missing += [
            item for item in section_missing(section, application, present_evidence) if item not in missing
        ]
    return missing
