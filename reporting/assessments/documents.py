"""退出通知 (clause 6.2: 对未达标的实行退出机制): the city's notice that a base leaves the list of
municipal training bases, in the GB/T 9704 layout, and its sample for ``render_samples``.

`exit_notice_pdf` is the one function that turns a decided exit into the official PDF, so that a
signing step can later wrap it in one place.
"""

from datetime import date, timedelta

from django.utils import timezone

from applications.policy import UNIT_TYPE_LABELS
from shaoxing_bases.documents.gbt9704 import format_doc_number
from shaoxing_bases.documents.registry import register_sample
from shaoxing_bases.documents.rendering import render_pdf

from ..models import Assessment

EXIT_NOTICE_TEMPLATE = "reporting/assessments/documents/exit_notice.html"
HRSS_BUREAU = "绍兴市人力资源和社会保障局"
FINANCE_BUREAU = "绍兴市财政局"
MEASURES = "《绍兴市市级高技能人才公共实训基地建设项目实施办法（试行）》（绍市人社发〔2022〕47号）"


def _county_bureaus(region_name: str) -> str:
    return f"{region_name}人力资源和社会保障局、财政局"


def exit_notice_context(assessment: Assessment) -> dict:
    """What the template reads: the base, the assessment that proposed the exit and the decision."""
    base = assessment.base
    decided = (
        timezone.localdate(assessment.exit_decided_at) if assessment.exit_decided_at else timezone.localdate()
    )
    region_name = str(base.region)
    return {
        "issuers": [HRSS_BUREAU, FINANCE_BUREAU],
        "doc_number": assessment.exit_document_number,
        "title_lines": [f"关于{base.unit.name}", "退出市级高技能人才公共实训基地的通知"],
        "recipient": f"{_county_bureaus(region_name)}，{base.unit.name}：",
        "base": base,
        "unit_type": UNIT_TYPE_LABELS.get(base.unit.unit_type, ""),
        "approved_on": timezone.localdate(base.approved_at),
        "assessment": assessment,
        "measures": MEASURES,
        "region_name": region_name,
        "comment": assessment.exit_decision_comment,
        "date": decided,
        "cc": ["浙江省人力资源和社会保障厅", "浙江省财政厅"],
        "printer": "绍兴市人力资源和社会保障局办公室",
        "printed_date": decided,
        "note": "此件依申请公开",
    }


def exit_notice_pdf(assessment: Assessment) -> bytes:
    """The exit notice of a decided exit, as PDF bytes."""
    return render_pdf(EXIT_NOTICE_TEMPLATE, exit_notice_context(assessment))


@register_sample("base_exit_notice", "实训基地退出通知")
def exit_notice_sample() -> bytes:
    """A notice built from rows made in memory (nothing is written to the database)."""
    from applications.models import ApplicantUnit, Batch
    from shaoxing_bases.accounts.models import Region

    from ..models import TrainingBase

    now = timezone.now()
    region = Region(name="嵊州市", code="330683")
    unit = ApplicantUnit(name="嵊州市厨具电器职业培训中心", unit_type="training_institution", region=region)
    base = TrainingBase(
        unit=unit,
        region=region,
        batch=Batch(year=2023),
        name="嵊州市厨具电器职业培训中心市级高技能人才公共实训基地",
        specialties="电工、厨具装配工、家用电器产品维修工",
        document_number=format_doc_number("绍市人社发", 2023, 31),
        approved_at=now - timedelta(days=3 * 365),
    )
    assessment = Assessment(
        base=base,
        assessed_on=date(2026, 6, 18),
        scope="2025年度基地建设情况和项目开展情况：培训规模、高技能人才培训、职业技能评价、师资队伍、经费使用。",
        findings=(
            "2025年度职业培训1020人，其中高级工及以上培训186人；职业技能评价860人；"
            "实训设备闲置，部分设备未按规定维护；2025年12月限期整改后复查仍未达标。"
        ),
        result="exit",
        reasons="年职业培训规模和高级工及以上培训人数连续两年低于《实施办法》三（一）2的要求，限期整改后仍未达标。",
        recorded_by_organisation="嵊州市人力社保局",
        exit_decided_at=now,
        exit_document_number=format_doc_number("绍市人社发", 2026, 58),
    )
    return exit_notice_pdf(assessment)
