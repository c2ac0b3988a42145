"""The county recommendation letter (区县推荐函, clause 4.1) and its sample for ``render_samples``.

A joint 函 of the county HRSS bureau and the county finance bureau to the city HRSS bureau, in the
GB/T 9704 信函格式 (``documents/gbt9704_letter.html``), numbered (发文字号) when the list is reported:
the candidates in rank order, each with the clauses of the Measures it meets and the county's
opinion; two annexes — the candidates' key figures, and the finance bureau's opinion on each — and
the contact the county set. Signed by both bureaus, dated the day of submission.

What it certifies is what the data supports: a unit is on the list only when no criterion fails
and every judgement is "确认符合" (`screening_decide` refuses anything else), so "符合建设条件" and
the clauses met are read from the same check the county saw.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from applications.demo import DECLARATIONS
from applications.eligibility import NEEDS_JUDGEMENT
from applications.enums import ApplicationState, BatchState
from applications.indicators import application_check
from applications.models import (
    ApplicantUnit,
    Application,
    Batch,
    PartnerEnterprise,
    Specialty,
    TrainingFundYear,
)
from applications.policy import COLLEGE, ENTERPRISE
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.accounts.regions import ensure_shaoxing_counties
from shaoxing_bases.documents.certificates import county_signer
from shaoxing_bases.documents.models import IssuedDocument
from shaoxing_bases.documents.registry import register_sample
from shaoxing_bases.documents.rendering import render_pdf
from shaoxing_bases.documents.signing import document_issue

from .enums import JudgementOutcome
from .models import ClauseJudgement, FinanceOpinion, Recommendation, RecommendationEntry
from .selectors import letter_entries, screening_check

LETTER_TEMPLATE = "review/screening/documents/recommendation_letter.html"
#: The Measures, named in full once with the short name it is called by afterwards.
MEASURES_FIRST = (
    "《绍兴市市级高技能人才公共实训基地建设项目实施办法（试行）》"
    "（绍市人社发〔2022〕47号，以下简称《实施办法》）"
)


def county_bureaus(region: Region) -> tuple[str, str]:
    """Full names of the county's HRSS and finance bureaus. Districts carry the city's name
    (绍兴市越城区…); county-level cities and counties do not (诸暨市…, 新昌县…)."""
    prefix = "绍兴市" if region.name.endswith("区") else ""
    return f"{prefix}{region.name}人力资源和社会保障局", f"{prefix}{region.name}财政局"


def _county_word(region: Region) -> str:
    """本区 / 本县 / 本市, as the county calls itself."""
    return f"本{region.name[-1]}"


@dataclass(frozen=True)
class LetterRow:
    rank: int
    unit: str
    unit_type: str
    clauses_met: str  # "三（一）1、三（一）2、…" — every clause whose criteria all pass or were confirmed
    indicators: list[str]
    opinion: str
    finance_opinion: str


def _clauses_met(application: Application) -> str:
    rows = screening_check(application).rows
    clauses: dict[str, bool] = {}
    for row in rows:
        clauses[row.clause_tag] = clauses.get(row.clause_tag, True) and row.effective_outcome == "pass"
    return "、".join(tag for tag, met in clauses.items() if met)


def _indicators(application: Application) -> list[str]:
    """The figures the city reads first (clauses 3.1.2–3.1.5 / 3.2.1–3.2.4)."""

    def count(value, unit: str = "人") -> str:
        return "未填" if value is None else f"{value}{unit}"

    lines = [
        f"年培训{count(application.annual_trainees)}（高级工及以上{count(application.annual_senior_trainees)}）",
        f"年评价{count(application.annual_evaluations)}",
    ]
    if application.unit.unit_type == ENTERPRISE:
        lines.append(f"场所容纳{count(application.venue_capacity)}")
        lines.append(f"教师{count(application.teachers)}")
    else:
        lines.append(f"特色专业{len(application.specialties.all())}个")
        lines.append(f"合作企业{len(application.partners.all())}家")
        lines.append(f"学员{count(application.students)}，教师{count(application.teachers)}")
    return lines


def _counts(recommendation: Recommendation) -> dict[str, int]:
    """What the county received, and what became of the applications it did not recommend."""
    in_county = Q(batch_id=recommendation.batch_id, unit__region_id=recommendation.region_id)
    return Application.objects.filter(in_county).aggregate(
        received=Count("pk", filter=Q(state__in=ApplicationState.visible_to_county())),
        rejected=Count("pk", filter=Q(state=ApplicationState.COUNTY_REJECTED)),
        returned=Count("pk", filter=Q(state=ApplicationState.RETURNED)),
        undecided=Count("pk", filter=Q(state=ApplicationState.SUBMITTED)),
    )


def _other_outcomes(counts: dict[str, int]) -> list[str]:
    """The clauses after "N家单位…确定为候选单位", one per outcome, each counted by its state.

    A list reaches the city only once nothing is undecided and no returned unit may still
    resubmit, so "returned" here means returned and not resubmitted before the deadline.
    """
    clauses = []
    if counts["rejected"]:
        clauses.append(f"{counts['rejected']}家单位经初审未予推荐")
    if counts["returned"]:
        clauses.append(f"{counts['returned']}家单位经初审退回修改，未在初审截止前重新提交")
    if clauses:
        clauses[-1] += "，已告知申报单位"
    if counts["undecided"]:
        clauses.append(f"{counts['undecided']}家单位尚未完成初审")
    return clauses


def recommendation_letter_context(recommendation: Recommendation, entries=None) -> dict:
    """Everything the letter template reads; ``entries`` default to the list in rank order."""
    entries = list(letter_entries(recommendation) if entries is None else entries)
    region, batch = recommendation.region, recommendation.batch
    hrss_bureau, finance_bureau = county_bureaus(region)
    counts = _counts(recommendation)
    return {
        "issuers": [hrss_bureau, finance_bureau],
        "signers": [hrss_bureau, finance_bureau],
        "doc_number": recommendation.letter_number,
        # Broken where the sense breaks (…高技能人才 / 公共实训基地…), never inside a word.
        "title_lines": [f"关于推荐{batch.year}年度市级高技能人才", "公共实训基地建设项目候选单位的函"],
        "recipient": "绍兴市人力资源和社会保障局：",
        "measures_first": MEASURES_FIRST,
        "hrss_bureau": hrss_bureau,
        "finance_bureau": finance_bureau,
        "region": region,
        "county_word": _county_word(region),
        "finance_bureau_short": f"{region.name}财政局",
        "batch": batch,
        "received": counts["received"],
        "recommended": len(entries),
        "rejected": counts["rejected"],
        "returned": counts["returned"],
        "undecided": counts["undecided"],
        "other_outcomes": _other_outcomes(counts),
        "rows": [
            LetterRow(
                rank=entry.rank,
                unit=entry.application.unit.name,
                unit_type=entry.application.unit.get_unit_type_display(),
                clauses_met=_clauses_met(entry.application),
                indicators=_indicators(entry.application),
                opinion=entry.opinion,
                finance_opinion=_finance_opinion(entry.application),
            )
            for entry in entries
        ],
        "attachments": ["候选单位主要指标", "区县财政局初审意见"],
        # The sentence around it supplies the full stop.
        "finance_comment": recommendation.finance_comment.strip().rstrip("。.；;"),
        "contact": region.contact_name,
        "contact_phone": region.contact_phone,
        "date": timezone.localdate(recommendation.submitted_at or timezone.now()),
        # The city finance bureau co-organises the review (clause 4.2): it gets a copy.
        "cc": ["绍兴市财政局"],
    }


def _finance_opinion(application: Application) -> str:
    opinion = getattr(application, "finance_opinion", None)
    return opinion.opinion if opinion is not None else ""


def render_recommendation_letter(recommendation: Recommendation) -> bytes:
    """The 推荐函 as plain PDF bytes (WeasyPrint, CJK fonts embedded), unsigned: for the benchmark."""
    return render_pdf(LETTER_TEMPLATE, recommendation_letter_context(recommendation))


LETTER_KIND = "recommendation_letter"


def issue_recommendation_letter(recommendation: Recommendation) -> IssuedDocument:
    """The 推荐函 issued as an official document: PDF/A-3b with its 校验码, signed with the county
    HRSS bureau's own certificate, archived once per list (a second call returns the first)."""
    context = recommendation_letter_context(recommendation)
    return document_issue(
        kind=LETTER_KIND,
        title="".join(context["title_lines"]),
        number=recommendation.letter_number,
        issuer="、".join(context["issuers"]),
        signer=county_signer(recommendation.region.code),
        template=LETTER_TEMPLATE,
        context=context,
        related=recommendation,
    )


# --- sample for ``manage.py render_samples`` -----------------------------------------------------

SAMPLE_YEAR = 2026
SAMPLE_REGION = "330602"


def _sample_credit_code(index: int) -> str:
    from shaoxing_bases.validators import credit_code_check_char, organisation_code_check_char

    body = f"{88_000_000 + index:08d}"
    first17 = f"{'12' if index == 1 else '91'}{SAMPLE_REGION}{body}{organisation_code_check_char(body)}"
    return first17 + credit_code_check_char(first17)


def _sample_year() -> int:
    """SAMPLE_YEAR, unless a real batch has it (years are unique): then the next free year."""
    taken = set(Batch.objects.values_list("year", flat=True))
    candidates = [SAMPLE_YEAR, *range(SAMPLE_YEAR + 1, 2101), *range(SAMPLE_YEAR - 1, 2021, -1)]
    return next(year for year in candidates if year not in taken)


def _sample_recommendation() -> Recommendation:
    """A batch of its own, a county and two recommended applications on a list of its own.

    Never a real batch or list: the letter would show real candidates beside the demo ones, and the
    demo rows would be written into the real list (rolled back, but visible meanwhile).
    """
    ensure_shaoxing_counties()  # demo data: a flushed test database has lost the migration's counties
    region = Region.objects.get(code=SAMPLE_REGION)
    now = timezone.now()
    year = _sample_year()
    batch = Batch.objects.create(
        year=year,
        title=f"{year}年度绍兴市市级高技能人才公共实训基地申报",
        opens_at=now - timedelta(days=30),
        submission_deadline=now - timedelta(days=10),
        screening_deadline=now + timedelta(days=5),
        scoring_deadline=now + timedelta(days=30),
        quota=10,
    )
    Batch.objects.filter(pk=batch.pk).update(state=BatchState.SCREENING)
    recommendation = Recommendation.objects.create(batch=batch, region=region)
    samples = [
        (
            "绍兴市越城区示范职业技术学校",
            COLLEGE,
            {"annual_trainees": 2360, "annual_senior_trainees": 620, "annual_evaluations": 1850},
            {"students": 1440, "teachers": 80, "practical_teachers": 36, "senior_practical_teachers": 16},
            "办学规范，数控、电工、焊接等实训装备齐全，年培训和评价规模均超过办法要求，同意推荐。",
        ),
        (
            "浙江越城智能装备制造有限公司",
            ENTERPRISE,
            {"annual_trainees": 1320, "annual_senior_trainees": 310, "annual_evaluations": 1080},
            {"venue_capacity": 240, "teachers": 26},
            "属先进制造业大型企业，职工培训经费连续3年足额提取并用于一线职工，同意推荐。",
        ),
    ]
    for index, (name, unit_type, scale, extra, opinion) in enumerate(samples, start=1):
        unit = ApplicantUnit.objects.filter(name=name).first() or ApplicantUnit.objects.create(
            credit_code=_sample_credit_code(index),
            name=name,
            unit_type=unit_type,
            region=region,
            address="浙江省绍兴市越城区",
            legal_representative="张明",
            contact_person="李华",
            contact_phone="0575-88000000",
            email=f"sample{index}@example.cn",
        )
        creator, _ = User.objects.get_or_create(
            username=f"sample_unit_{index}", defaults={"role": Role.APPLICANT, "unit": unit}
        )
        declarations: dict[str, object] = dict.fromkeys(DECLARATIONS, True)
        if unit_type == ENTERPRISE:
            declarations.update(ENTERPRISE_SAMPLE)
        application = Application.objects.create(
            batch=batch, unit=unit, created_by=creator, **scale, **extra, **declarations
        )
        Application.objects.filter(pk=application.pk).update(
            state=ApplicationState.RECOMMENDED, submitted_at=now - timedelta(days=12)
        )
        if unit_type == COLLEGE:
            _sample_lists(application)
        else:
            for offset in (1, 2, 3):
                TrainingFundYear.objects.create(
                    application=application,
                    year=year - offset,
                    payroll=Decimal("9600.00"),
                    amount_drawn=Decimal("150.00"),
                    amount_frontline=Decimal("110.00"),
                )
        application.refresh_from_db()
        for result in application_check(application):
            if result.outcome == NEEDS_JUDGEMENT:
                ClauseJudgement.objects.create(
                    application=application,
                    key=result.key,
                    clause=result.clause,
                    outcome=JudgementOutcome.CONFIRMED,
                    decided_by=creator,
                    decided_at=now,
                )
        FinanceOpinion.objects.create(
            application=application, opinion=FINANCE_SAMPLE[unit_type], given_by=creator
        )
        RecommendationEntry.objects.create(
            recommendation=recommendation, application=application, rank=index, opinion=opinion
        )
    return Recommendation.objects.select_related("batch", "region", "submitted_by").get(pk=recommendation.pk)


ENTERPRISE_SAMPLE = {
    "industry_category": "industry",
    "employees": 1850,
    "operating_revenue": Decimal("68000.00"),
    "total_assets": Decimal("92000.00"),
    "sector": "advanced_manufacturing",
    "industry_code": "C3484",
}
FINANCE_SAMPLE = {
    COLLEGE: "该校财务管理制度健全，近三年实训设备购置资金使用规范。",
    ENTERPRISE: "企业职工教育经费提取和使用情况与财务报表一致，同意。",
}


def _sample_lists(application: Application) -> None:
    for name, equipment in (
        ("数控车工", "数控车床24台"),
        ("电工", "电工实训台30套"),
        ("焊工", "焊接机器人工作站6套"),
    ):
        Specialty.objects.create(application=application, name=name, equipment=equipment)
    for index in range(22):
        PartnerEnterprise.objects.create(
            application=application,
            name=f"绍兴合作企业{index + 1}有限公司",
            credit_code=_sample_credit_code(100 + index),
        )


@register_sample("recommendation_letter", "区县推荐函")
def recommendation_letter_sample() -> bytes:
    """The letter of 越城区 with two candidates, issued as the real one is: signed, with its 校验码.
    The demo rows live in a transaction that is rolled back and the signed file is deleted, so
    rendering samples leaves nothing behind in a real database or its media folder."""
    with transaction.atomic():
        recommendation = _sample_recommendation()
        recommendation.finance_comment = "经审核，同意推荐。"
        # Shown as the number, the contact and the date; never saved (the transaction is rolled back).
        recommendation.letter_number = "越人社〔2026〕12号"
        recommendation.region.contact_name = "王丽"
        recommendation.region.contact_phone = "0575-85120000"
        recommendation.submitted_at = timezone.now()
        issued = issue_recommendation_letter(recommendation)
        with issued.file.open("rb") as handle:
            pdf = handle.read()
        issued.file.storage.delete(str(issued.file.name))
        transaction.set_rollback(True)
    return pdf
