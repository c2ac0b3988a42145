"""评审结果公示 (clause 4.3): the notice's HTML (frozen at publication) and its PDF, made from that
frozen HTML, and the sample for ``render_samples``."""

import re
from datetime import datetime, timedelta
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone

from shaoxing_bases.documents.certificates import CITY_HRSS
from shaoxing_bases.documents.gbt9704 import format_cn_date
from shaoxing_bases.documents.models import IssuedDocument
from shaoxing_bases.documents.registry import register_sample
from shaoxing_bases.documents.rendering import html_to_pdf, render_html
from shaoxing_bases.documents.signing import VerificationMark, document_issue

from .models import Publicity, PublicityEntry

NOTICE_TEMPLATE = "review/publicity/documents/notice.html"
ISSUERS = ["绍兴市人力资源和社会保障局", "绍兴市财政局"]


def notice_context(publicity: Publicity, entries: list[PublicityEntry]) -> dict:
    batch = publicity.batch
    first_day = timezone.localtime(publicity.starts_at).date()
    return {
        "issuers": ISSUERS,
        "title_lines": [f"关于{batch.year}年度绍兴市市级高技能人才", "公共实训基地拟认定名单的公示"],
        "batch": batch,
        "entries": entries,
        "votes": any(entry.votes for entry in entries),
        "days": publicity.days,
        "working_days": publicity.working_days,
        "first_day": format_cn_date(first_day),
        "last_day": format_cn_date(publicity.last_day),
        "window_text": f"{format_cn_date(first_day)}至{format_cn_date(publicity.last_day)}",
        "contact_department": publicity.contact_department,
        "contact_phone": publicity.contact_phone,
        "contact_address": publicity.contact_address,
        "date": timezone.localtime(publicity.published_at).date(),
        "note": "此件公开发布",
    }


def notice_html(publicity: Publicity, entries: list[PublicityEntry]) -> str:
    return render_html(NOTICE_TEMPLATE, notice_context(publicity, entries))


def notice_pdf(html: str) -> bytes:
    """The PDF of the frozen HTML (never re-rendered from the database rows), unsigned."""
    return html_to_pdf(html)


def _with_mark(html: str, mark: VerificationMark) -> str:
    """The frozen HTML with the 校验码 mark added at the top of its body (the published content, and
    the SHA-256 shown of it, stay exactly as frozen)."""
    stamp = render_to_string("documents/_verification_mark.html", {"verification": mark})
    return re.sub(r"(<body[^>]*>)", lambda match: match.group(1) + stamp, html, count=1)


def issue_notice(publicity: Publicity) -> IssuedDocument:
    """评审结果公示 issued as an official document from its frozen HTML: PDF/A-3b with its 校验码,
    signed by the city HRSS bureau, archived once per notice."""
    return document_issue(
        kind="publicity_notice",
        title=publicity.title,
        number="",
        issuer="、".join(ISSUERS),
        signer=CITY_HRSS,
        html=lambda mark: _with_mark(publicity.notice_html, mark),
        related=publicity,
    )


@register_sample("publicity_notice", "评审结果公示")
def publicity_notice_sample() -> bytes:
    """A notice of five units over the 2026 National Day week, built in memory (nothing is saved)."""
    from applications.models import Batch

    now = timezone.now()
    batch = Batch(year=2026, title="2026年度绍兴市市级高技能人才公共实训基地申报")
    starts = timezone.make_aware(datetime(2026, 12, 1))
    publicity = Publicity(
        batch=batch,
        title="2026年度拟认定名单公示",
        starts_on=starts.date(),
        days=7,
        starts_at=starts,
        ends_at=starts + timedelta(days=7),
        contact_department="绍兴市人力资源和社会保障局职业能力建设处",
        contact_phone="0575-85201234",
        contact_address="绍兴市越城区洋江西路589号",
        published_at=now,
    )
    rows = [
        ("绍兴市越城区示范职业技术学校", "越城区", "院校", Decimal("88.40")),
        ("浙江越城智能装备制造有限公司", "越城区", "企业", Decimal("85.27")),
        ("绍兴柯桥纺织印染职业培训学校", "柯桥区", "培训机构", Decimal("81.93")),
        ("浙江上虞精细化工股份有限公司", "上虞区", "企业", Decimal("78.60")),
        ("诸暨市五金机械技工学校", "诸暨市", "院校", Decimal("74.33")),
    ]
    entries = [
        PublicityEntry(position=index, unit_name=name, county_name=county, unit_type_label=kind, score=score)
        for index, (name, county, kind, score) in enumerate(rows, start=1)
    ]
    return notice_pdf(notice_html(publicity, entries))
