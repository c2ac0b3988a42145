"""Built-in sample documents (registered with :mod:`shaoxing_bases.documents.registry`)."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from shaoxing_bases.documents.gbt9704 import format_doc_number
from shaoxing_bases.documents.registry import register_sample
from shaoxing_bases.documents.rendering import render_pdf

HRSS_BUREAU = "绍兴市人力资源和社会保障局"
FINANCE_BUREAU = "绍兴市财政局"
MEASURES_TITLE = "绍兴市市级高技能人才公共实训基地建设项目实施办法（试行）"


def specimen_context() -> dict:
    """Context of the GB/T 9704 specimen: the Measures' own notice (绍市人社发〔2022〕47号)."""
    return {
        "issuers": [HRSS_BUREAU, FINANCE_BUREAU],
        "doc_number": format_doc_number("绍市人社发", 2022, 47),
        # The printed title breaks after the issuers and inside the book title, keeping each
        # line within 20 characters of 2号 type (a 菱形 break, GB/T 9704 7.3.1).
        "title_lines": [
            f"{HRSS_BUREAU} {FINANCE_BUREAU}",
            "关于印发《绍兴市市级高技能人才公共实训",
            "基地建设项目实施办法（试行）》的通知",
        ],
        "recipient": "各区、县（市）人力资源和社会保障局、财政局，市级有关部门：",
        "attachments": [MEASURES_TITLE],
        "date": date(2022, 9, 1),
        "note": "此件公开发布",
        "cc": ["浙江省人力资源和社会保障厅", "浙江省财政厅"],
        "printer": "绍兴市人力资源和社会保障局办公室",
        "printed_date": date(2022, 9, 1),
    }


@register_sample("gbt9704_specimen", "公文格式样张")
def gbt9704_specimen() -> bytes:
    """Three pages: red joint header and notice, then the Measures as 附件, 版记 at the end."""
    return render_pdf("documents/gbt9704_specimen.html", specimen_context())


def letter_specimen_context() -> dict:
    """Context of the 信函格式 specimen: a county's recommendation letter with demo names (××)."""
    return {
        "issuers": ["绍兴市柯桥区人力资源和社会保障局"],
        "doc_number": format_doc_number("柯人社函", 2026, 12),
        "title_lines": ["关于推荐市级高技能人才公共实训基地", "建设项目候选单位的函"],
        "recipient": "市人力社保局：",
        "paragraphs": [
            "根据《绍兴市市级高技能人才公共实训基地建设项目实施办法（试行）》（绍市人社发〔2022〕47号）"
            "要求，经我局会同区财政局初审，绍兴市××职业技术学院符合申报条件，"
            "现推荐为市级高技能人才公共实训基地建设项目候选单位。",
            "特此函告。",
        ],
        "attachments": ["市级高技能人才公共实训基地建设项目申报书", "初审意见表"],
        "date": date(2026, 9, 1),
        "cc": ["绍兴市柯桥区财政局"],
    }


@register_sample("gbt9704_letter_specimen", "信函格式样张")
def gbt9704_letter_specimen() -> bytes:
    """One page in the 信函格式: single issuer, red double rules, no page number on page 1."""
    return render_pdf("documents/gbt9704_letter.html", letter_specimen_context())


@register_sample("signed_specimen", "电子签名公文样张")
def signed_specimen() -> bytes:
    """The specimen issued as every official document is (documents.signing.document_issue):
    PDF/A-3b, the 校验码 in the top margin, signed with the city HRSS bureau's certificate. The row
    is rolled back and the file deleted, so the sample leaves nothing behind."""
    from shaoxing_bases.documents.signing import document_issue  # imports the models

    context = specimen_context()
    with transaction.atomic():
        issued = document_issue(
            kind="signed_specimen",
            title="".join(context["title_lines"]),
            number=context["doc_number"],
            issuer=HRSS_BUREAU,
            signer="city_hrss",
            template="documents/gbt9704_specimen.html",
            context=context,
        )
        with issued.file.open("rb") as handle:
            pdf = handle.read()
        issued.file.storage.delete(str(issued.file.name))
        transaction.set_rollback(True)
    return pdf
