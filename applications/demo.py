"""Demo data for `seed_demo`: the batches of the demo's timeline (`core.demo.demo_batch_plans`) with
their units and applications, created through the services at the times they happened, so that
every role has work to look at after `make run`. Idempotent: a batch that exists is left alone.

`fill_application` is also what the test factories use to make a complete, passing application.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from shaoxing_bases.accounts.demo import demo_password_hash
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.core.demo import DemoBatchPlan, demo_batch_plans, demo_clock, register_demo
from shaoxing_bases.validators import credit_code_check_char, organisation_code_check_char

from .batches.services import batch_create, batch_transition
from .enums import ApplicationState, AttachmentSection, BatchState, UnitType
from .form.services import attachment_upload
from .models import ApplicantUnit, Application, Batch, PartnerEnterprise, Specialty, TrainingFundYear
from .policy import CURRENT_POLICY_CODE
from .units.services import unit_register
from .workflow.services import application_start, application_submit

#: The smallest file the upload check accepts as a PDF (it reads the first bytes only).
DEMO_PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

SPECIALTIES = (
    ("数控车工", "数控车床20台、五轴加工中心2台", Decimal("860.00")),
    ("电工", "电工综合实训台30套、PLC实训装置20套", Decimal("320.00")),
    ("焊工", "焊接机器人工作站6套、焊接模拟器12台", Decimal("410.00")),
)


def credit_code(body: str, *, division: str, prefix: str = "91") -> str:
    """A valid 统一社会信用代码 from an 8-digit organisation-code body (both check characters computed)."""
    first17 = f"{prefix}{division}{body}{organisation_code_check_char(body)}"
    return first17 + credit_code_check_char(first17)


def _attach(application: Application, user: User, section: str, name: str):
    return attachment_upload(
        application=application,
        actor=user,
        section=section,
        uploaded=SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf"),
    )


#: Every declaration of the form (true in a complete demo application: the county judges each).
DECLARATIONS = (
    "has_training_rules",
    "has_finance_rules",
    "has_asset_rules",
    "has_risk_rules",
    "no_violations",
    "premises_meet_standards",
    "management_structure_sound",
    "facilities_meet_needs",
    "trains_for_society",
    "teacher_development_plan",
    "joint_training_with_partners",
    "social_evaluation_capable",
    "supports_skilled_talent",
)
#: Evidence beyond the required files, so that each declaration has something to be judged against.
EXTRA_EVIDENCE = {
    False: (AttachmentSection.SOCIAL_EVALUATION, AttachmentSection.COOPERATION, AttachmentSection.TEACHERS),
    True: (AttachmentSection.SOCIAL_EVALUATION, AttachmentSection.TALENT_SUPPORT),
}


def fill_application(
    application: Application, user: User, *, partner_division: str = "330603"
) -> Application:
    """Fill every required field, row and file so that the application can be submitted and every
    automatic check of its unit type passes (declarations stay 待评审判断, as they should)."""
    unit = application.unit
    enterprise = unit.unit_type == UnitType.ENTERPRISE
    application.organisation_description = "设培训处、实训中心，专人负责培训组织、经费和资产管理。"
    for flag in DECLARATIONS:
        setattr(application, flag, True)
    application.premises_description = "实训场地8000平方米，设备齐全，消防验收合格。"
    application.teacher_plan = "每年选派骨干教师赴企业实践，实施“双师型”教师培养计划。"
    application.integrity_declared = True
    application.integrity_signatory = unit.legal_representative or "张三"
    if enterprise:
        # A large manufacturer by the 2017 standard (工业: ≥1000 employees and ≥40,000万元 revenue).
        application.industry_category = "industry"
        application.employees = 1500
        application.operating_revenue = Decimal("62000.00")
        application.total_assets = Decimal("85000.00")
        application.sector = "advanced_manufacturing"
        application.industry_code = "C3484"
        application.venue_capacity = 200
        application.annual_trainees = 1200
        application.annual_senior_trainees = 300
        application.annual_evaluations = 1100
        application.teachers = 12
    else:
        application.annual_trainees = 2000
        application.annual_senior_trainees = 500
        application.annual_evaluations = 1800
        application.students = 360
        application.teachers = 20  # 1:18
        application.practical_teachers = 10
        application.senior_practical_teachers = 5  # 50%
    application.save()

    if enterprise:
        for offset in (1, 2, 3):
            TrainingFundYear.objects.get_or_create(
                application=application,
                year=application.batch.year - offset,
                # 1.5% of 8,000万元 is 120万元; 90 of 125 drawn (72%) went to front-line staff.
                defaults={
                    "payroll": Decimal("8000.00"),
                    "amount_drawn": Decimal("125.00"),
                    "amount_frontline": Decimal("90.00"),
                },
            )
    else:
        for name, equipment, value in SPECIALTIES:
            Specialty.objects.create(
                application=application, name=name, equipment=equipment, equipment_value=value
            )
        base = (application.pk * 7919) % 1_000_000
        for index in range(20):
            agreement = _attach(
                application, user, AttachmentSection.PARTNER_AGREEMENT, f"合作协议{index + 1}.pdf"
            )
            PartnerEnterprise.objects.create(
                application=application,
                name=f"绍兴合作企业{index + 1}有限公司",
                credit_code=credit_code(f"{base:06d}{index:02d}", division=partner_division),
                cooperation="共建课程、共育师资、共建实训基地",
                agreement=agreement,
            )
    for section in (*AttachmentSection.required_for(unit.unit_type), *EXTRA_EVIDENCE[enterprise]):
        _attach(application, user, section, f"{AttachmentSection(section).label}.pdf")
    return application


# --- the units of the demo ------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoUnit:
    username: str
    name: str
    unit_type: str
    county: str  # 行政区划代码
    body: str  # the 8-digit organisation-code body its credit code is made from
    target: str  # ApplicationState the demo leaves its application in (draft or submitted)


#: The open batch's units, with the accounts README names.
OPEN_BATCH_UNITS = (
    DemoUnit(
        "applicant",
        "绍兴市越城区职业技能实训学院",
        UnitType.COLLEGE,
        "330602",
        "70447884",
        ApplicationState.DRAFT,
    ),
    DemoUnit(
        "unit_yc_training",
        "绍兴市越城区华联职业培训学校",
        UnitType.TRAINING_INSTITUTION,
        "330602",
        "56236528",
        ApplicationState.SUBMITTED,
    ),
    DemoUnit(
        "unit_yc_enterprise",
        "浙江越城智能装备股份有限公司",
        UnitType.ENTERPRISE,
        "330602",
        "32790319",
        ApplicationState.SUBMITTED,
    ),
    DemoUnit(
        "unit_kq_college",
        "绍兴市柯桥区技工学校",
        UnitType.COLLEGE,
        "330603",
        "66517377",
        ApplicationState.SUBMITTED,
    ),
)

COUNTY_PREFIX = {
    "330602": "绍兴市越城区",
    "330603": "绍兴市柯桥区",
    "330604": "绍兴市上虞区",
    "330681": "诸暨市",
}
ENTERPRISE_PLACE = {"330602": "越城", "330603": "柯桥", "330604": "上虞", "330681": "诸暨"}
NAME_POOLS = {
    UnitType.COLLEGE: ("技师学院", "职业技术学校", "工业技术学校", "交通技工学校", "建设职业技术学校"),
    UnitType.TRAINING_INSTITUTION: (
        "华泰职业培训学校",
        "技能培训中心",
        "新华职业培训学校",
        "明德职业技能培训学校",
        "启航职业培训学校",
    ),
    UnitType.ENTERPRISE: (
        "纺织印染集团有限公司",
        "汽车零部件股份有限公司",
        "精密机械股份有限公司",
        "新材料科技有限公司",
        "轴承制造有限公司",
    ),
}
#: Who applies in every earlier batch: (county, type); eight units across four counties.
EARLIER_BATCH_MIX = (
    ("330602", UnitType.COLLEGE),
    ("330602", UnitType.TRAINING_INSTITUTION),
    ("330602", UnitType.ENTERPRISE),
    ("330603", UnitType.COLLEGE),
    ("330603", UnitType.ENTERPRISE),
    ("330604", UnitType.TRAINING_INSTITUTION),
    ("330604", UnitType.ENTERPRISE),
    ("330681", UnitType.COLLEGE),
)


def demo_units_of(plan: DemoBatchPlan, index: int) -> tuple[DemoUnit, ...]:
    """The units applying in `plan`'s batch (`index`: its place on the timeline, for distinct names)."""
    if plan.stage == BatchState.OPEN:
        return OPEN_BATCH_UNITS
    units = []
    for number, (county, unit_type) in enumerate(EARLIER_BATCH_MIX, start=1):
        pool = NAME_POOLS[unit_type]
        suffix = pool[(index + number) % len(pool)]
        if unit_type == UnitType.ENTERPRISE:
            name = f"浙江{ENTERPRISE_PLACE[county]}{suffix}"
        else:
            name = f"{COUNTY_PREFIX[county]}{suffix}"
        units.append(
            DemoUnit(
                username=f"unit{plan.year}_{number}",
                name=name,
                unit_type=unit_type,
                county=county,
                body=f"{plan.year % 100:02d}{index:02d}{number:04d}",
                target=ApplicationState.SUBMITTED,
            )
        )
    return tuple(units)


def _registered(unit: DemoUnit, regions: dict) -> User:
    """The unit and its account, registered through the service (or as they already are)."""
    user = User.objects.filter(username=unit.username).first()
    if user is not None and user.unit_id is not None:
        return user
    code = credit_code(unit.body, division=unit.county)
    existing = ApplicantUnit.objects.filter(credit_code=code).first()
    if existing is not None:  # registered by an earlier version of the demo: give it its account
        user = user or User(
            username=unit.username, display_name="陈晓燕", email=f"{unit.username}@demo.sx.example.cn"
        )
        user.role, user.unit = Role.APPLICANT, existing
        user.password = demo_password_hash()
        user.save()
        return user
    user = unit_register(
        unit=ApplicantUnit(
            credit_code=code,
            name=unit.name,
            unit_type=unit.unit_type,
            region=regions[unit.county],
            address=f"{COUNTY_PREFIX.get(unit.county, '绍兴市')}示范路{unit.body[-3:]}号",
            legal_representative="王立新",
            contact_person="陈晓燕",
            contact_phone="13857512345",
            email=f"{unit.username}@demo.sx.example.cn",
        ),
        user=User(username=unit.username, display_name="陈晓燕", email=f"{unit.username}@demo.sx.example.cn"),
        password=None,  # set below from the one demo hash: hashing it for every account takes seconds
    )
    User.objects.filter(pk=user.pk).update(password=demo_password_hash())
    return user


def _city_hrss() -> User:
    return User.objects.get(username="city_hrss")


def _batch_for(plan: DemoBatchPlan) -> Batch:
    """Created by the city a week before it opens, opened by the minute sweep at its opening time."""
    with demo_clock(plan.at(-7)):
        batch = batch_create(
            actor=_city_hrss(),
            data={
                "year": plan.year,
                "title": f"{plan.year}年度绍兴市市级高技能人才公共实训基地申报",
                "policy_code": CURRENT_POLICY_CODE,
                "opens_at": plan.opens_at,
                "submission_deadline": plan.submission_deadline,
                "screening_deadline": plan.screening_deadline,
                "scoring_deadline": plan.scoring_deadline,
                "quota": 5,
                "pass_mark": Decimal("70.00"),
            },
        )
    with demo_clock(plan.opens_at):
        # What the minute sweep does at the opening time (actor None: the system), for this batch only.
        return batch_transition(batch=batch, actor=None, name="open")


def _apply(batch: Batch, plan: DemoBatchPlan, unit: DemoUnit, user: User, day: int) -> Application:
    with demo_clock(plan.at(day, hour=10)):
        application = application_start(actor=user, batch=batch)
        if unit.target == ApplicationState.DRAFT:
            # A draft half-way through: figures typed, one of them below the threshold.
            application.annual_trainees = 1380
            application.annual_senior_trainees = 420
            application.organisation_description = "设培训处和实训中心。"
            application.save()
            return application
        fill_application(application, user)
    with demo_clock(plan.at(day + 2, hour=15)):
        return application_submit(application=application, actor=user, confirmed=True)


@register_demo("applications", order=10)
@transaction.atomic
def seed_demo_applications() -> list[str]:
    """Every batch of the timeline with its units' applications, once; returns a summary."""
    regions = {region.code: region for region in Region.objects.all()}
    lines = []
    for index, plan in enumerate(demo_batch_plans()):
        batch = Batch.objects.filter(year=plan.year).first()
        if batch is None:
            batch = _batch_for(plan)
            for number, unit in enumerate(demo_units_of(plan, index)):
                _apply(batch, plan, unit, _registered(unit, regions), day=3 + number)
            if plan.stage != BatchState.OPEN:
                with demo_clock(plan.submission_deadline):
                    batch = batch_transition(batch=batch, actor=None, name="close_submissions")
        lines.append(
            f"批次：{batch.title}（{batch.get_state_display()}，{batch.applications.count()} 份申报）"
        )
    return lines
