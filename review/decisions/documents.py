"""The decision's official documents (clause 4.3) and their samples for ``render_samples``.

* 认定文件 (decision notice): the joint 文件 of both bureaus with the red masthead as in the Measures'
  own header, 发文字号, title, body, the list of bases as 附件 (a table), date, 版记 with 抄送 and 印发.
* 认定通知书 (approval letter): a joint 函 to one unit, in the 信函格式, with its own 绍市人社函 number.

One function per document renders its PDF bytes (`render_decision_notice`, `render_approval_letter`),
so that signing can later wrap exactly these.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationState, BatchState
from applications.models import ApplicantUnit, Application, Batch
from applications.policy import COLLEGE, ENTERPRISE, TRAINING_INSTITUTION
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.accounts.regions import ensure_shaoxing_counties
from shaoxing_bases.documents.certificates import CITY_HRSS
from shaoxing_bases.documents.gbt9704 import format_doc_number
from shaoxing_bases.documents.models import IssuedDocument
from shaoxing_bases.documents.registry import register_sample
from shaoxing_bases.documents.rendering import render_html, render_pdf
from shaoxing_bases.documents.signing import document_issue

from ..screening.documents import county_bureaus
from . import wording
from .models import ApprovalLetter, Decision, DecisionItem
from .selectors import decision_items

NOTICE_TEMPLATE = "review/decisions/documents/decision_notice.html"
LETTER_TEMPLATE = "review/decisions/documents/approval_letter.html"


@dataclass(frozen=True)
class ListRow:
    position: int
    unit: str
    region: str
    unit_type: str
    base: str


def _rows(items: list[DecisionItem]) -> list[ListRow]:
    return [
        ListRow(
            position=item.position,
            unit=item.application.unit.name,
            region=item.application.unit.region.name,
            unit_type=item.application.unit.get_unit_type_display(),
            base=f"{item.application.unit.name}市级高技能人才公共实训基地",
        )
        for item in items
    ]


#: Where a long Chinese title may break (after these words), so that no word is split across lines.
BREAK_AFTER = ("人才", "年度", "基地", "关于", "公布", "名单", "局")
#: 二号 (22pt) characters per line of the 156 mm measure, with a little room.
TITLE_LINE_WIDTH = 19


def _width(text: str) -> float:
    return sum(0.5 if ch.isascii() else 1 for ch in text)


def break_title(text: str, width: float = TITLE_LINE_WIDTH) -> list[str]:
    """Lines of at most ``width`` full-width characters (digits count half), broken after one of the
    words in `BREAK_AFTER` where possible (GB/T 9704 7.3.1: keep words whole, no orphan character)."""
    lines: list[str] = []
    rest = text
    while _width(rest) > width:
        cut = 0
        for index in range(1, len(rest)):
            if _width(rest[:index]) > width:
                break
            if rest[:index].endswith(BREAK_AFTER) and _width(rest[:index]) >= width / 2:
                cut = index
        if cut == 0:  # no preferred break within the line: break at the width
            cut = next(i for i in range(1, len(rest) + 1) if _width(rest[:i]) > width) - 1
        lines.append(rest[:cut])
        rest = rest[cut:]
    lines.append(rest)
    return [line for line in lines if line]


def _title_lines(title: str) -> list[str]:
    """The issuers on a line of their own (as the Measures' own title), the rest broken at words."""
    issuers = f"{wording.HRSS_BUREAU} {wording.FINANCE_BUREAU}"
    if title.startswith(issuers) and len(title) > len(issuers) + 2:
        return [issuers, *break_title(title[len(issuers) :])]
    return break_title(title)


def decision_notice_context(decision: Decision, items: list[DecisionItem] | None = None) -> dict:
    """Everything the notice template (PDF and its HTML twin) reads."""
    items = decision_items(decision) if items is None else items
    return {
        "issuers": list(wording.ISSUERS),
        "signers": list(wording.ISSUERS),
        "doc_number": decision.document_number,
        "title": decision.title,
        "title_lines": _title_lines(decision.title),
        "recipient": wording.RECIPIENT,
        "paragraphs": wording.paragraphs(decision.body),
        "attachments": [wording.attachment_title(decision.batch)],
        "attachment_title": wording.attachment_title(decision.batch),
        "attachment_title_lines": break_title(wording.attachment_title(decision.batch)),
        "rows": _rows(items),
        "date": decision.decision_date,
        "note": "此件公开发布",
        "cc": list(wording.CC),
        "printer": wording.PRINTER,
        "printed_date": decision.decision_date,
    }


def render_decision_notice(decision: Decision) -> bytes:
    """认定文件 as PDF bytes (WeasyPrint, fonts subset and embedded)."""
    return render_pdf(NOTICE_TEMPLATE, decision_notice_context(decision))


def issue_decision_notice(decision: Decision) -> IssuedDocument:
    """认定文件 issued as an official document: PDF/A-3b with its 校验码, signed with the city HRSS
    bureau's certificate, archived once per decision (a second call returns the first)."""
    return document_issue(
        kind="decision_notice",
        title=decision.title,
        number=decision.document_number,
        issuer="、".join(wording.ISSUERS),
        signer=CITY_HRSS,
        template=NOTICE_TEMPLATE,
        context=decision_notice_context(decision),
        related=decision,
    )


def render_decision_notice_html(decision: Decision) -> str:
    """The exact markup the PDF is made from (for checks and archiving)."""
    return render_html(NOTICE_TEMPLATE, decision_notice_context(decision))


def approval_letter_context(letter: ApprovalLetter) -> dict:
    decision = letter.decision
    application = letter.application
    unit = application.unit
    hrss, finance = county_bureaus(unit.region)
    return {
        "issuers": list(wording.ISSUERS),
        "signers": list(wording.ISSUERS),
        "doc_number": letter.number,
        "title_lines": wording.letter_title(decision.batch),
        "recipient": f"{unit.name}：",
        "unit": unit.name,
        "base_name": f"{unit.name}市级高技能人才公共实训基地",
        "year": decision.batch.year,
        "decision_number": decision.document_number,
        # Broken only before 〔: "〔2026〕5号" stays on one line.
        "decision_number_parts": decision.document_number.partition("〔"),
        "measures": wording.MEASURES,
        "date": decision.decision_date,
        "cc": [hrss, finance],
    }


def render_approval_letter(letter: ApprovalLetter) -> bytes:
    """认定通知书 as PDF bytes."""
    return render_pdf(LETTER_TEMPLATE, approval_letter_context(letter))


def issue_approval_letter(letter: ApprovalLetter) -> IssuedDocument:
    """认定通知书 issued as an official document, signed by the city HRSS bureau, once per letter."""
    context = approval_letter_context(letter)
    return document_issue(
        kind="approval_letter",
        title="".join(context["title_lines"]),
        number=letter.number,
        issuer="、".join(wording.ISSUERS),
        signer=CITY_HRSS,
        template=LETTER_TEMPLATE,
        context=context,
        related=letter,
    )


# --- samples for ``manage.py render_samples`` ------------------------------------------------------

SAMPLE_UNITS = (
    ("绍兴市越城区示范职业技术学校", COLLEGE, "330602"),
    ("浙江越城智能装备制造有限公司", ENTERPRISE, "330602"),
    ("绍兴市柯桥区纺织技能培训学校", TRAINING_INSTITUTION, "330603"),
    ("浙江上虞新材料科技股份有限公司", ENTERPRISE, "330604"),
    ("诸暨市五金机械职业技能培训中心", TRAINING_INSTITUTION, "330681"),
    ("嵊州市厨具电器技工学校", COLLEGE, "330683"),
    ("新昌县轴承制造职业技术学校", COLLEGE, "330624"),
    ("浙江柯桥印染智造有限公司", ENTERPRISE, "330603"),
)


def _sample_year() -> int:
    taken = set(Batch.objects.values_list("year", flat=True))
    return next(year for year in range(2026, 2101) if year not in taken)


def _sample_decision() -> Decision:
    """A batch of its own with eight approved units and an issued decision — never real rows (the
    caller rolls the transaction back)."""
    from ..screening.documents import _sample_credit_code

    ensure_shaoxing_counties()
    regions = {region.code: region for region in Region.objects.all()}
    now = timezone.now()
    year = _sample_year()
    batch = Batch.objects.create(
        year=year,
        title=f"{year}年度绍兴市市级高技能人才公共实训基地申报",
        opens_at=now - timedelta(days=120),
        submission_deadline=now - timedelta(days=80),
        screening_deadline=now - timedelta(days=60),
        scoring_deadline=now - timedelta(days=30),
        quota=10,
    )
    Batch.objects.filter(pk=batch.pk).update(state=BatchState.CONCLUDED)
    batch.refresh_from_db()
    decision = Decision.objects.create(
        batch=batch,
        title=wording.default_title(batch),
        body=wording.default_body(batch),
        decision_date=date(year, 9, 1),
        document_number=format_doc_number(wording.NUMBER_PREFIX, year, 5),
    )
    Decision.objects.filter(pk=decision.pk).update(state="issued")
    decision.refresh_from_db()
    for position, (name, unit_type, code) in enumerate(SAMPLE_UNITS, start=1):
        unit = ApplicantUnit.objects.filter(name=name).first() or ApplicantUnit.objects.create(
            credit_code=_sample_credit_code(200 + position),
            name=name,
            unit_type=unit_type,
            region=regions[code],
            address="浙江省绍兴市",
            legal_representative="张明",
            contact_person="李华",
            contact_phone="0575-88000000",
            email=f"decision{position}@example.cn",
        )
        creator, _ = User.objects.get_or_create(
            username=f"sample_decision_unit_{position}", defaults={"role": Role.APPLICANT, "unit": unit}
        )
        application = Application.objects.create(batch=batch, unit=unit, created_by=creator)
        Application.objects.filter(pk=application.pk).update(state=ApplicationState.APPROVED)
        DecisionItem.objects.create(decision=decision, application=application, position=position)
        ApprovalLetter.objects.create(
            decision=decision,
            application=application,
            number=format_doc_number(wording.LETTER_PREFIX, year, 10 + position),
        )
    return decision


@register_sample("decision_notice", "认定文件（发文）")
def decision_notice_sample() -> bytes:
    """Eight bases over two pages; the demo rows are rolled back."""
    with transaction.atomic():
        pdf = render_decision_notice(_sample_decision())
        transaction.set_rollback(True)
    return pdf


@register_sample("approval_letter", "认定通知书")
def approval_letter_sample() -> bytes:
    with transaction.atomic():
        decision = _sample_decision()
        letter = decision.letters.select_related("application__unit__region", "decision__batch").first()
        if letter is None:
            raise LookupError("the sample decision has no letter")
        pdf = render_approval_letter(letter)
        transaction.set_rollback(True)
    return pdf
