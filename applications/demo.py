"""Demo data for `seed_demo`: an open batch, units in several counties, applications in several
states, so that every role has something to look at after `make run`. Idempotent.

`fill_application` is also what the test factories use to make a complete, passing application.
"""

from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from shaoxing_bases.accounts.demo import DEMO_PASSWORD
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.core.demo import register_demo
from shaoxing_bases.validators import credit_code_check_char, organisation_code_check_char

from .enums import ApplicationState, AttachmentSection, BatchState, UnitType
from .form.services import attachment_upload
from .models import ApplicantUnit, Application, Batch, PartnerEnterprise, Specialty, TrainingFundYear
from .policy import CURRENT_POLICY_CODE
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


def fill_application(
    application: Application, user: User, *, partner_division: str = "330603"
) -> Application:
    """Fill every required field, row and file so that the application can be submitted and every
    automatic check of its unit type passes (declarations stay 待评审判断, as they should)."""
    unit = application.unit
    enterprise = unit.unit_type == UnitType.ENTERPRISE
    application.organisation_description = "设培训处、实训中心，专人负责培训组织、经费和资产管理。"
    for flag in ("has_training_rules", "has_finance_rules", "has_asset_rules", "has_risk_rules"):
        setattr(application, flag, True)
    application.no_violations = True
    application.premises_meet_standards = True
    application.premises_description = "实训场地8000平方米，设备齐全，消防验收合格。"
    application.teacher_plan = "每年选派骨干教师赴企业实践，实施“双师型”教师培养计划。"
    application.integrity_declared = True
    application.integrity_signatory = unit.legal_representative or "张三"
    if enterprise:
        if unit.size not in ("large", "medium") or unit.sector not in (
            "advanced_manufacturing",
            "modern_services",
        ):
            ApplicantUnit.objects.filter(pk=unit.pk).update(size="large", sector="advanced_manufacturing")
            unit.refresh_from_db()
            application.unit = unit
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
                defaults={
                    "amount_required": Decimal("120.00"),
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
    for section in AttachmentSection.required():
        _attach(application, user, section, f"{AttachmentSection(section).label}.pdf")
    return application


def _demo_batch() -> Batch:
    now = timezone.now()
    batch = Batch.objects.filter(year=now.year).first()
    if batch is not None:
        return batch
    batch = Batch.objects.create(
        year=now.year,
        title=f"{now.year}年度绍兴市市级高技能人才公共实训基地申报",
        policy_code=CURRENT_POLICY_CODE,
        opens_at=now - timedelta(days=10),
        submission_deadline=now + timedelta(days=20),
        screening_deadline=now + timedelta(days=35),
        scoring_deadline=now + timedelta(days=50),
        quota=5,
        pass_mark=Decimal("70.00"),
    )
    Batch.objects.filter(pk=batch.pk).update(state=BatchState.OPEN)  # demo data: opened without a log line
    batch.refresh_from_db()
    return batch


# (username, unit name, type, county code, org-code body, what state the demo leaves it in)
DEMO_UNITS = (
    (
        "applicant",
        "绍兴市越城区职业技能实训学院",
        UnitType.COLLEGE,
        "330602",
        "70447884",
        ApplicationState.DRAFT,
    ),
    (
        "unit_yc_training",
        "绍兴市越城区华联职业培训学校",
        UnitType.TRAINING_INSTITUTION,
        "330602",
        "56236528",
        ApplicationState.SUBMITTED,
    ),
    (
        "unit_yc_enterprise",
        "浙江越城智能装备股份有限公司",
        UnitType.ENTERPRISE,
        "330602",
        "32790319",
        ApplicationState.SUBMITTED,
    ),
    (
        "unit_kq_college",
        "绍兴市柯桥区技工学校",
        UnitType.COLLEGE,
        "330603",
        "66517377",
        ApplicationState.SUBMITTED,
    ),
)


@register_demo("applications", order=10)
@transaction.atomic
def seed_demo_applications() -> list[str]:
    """Create the demo batch, units, their accounts and applications once; return a summary."""
    batch = _demo_batch()
    regions = {region.code: region for region in Region.objects.all()}
    lines = [f"批次：{batch.title}（{batch.get_state_display()}）"]
    for username, name, unit_type, county, body, target in DEMO_UNITS:
        code = credit_code(body, division=county)
        unit, _created = ApplicantUnit.objects.get_or_create(
            credit_code=code,
            defaults={
                "name": name,
                "unit_type": unit_type,
                "region": regions[county],
                "address": f"绍兴市{regions[county].name}示范路{body[-3:]}号",
                "legal_representative": "王立新",
                "contact_person": "陈晓燕",
                "contact_phone": "13857512345",
                "email": f"{username}@demo.sx.example.cn",
                "sector": "advanced_manufacturing" if unit_type == UnitType.ENTERPRISE else "",
                "size": "large" if unit_type == UnitType.ENTERPRISE else "",
            },
        )
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "role": Role.APPLICANT,
                "display_name": "陈晓燕",
                "email": f"{username}@demo.sx.example.cn",
            },
        )
        if created or user.unit_id != unit.pk:
            user.role, user.unit = Role.APPLICANT, unit
            user.set_password(DEMO_PASSWORD)
            user.save()
        application = Application.objects.filter(batch=batch, unit=unit).first()
        if application is None and batch.accepts_submissions():
            application = application_start(actor=user, batch=batch)
            if target == ApplicationState.DRAFT:
                # A draft half-way through: figures typed, one of them below the threshold.
                application.annual_trainees = 1380
                application.annual_senior_trainees = 420
                application.organisation_description = "设培训处和实训中心。"
                application.save()
            else:
                fill_application(application, user)
                application = application_submit(application=application, actor=user, confirmed=True)
        if application is not None:
            lines.append(f"{unit.name}（{unit.region}）：{application.get_state_display()}，账号 {username}")
    return lines
