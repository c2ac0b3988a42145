"""Demo of the county screening: every batch past its submission deadline is screened through the
services at the times it happened.

- This year's batch (in screening today): 越城区 has decided and its list awaits the finance
  co-signature; 柯桥区's list and letter have reached the city with the stamped scan; 上虞区 and
  诸暨市 still have applications to screen, 上虞区's finance having given one opinion already.
- Earlier batches: every county decided (one unit not recommended) and reported its co-signed list.

County finance gives its opinion on every application before HRSS decides (会同财政部门进行初审).
"""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from applications.eligibility import NEEDS_JUDGEMENT
from applications.enums import ApplicationState, BatchState
from applications.indicators import application_check
from applications.models import Application, Batch
from shaoxing_bases.accounts.demo import COUNTY_SLUGS
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.core.demo import DemoBatchPlan, demo_batch_plans, demo_clock, register_demo

from .enums import JudgementOutcome, ScreeningDecision
from .models import Recommendation
from .services import (
    clause_judge,
    county_settings_update,
    finance_opinion_give,
    recommendation_cosign,
    recommendation_letter_render,
    recommendation_request_cosign,
    recommendation_signed_scan_upload,
    recommendation_submit,
    screening_decide,
)

#: (county code, demo account slug) of the counties the demo's units are in.
COUNTIES = {"330602": "yuecheng", "330603": "keqiao", "330604": "shangyu", "330681": "zhuji"}
REJECTED_REASON = (
    "经核查，该单位近一年培训台账与申报数据不一致，高级工及以上培训人数证明材料不足，本批次暂不推荐。"
)
OPINION = "经区县人力社保局会同财政局初审，该单位各项条件符合要求，同意推荐为候选单位。"
FINANCE_OPINIONS = {
    "enterprise": "该企业近三年职工教育经费按规定足额提取，用于一线职工培训的比例符合要求。",
    "college": "该校实训设备购置资金来源清楚，财务管理制度健全，同意参加初审。",
    "training_institution": "该机构培训收费和补贴资金台账基本清楚，建议核实近一年培训人数与资金拨付记录。",
}


def _staff(county: str, role: str) -> User:
    return User.objects.get(username=f"{COUNTIES[county]}_{role}")


def _decide(application: Application, hrss: User, decision: str) -> None:
    for result in application_check(application):
        if result.outcome == NEEDS_JUDGEMENT:
            clause_judge(
                application=application,
                actor=hrss,
                key=result.key,
                outcome=JudgementOutcome.CONFIRMED,
                note="已核对佐证材料原件。",
            )
    screening_decide(
        application=application,
        actor=hrss,
        decision=decision,
        reason=REJECTED_REASON if decision == ScreeningDecision.REJECT else OPINION,
    )


def _list_of(batch: Batch, county: str) -> Recommendation:
    return Recommendation.objects.get(batch=batch, region__code=county)


def _give_finance_opinions(applications: list[Application], finance: User) -> None:
    for application in applications:
        finance_opinion_give(
            application=application, actor=finance, opinion=FINANCE_OPINIONS[application.unit.unit_type]
        )


def _upload_stamped_scan(recommendation: Recommendation, hrss: User) -> None:
    """The letter as the county prints, signs, stamps and scans it: here, the letter itself."""
    recommendation_letter_render(recommendation_id=recommendation.pk)
    recommendation.refresh_from_db()
    with recommendation.letter.open("rb") as letter:
        scan = SimpleUploadedFile("推荐函（盖章扫描件）.pdf", letter.read(), content_type="application/pdf")
    recommendation_signed_scan_upload(recommendation=recommendation, actor=hrss, uploaded=scan)


def _screen_county(
    batch: Batch, plan: DemoBatchPlan, county: str, *, day: float, until: str, scan: bool = False
) -> None:
    """Finance's opinions and HRSS's decisions on the county's applications, then its list as far as
    `until` (a RecommendationState), and with `scan` the stamped letter scanned."""
    hrss, finance = _staff(county, "hrss"), _staff(county, "finance")
    applications = list(
        Application.objects.filter(batch=batch, unit__region__code=county, state=ApplicationState.SUBMITTED)
        .select_related("batch", "unit")
        .order_by("pk")
    )
    with demo_clock(plan.at(day - 1, hour=15)):
        _give_finance_opinions(applications, finance)
    with demo_clock(plan.at(day, hour=10)):
        for application in applications:
            # The county's training school of the earlier batches is not recommended: a list with a
            # refusal in it, as real lists have.
            rejected = application.unit.unit_type == "training_institution" and county == "330602"
            _decide(application, hrss, ScreeningDecision.REJECT if rejected else ScreeningDecision.RECOMMEND)
    # Each recommended application joined the county's draft list as it was decided.
    recommendation = _list_of(batch, county)
    with demo_clock(plan.at(day + 1, hour=9)):
        recommendation_request_cosign(recommendation=recommendation, actor=hrss, comment="请审核会签。")
    if until == "awaiting_cosign":
        return
    with demo_clock(plan.at(day + 2, hour=11)):
        recommendation_cosign(recommendation=recommendation, actor=finance, comment="经审核，同意推荐。")
    with demo_clock(plan.at(day + 3, hour=16)):
        recommendation_submit(recommendation=recommendation, actor=hrss)
    if scan:
        with demo_clock(plan.at(day + 5, hour=10)):
            _upload_stamped_scan(recommendation, hrss)


#: The letters' contact of each county HRSS bureau (demo names and numbers).
COUNTY_CONTACTS = {
    "330602": ("王丽", "0575-85120001"),
    "330603": ("陈刚", "0575-84120002"),
    "330604": ("周敏", "0575-82120003"),
    "330624": ("吴静", "0575-86120004"),
    "330681": ("赵磊", "0575-87120005"),
    "330683": ("孙婷", "0575-83120006"),
}


@register_demo("county_settings", order=15)
def seed_demo_county_settings() -> list[str]:
    """Each county's letter contact, set by its own HRSS account through the service (once)."""
    for region in Region.objects.all():
        name, phone = COUNTY_CONTACTS.get(region.code, ("", ""))
        if region.contact_name or not name:
            continue
        slug = COUNTY_SLUGS.get(region.code, region.code)
        county_settings_update(
            region=region,
            actor=User.objects.get(username=f"{slug}_hrss"),
            data={"doc_prefix": region.doc_prefix, "contact_name": name, "contact_phone": phone},
        )
    return []


@register_demo("screening", order=20)
@transaction.atomic
def seed_demo_screening() -> list[str]:
    lines = []
    for plan in demo_batch_plans():
        batch = Batch.objects.filter(year=plan.year, state=BatchState.SCREENING).first()
        if batch is None or plan.stage == BatchState.OPEN:
            continue
        if Recommendation.objects.filter(batch=batch).exists():
            continue  # screened by an earlier run
        first_day = (plan.submission_deadline - plan.opens_at).days + 2
        if plan.stage == BatchState.SCREENING:
            # Today's batch: one county at finance, one at the city, two still screening.
            _screen_county(batch, plan, "330602", day=first_day, until="awaiting_cosign")
            _screen_county(batch, plan, "330603", day=first_day, until="submitted_to_city", scan=True)
            shangyu = Application.objects.filter(batch=batch, unit__region__code="330604").order_by("pk")[:1]
            with demo_clock(plan.at(first_day, hour=14)):
                _give_finance_opinions(list(shangyu.select_related("unit")), _staff("330604", "finance"))
        else:
            for offset, county in enumerate(COUNTIES):
                _screen_county(batch, plan, county, day=first_day + offset, until="submitted_to_city")
        lines.append(f"区县初审：{batch.title}")
    return lines
