"""The archive copy (存档PDF) of an annual report approved by the county, and its sample for
``render_samples``.

Not an issued document (no red masthead, no document number): the base's report as the county
approved it, in the GB/T 9704 typography, with the clause thresholds beside the figures, the county's
opinion and when it was submitted and approved. The PDF's SHA-256 is kept on the report.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from applications.models import ApplicantUnit, Application, Batch
from applications.policy import COLLEGE, CURRENT_POLICY_CODE
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.documents.registry import register_sample
from shaoxing_bases.documents.rendering import render_pdf

from ..models import TrainingBase
from .checks import report_thresholds
from .enums import ReportState
from .models import AnnualReport
from .sections import SECTIONS

ARCHIVE_TEMPLATE = "reporting/annual/documents/annual_report.html"


def _display(report: AnnualReport, name: str) -> str:
    field = AnnualReport._meta.get_field(name)
    value = getattr(report, name)
    if value is None:
        return "未填写"
    if field.get_internal_type() == "DecimalField":
        return f"{value:,.2f}"
    return str(value)


def report_sections(report: AnnualReport) -> list[dict]:
    """Each section with its (label, value, is_text) rows, for the review page and the archive."""
    sections = []
    for section in SECTIONS:
        rows = []
        for name in section.fields:
            field = AnnualReport._meta.get_field(name)
            is_text = field.get_internal_type() == "TextField"
            rows.append(
                {
                    "name": name,
                    "label": str(field.verbose_name),
                    "value": getattr(report, name) if is_text else _display(report, name),
                    "is_text": is_text,
                }
            )
        sections.append({"section": section, "rows": rows})
    return sections


def annual_report_context(report: AnnualReport) -> dict:
    return {
        "report": report,
        "base": report.base,
        "sections": report_sections(report),
        "thresholds": report_thresholds(report),
        "title": f"{report.base.name}{report.year}年度工作报告",
        "generated_on": timezone.localdate(),
    }


def render_annual_report(report: AnnualReport) -> bytes:
    """The archive copy as PDF bytes (WeasyPrint, CJK fonts embedded)."""
    return render_pdf(ARCHIVE_TEMPLATE, annual_report_context(report))


def sample_report() -> AnnualReport:
    """An unsaved report of an unsaved base: the sample writes nothing to the database."""
    region = Region.objects.filter(code="330602").first() or Region(code="330602", name="越城区")
    batch = Batch(
        year=2024, title="2024年度绍兴市市级高技能人才公共实训基地申报", policy_code=CURRENT_POLICY_CODE
    )
    unit = ApplicantUnit(name="绍兴市越城区示范职业技术学校", unit_type=COLLEGE, region=region)
    application = Application(batch=batch, unit=unit)
    base = TrainingBase(
        application=application,
        unit=unit,
        batch=batch,
        region=region,
        name="绍兴市越城区示范职业技术学校市级高技能人才公共实训基地",
        specialties="数控车工、电工、焊工",
        document_number="绍市人社发〔2024〕12号",
        approved_at=timezone.now() - timedelta(days=400),
    )
    now = timezone.now()
    return AnnualReport(
        base=base,
        year=2025,
        state=ReportState.COUNTY_APPROVED,
        trainees_total=1620,
        trainees_senior_worker=310,
        trainees_technician=70,
        trainees_senior_technician=12,
        evaluations=1580,
        competitions_held=3,
        competition_participants=260,
        courses_developed=5,
        materials_developed=2,
        exchanges_held=2,
        work_summary="全年开展数控车工、电工、焊工等技能研修和提升培训，承办市级职业技能竞赛3场。",
        trained_teachers=45,
        trained_managers=20,
        trained_assessors=36,
        trained_supervisors=8,
        funds_received=Decimal("800000.00"),
        funds_equipment=Decimal("520000.00"),
        funds_infrastructure=Decimal("150000.00"),
        funds_teacher_training=Decimal("90000.00"),
        funds_other=Decimal("12000.00"),
        problems="高级技师培训规模偏小，部分实训设备老化。",
        plan_summary="新增工业机器人系统运维专业，扩大技师、高级技师研修规模。",
        target_trainees=1800,
        target_senior_trainees=480,
        target_evaluations=1700,
        target_competitions=3,
        target_courses=4,
        below_threshold=True,
        threshold_notes="三（一）2 其中高级工及以上培训不少于400人",
        county_comment="经审核，同意报送市人力社保局。请基地加大高级工以上培训力度。",
        submitted_at=now - timedelta(days=3),
        county_reviewed_at=now,
    )


@register_sample("annual_report_archive", "年度报告存档件")
def annual_report_sample() -> bytes:
    return render_annual_report(sample_report())
