"""Provincial-scale units and applications for `manage.py seed_scale` (bulk inserts, not the services:
the dataset is for the benchmark, the demo is what goes through the services).

At factor 1.0: 5,000 units (each with its applicant account) spread over the counties, and 2,100
applications in each of the demo's five batches — 10,500 in all, with every section of the form
(specialties, 20 partner enterprises with their agreements, three years of training funds, the
evidence files) filled as `applications.demo.fill_application` fills them, so that the auto-check
gives the same results as for a complete demo application. Each handed-in application has its
"提交申报" entry in the audit trail, appended through `audit.services.audit_record_many` (chained
and keyed like every other entry). The states follow each batch's stage (drafts in the open batch,
the county's queue in the screening one, the outcome of the review in the older ones); the county's
decisions are `review/screening/scale.py`'s. Up to 3,000 approved applications in all (the training
bases of `reporting/scale.py`): the concluded demo batch's and, for the rest, those of an earlier
concluded batch of the scale data (four years ago), bulk-created in the approved state.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from shaoxing_bases.accounts.demo import demo_password_hash
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_record_many
from shaoxing_bases.core.scale import demo_batch_years, register_scale

from .demo import DECLARATIONS, DEMO_PDF, EXTRA_EVIDENCE, SPECIALTIES, credit_code
from .enums import ApplicationState, AttachmentSection, BatchState, UnitType
from .models import (
    ApplicantUnit,
    Application,
    Attachment,
    Batch,
    PartnerEnterprise,
    Specialty,
    TrainingFundYear,
)
from .policy import CURRENT_POLICY_CODE

UNITS_AT_FULL_SCALE = 5_000
APPLICATIONS_PER_BATCH = 2_100
PARTNERS = 20
CHUNK = 5_000
#: The approved applications the scale's training bases stand on (`reporting/scale.py`): the
#: concluded demo batch has ~63, the rest are in a concluded batch of this many years ago, so that
#: their bases have five years of annual reports.
APPROVED_AT_FULL_SCALE = 3_000
EARLIER_BATCH_YEARS_AGO = 4
#: Scale accounts and units are recognisable (and never collide with the demo's): ``scale00001``,
#: credit-code bodies starting with 9.
USERNAME = "scale{:05d}"
UNIT_TYPES = (UnitType.COLLEGE, UnitType.TRAINING_INSTITUTION, UnitType.ENTERPRISE)
NAMES = {
    UnitType.COLLEGE: "技工学校",
    UnitType.TRAINING_INSTITUTION: "职业培训学校",
    UnitType.ENTERPRISE: "智能制造有限公司",
}

#: What share of each batch's applications ends in which state, by the batch's stage (the rest:
#: the first state). The screening batch keeps most in the county's queue.
STATE_MIX: dict[str, tuple[tuple[str, float], ...]] = {
    BatchState.OPEN: ((ApplicationState.DRAFT, 0.6), (ApplicationState.SUBMITTED, 0.4)),
    BatchState.SCREENING: (
        (ApplicationState.SUBMITTED, 0.7),
        (ApplicationState.RECOMMENDED, 0.2),
        (ApplicationState.RETURNED, 0.05),
        (ApplicationState.COUNTY_REJECTED, 0.05),
    ),
    BatchState.EXPERT_REVIEW: ((ApplicationState.UNDER_REVIEW, 0.6), (ApplicationState.COUNTY_REJECTED, 0.4)),
    BatchState.PUBLICITY: (
        (ApplicationState.NOT_SELECTED, 0.55),
        (ApplicationState.IN_PUBLICITY, 0.05),
        (ApplicationState.COUNTY_REJECTED, 0.4),
    ),
    BatchState.CONCLUDED: (
        (ApplicationState.NOT_SELECTED, 0.57),
        (ApplicationState.APPROVED, 0.03),
        (ApplicationState.COUNTY_REJECTED, 0.4),
    ),
}


def state_for(stage: str, index: int, total: int) -> str:
    """The state of the ``index``-th of ``total`` applications of a batch in ``stage`` (interleaved,
    so that every county gets its share of each state)."""
    mix = STATE_MIX.get(stage, ((ApplicationState.SUBMITTED, 1.0),))
    position = (index * 7919) % max(total, 1) / max(total, 1)
    cumulative = 0.0
    for state, share in mix:
        cumulative += share
        if position < cumulative:
            return state
    return mix[-1][0]


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    """A Shanghai moment, in UTC as the database gives it back (the audit hash covers its text)."""
    return timezone.make_aware(datetime(year, month, day, hour)).astimezone(UTC)


def _bulk(model, rows, *, chunk: int = CHUNK) -> list:
    created: list = []
    buffer: list = []
    for row in rows:
        buffer.append(row)
        if len(buffer) >= chunk:
            created += model.objects.bulk_create(buffer)
            buffer = []
    if buffer:
        created += model.objects.bulk_create(buffer)
    return created


def _seed_units(count: int) -> list[User]:
    """``count`` scale units and their accounts (those already there are kept)."""
    regions = list(Region.objects.order_by("sort_order", "code"))
    existing = set(User.objects.filter(username__startswith="scale").values_list("username", flat=True))
    wanted = [number for number in range(1, count + 1) if USERNAME.format(number) not in existing]
    units = []
    for number in wanted:
        region = regions[number % len(regions)]
        unit_type = UNIT_TYPES[number % len(UNIT_TYPES)]
        units.append(
            ApplicantUnit(
                credit_code=credit_code(f"9{number:07d}", division=region.code),
                name=f"{region.name}第{number}{NAMES[unit_type]}",
                unit_type=unit_type,
                region=region,
                address=f"{region.name}产业路{number}号",
                legal_representative="王立新",
                contact_person="陈晓燕",
                contact_phone="13857512345",
                email=f"scale{number:05d}@scale.sx.example.cn",
            )
        )
    units = _bulk(ApplicantUnit, units)
    password = demo_password_hash()
    _bulk(
        User,
        (
            User(
                username=USERNAME.format(number),
                role=Role.APPLICANT,
                unit=unit,
                display_name="陈晓燕",
                email=unit.email,
                password=password,
            )
            for number, unit in zip(wanted, units, strict=True)
        ),
    )
    return list(
        User.objects.filter(username__startswith="scale", unit__isnull=False)
        .select_related("unit")
        .order_by("username")[:count]
    )


def _filled(application: Application) -> Application:
    """The figures of `demo.fill_application`, on an unsaved row."""
    unit = application.unit
    application.organisation_description = "设培训处、实训中心，专人负责培训组织、经费和资产管理。"
    for flag in DECLARATIONS:
        setattr(application, flag, True)
    application.premises_description = "实训场地8000平方米，设备齐全，消防验收合格。"
    application.teacher_plan = "每年选派骨干教师赴企业实践，实施“双师型”教师培养计划。"
    application.integrity_declared = True
    application.integrity_signatory = unit.legal_representative
    if unit.unit_type == UnitType.ENTERPRISE:
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
        application.teachers = 20
        application.practical_teachers = 10
        application.senior_practical_teachers = 5
    return application


def _evidence_file() -> str:
    """One stored PDF every scale attachment points to (the rows are what the pages read)."""
    name = "evidence/scale/scale-evidence.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(DEMO_PDF))
    return name


def _attachment(application: Application, user: User, section: str, name: str, file_name: str) -> Attachment:
    return Attachment(
        application=application,
        section=section,
        file=file_name,
        original_name=name,
        content_type="application/pdf",
        size=len(DEMO_PDF),
        sha256="0" * 64,
        uploaded_by=user,
    )


def _seed_sections(applications: list[Application], users: dict[int | None, User]) -> int:
    """Every section row of the form for `applications` (saved, with their units loaded)."""
    file_name = _evidence_file()
    attachments: list[Attachment] = []
    specialties: list[Specialty] = []
    funds: list[TrainingFundYear] = []
    partner_rows: list[tuple[Application, int]] = []
    for application in applications:
        user = users[application.unit_id]
        enterprise = application.unit.unit_type == UnitType.ENTERPRISE
        if enterprise:
            funds += [
                TrainingFundYear(
                    application=application,
                    year=application.batch.year - offset,
                    payroll=Decimal("8000.00"),
                    amount_drawn=Decimal("125.00"),
                    amount_frontline=Decimal("90.00"),
                )
                for offset in (1, 2, 3)
            ]
        else:
            specialties += [
                Specialty(application=application, name=name, equipment=equipment, equipment_value=value)
                for name, equipment, value in SPECIALTIES
            ]
            for index in range(PARTNERS):
                attachments.append(
                    _attachment(
                        application,
                        user,
                        AttachmentSection.PARTNER_AGREEMENT,
                        f"合作协议{index + 1}.pdf",
                        file_name,
                    )
                )
                partner_rows.append((application, index))
        for section in (
            *AttachmentSection.required_for(application.unit.unit_type),
            *EXTRA_EVIDENCE[enterprise],
        ):
            attachments.append(
                _attachment(application, user, section, f"{AttachmentSection(section).label}.pdf", file_name)
            )
    created = _bulk(Attachment, attachments)
    agreements = iter(a for a in created if a.section == AttachmentSection.PARTNER_AGREEMENT)
    partners = []
    for application, index in partner_rows:
        base = (application.pk * 7919) % 1_000_000
        partners.append(
            PartnerEnterprise(
                application=application,
                name=f"绍兴合作企业{index + 1}有限公司",
                credit_code=credit_code(f"{base:06d}{index:02d}", division="330603"),
                cooperation="共建课程、共育师资、共建实训基地",
                agreement=next(agreements),
            )
        )
    _bulk(PartnerEnterprise, partners)
    _bulk(Specialty, specialties)
    _bulk(TrainingFundYear, funds)
    return len(created) + len(partners) + len(specialties) + len(funds)


def _seed_batch(batch: Batch, users: list[User], offset: int, count: int) -> tuple[int, int]:
    """``count`` applications in ``batch`` from the units after ``offset`` (none that already applies)."""
    taken = set(Application.objects.filter(batch=batch).values_list("unit_id", flat=True))
    chosen: list[User] = []
    for step in range(len(users)):
        if len(chosen) >= count:
            break
        user = users[(offset + step) % len(users)]
        if user.unit_id not in taken:
            chosen.append(user)
            taken.add(user.unit_id)
    applications = []
    for index, user in enumerate(chosen):
        state = state_for(batch.state, index, len(chosen))
        # A bulk row for the benchmark: the state is given, no transition runs (the demo runs them).
        application = _filled(Application(batch=batch, unit=user.unit, created_by=user, state=state))
        if state not in (ApplicationState.DRAFT,):
            moment = batch.opens_at + timedelta(minutes=index % (60 * 24 * 20))
            application.submitted_at = application.first_submitted_at = moment
        applications.append(application)
    applications = _bulk(Application, applications, chunk=2_000)
    sections = 0
    by_unit = {user.unit_id: user for user in chosen}
    for start in range(0, len(applications), 1_000):
        sections += _seed_sections(applications[start : start + 1_000], by_unit)
    audit_record_many(
        {
            "action": AuditAction.STATE_CHANGE,
            "outcome": AuditOutcome.SUCCESS,
            "actor": by_unit[application.unit_id],
            "created_at": application.submitted_at,
            "object_repr": f"{application.unit}（{batch.year}年度）",
            "summary": "提交申报",
            "detail": {"model": "applications.Application", "pk": application.pk, "scale": True},
        }
        for application in applications
        if application.submitted_at is not None
    )
    return len(applications), sections


def _base_batch(year: int, quota: int) -> Batch:
    """The earlier concluded batch of the scale data (created once)."""
    batch = Batch.objects.filter(year=year).first()
    if batch is not None:
        return batch
    opens = _at(year, 3, 1, 9)
    return Batch.objects.create(
        year=year,
        title=f"{year}年度绍兴市市级高技能人才公共实训基地申报",
        policy_code=CURRENT_POLICY_CODE,
        opens_at=opens,
        submission_deadline=opens + timedelta(days=40),
        screening_deadline=opens + timedelta(days=60),
        scoring_deadline=opens + timedelta(days=80),
        quota=min(quota, 32_000),
        pass_mark=Decimal("70.00"),
        # A bulk row for the benchmark: the batch is concluded, no transition runs (the demo runs them).
        state=BatchState.CONCLUDED,
    )


def _approve_more(batch: Batch, count: int) -> list[Application]:
    """``count`` approved applications in ``batch`` from scale units without one there."""
    taken = set(Application.objects.filter(batch=batch).values_list("unit_id", flat=True))
    users = [
        user
        for user in User.objects.filter(username__startswith="scale", unit__isnull=False)
        .select_related("unit")
        .order_by("username")
        if user.unit_id not in taken
    ][:count]
    applications = []
    for index, user in enumerate(users):
        # A bulk row for the benchmark: approved as the decision leaves it, no transition runs.
        application = _filled(
            Application(batch=batch, unit=user.unit, created_by=user, state=ApplicationState.APPROVED)
        )
        application.submitted_at = application.first_submitted_at = batch.opens_at + timedelta(
            minutes=index % (60 * 24 * 30)
        )
        applications.append(application)
    applications = _bulk(Application, applications, chunk=2_000)
    by_unit = {user.unit_id: user for user in users}
    for start in range(0, len(applications), 1_000):
        _seed_sections(applications[start : start + 1_000], by_unit)
    audit_record_many(
        {
            "action": AuditAction.STATE_CHANGE,
            "outcome": AuditOutcome.SUCCESS,
            "actor": by_unit[application.unit_id],
            "created_at": application.submitted_at,
            "object_repr": f"{application.unit}（{batch.year}年度）",
            "summary": "提交申报",
            "detail": {"model": "applications.Application", "pk": application.pk, "scale": True},
        }
        for application in applications
    )
    return applications


def _seed_earlier_approved(factor: float) -> list[str]:
    """Approved scale applications up to ``3,000 × factor`` (the scale's training bases): the
    concluded demo batch's, and the rest in an earlier concluded batch of their own."""
    target = max(1, int(APPROVED_AT_FULL_SCALE * factor))
    year = timezone.localdate().year - EARLIER_BATCH_YEARS_AGO
    if Batch.objects.filter(year=year, applications__isnull=False).exists():
        return [f"{year}年度（规模数据的更早批次）：已有"]
    have = Application.objects.filter(
        state=ApplicationState.APPROVED, unit__members__username__startswith="scale"
    ).count()
    if have >= target:
        return []
    with transaction.atomic():
        batch = _base_batch(year, target - have)
        made = _approve_more(batch, target - have)
    return [f"{batch.title}（已结束，规模数据的更早批次）：{len(made)} 个已认定的申报"]


@register_scale("applications", order=10)
def seed_scale_applications(factor: float) -> list[str]:
    """Scale units and, in each of the demo's batches, applications up to ``2,100 × factor``."""
    batches = list(Batch.objects.filter(year__in=demo_batch_years()).order_by("year"))
    if not batches:
        return ["没有申报批次：请先运行 seed_demo。"]
    with transaction.atomic():
        users = _seed_units(max(1, int(UNITS_AT_FULL_SCALE * factor)))
    lines = [f"申报单位：{len(users)} 个（账号 scale00001 起，密码同演示账号）"]
    per_batch = max(1, int(APPLICATIONS_PER_BATCH * factor))
    for number, batch in enumerate(batches):
        have = Application.objects.filter(batch=batch, unit__members__username__startswith="scale").count()
        if have >= per_batch:
            lines.append(f"{batch.title}：已有 {have} 个规模申报")
            continue
        with transaction.atomic():
            made, sections = _seed_batch(batch, users, number * len(users) // len(batches), per_batch - have)
        lines.append(f"{batch.title}（{batch.get_state_display()}）：{made} 个申报，{sections} 行表单明细")
    return lines + _seed_earlier_approved(factor)
