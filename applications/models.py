"""Applicant units, yearly batches, applications and their evidence.

Models hold data and FSM transitions that change fields only; every state change goes through
`applications.services` (or `review.services` for the county's decisions).
"""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from shaoxing_bases.accounts.models import Region
from shaoxing_bases.validators import validate_credit_code, validate_plain_text, validate_single_line_text

from .enterprise_size import INDUSTRY_CHOICES
from .enums import ApplicationState, AttachmentSection, BatchState, Sector, UnitType
from .policy import CURRENT_POLICY_CODE, POLICIES

# Upper bounds that catch typing mistakes (an extra zero) without refusing any real institution.
MAX_PEOPLE = 1_000_000
MAX_TEACHERS = 100_000


def count_field(
    verbose_name: str, maximum: int = MAX_PEOPLE, help_text: str = ""
) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(
        verbose_name, null=True, blank=True, validators=[MaxValueValidator(maximum)], help_text=help_text
    )


def declaration_field(verbose_name: str) -> models.BooleanField:
    """A condition the Measures state in words, declared by the unit and judged by the county."""
    return models.BooleanField(verbose_name, default=False)


def amount_field(verbose_name: str, help_text: str = "") -> models.DecimalField:
    """An amount in 万元, optional while the form is a draft."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        help_text=help_text,
    )


#: 国民经济行业分类 (GB/T 4754-2017) code: a section letter, optionally with 2, 3 or 4 digits.
INDUSTRY_CODE_VALIDATOR = RegexValidator(
    r"^[A-T](\d{2}|\d{3}|\d{4})?$",
    "请填写国民经济行业分类代码（GB/T 4754-2017），如 C3484 或 I65。",
)


class ApplicantUnit(models.Model):
    """申报单位: a college, training institution or enterprise, identified by its credit code."""

    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, unique=True, validators=[validate_credit_code]
    )
    name = models.CharField("单位名称", max_length=100, validators=[validate_single_line_text])
    unit_type = models.CharField("单位类型", max_length=30, choices=UnitType.choices)
    region = models.ForeignKey(
        Region, verbose_name="所在区县", on_delete=models.PROTECT, related_name="units"
    )
    address = models.CharField("通讯地址", max_length=200, validators=[validate_single_line_text])
    legal_representative = models.CharField(
        "法定代表人", max_length=50, validators=[validate_single_line_text]
    )
    contact_person = models.CharField("联系人", max_length=50, validators=[validate_single_line_text])
    contact_phone = models.CharField("联系电话", max_length=20)
    email = models.EmailField("电子邮箱")
    created_at = models.DateTimeField("注册时间", auto_now_add=True)

    class Meta:
        ordering = ["region__sort_order", "name"]
        verbose_name = "申报单位"
        verbose_name_plural = "申报单位"

    def __str__(self) -> str:
        return self.name

    @property
    def is_enterprise(self) -> bool:
        return self.unit_type == UnitType.ENTERPRISE


class Batch(ConcurrentTransitionMixin, models.Model):
    """申报批次: one call for applications per year, with every deadline of its workflow."""

    year = models.PositiveSmallIntegerField(
        "年度", unique=True, validators=[MinValueValidator(2022), MaxValueValidator(2100)]
    )
    title = models.CharField("批次名称", max_length=100)
    policy_code = models.CharField(
        "政策依据",
        max_length=50,
        choices=[(code, f"{policy.title}（{code}）") for code, policy in POLICIES.items()],
        default=CURRENT_POLICY_CODE,
    )
    opens_at = models.DateTimeField("开始申报时间")
    submission_deadline = models.DateTimeField("申报截止时间")
    screening_deadline = models.DateTimeField("区县初审截止时间")
    scoring_deadline = models.DateTimeField("专家评审截止时间")
    quota = models.PositiveSmallIntegerField(
        "拟认定名额", validators=[MinValueValidator(1), MaxValueValidator(200)]
    )
    pass_mark = models.DecimalField(
        "入围分数线",
        max_digits=5,
        decimal_places=2,
        default=60,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    publicity_days = models.PositiveSmallIntegerField(
        "公示期长度", default=7, validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    publicity_working_days = models.BooleanField("按工作日计算公示期", default=False)
    state = FSMField("状态", default=BatchState.DRAFT, choices=BatchState.choices, protected=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year"]
        verbose_name = "申报批次"
        verbose_name_plural = "申报批次"

    def __str__(self) -> str:
        return self.title

    @property
    def policy(self):
        return POLICIES[self.policy_code]

    def accepts_submissions(self, at=None) -> bool:
        """Open, and the clock is inside the submission window (the clock decides, not the sweep)."""
        now = at or timezone.now()
        return self.state == BatchState.OPEN and self.opens_at <= now < self.submission_deadline

    @fsm_log_by
    @transition(field=state, source=BatchState.DRAFT, target=BatchState.OPEN)
    def open(self, by=None):
        """开始申报."""

    @fsm_log_by
    @transition(field=state, source=BatchState.OPEN, target=BatchState.SCREENING)
    def close_submissions(self, by=None):
        """申报截止，进入区县初审."""

    @fsm_log_by
    @transition(field=state, source=BatchState.SCREENING, target=BatchState.EXPERT_REVIEW)
    def start_expert_review(self, by=None):
        """区县推荐截止，进入专家评审."""

    @fsm_log_by
    @transition(field=state, source=BatchState.EXPERT_REVIEW, target=BatchState.PUBLICITY)
    def start_publicity(self, by=None):
        """评审结束，进入公示."""

    @fsm_log_by
    @transition(field=state, source=BatchState.PUBLICITY, target=BatchState.CONCLUDED)
    def conclude(self, by=None):
        """发文确定结果，批次结束."""


class Application(ConcurrentTransitionMixin, models.Model):
    """申报: one unit's application in one batch, with the indicators of clauses 3.1.x / 3.2.x."""

    batch = models.ForeignKey(
        Batch, verbose_name="申报批次", on_delete=models.PROTECT, related_name="applications"
    )
    unit = models.ForeignKey(
        ApplicantUnit, verbose_name="申报单位", on_delete=models.PROTECT, related_name="applications"
    )
    state = FSMField("状态", default=ApplicationState.DRAFT, choices=ApplicationState.choices, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后保存时间", auto_now=True)
    # The latest (re)submission; the first one is kept apart because ties in the ranking break on the
    # earlier submission (DESIGN §6), which a resubmission after 退回修改 must not push back.
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)

    # 三（一）1 / 三（二）2 — management system and rules (declarations, with evidence).
    organisation_description = models.TextField(
        "机构设置与岗位职责", blank=True, max_length=4000, validators=[validate_plain_text]
    )
    management_structure_sound = declaration_field("具有较强的（培训组织）管理能力和高效的组织管理体系")
    has_training_rules = models.BooleanField("已建立培训管理制度", default=False)
    has_finance_rules = models.BooleanField("已建立财务管理制度", default=False)
    has_asset_rules = models.BooleanField("已建立资产管理制度", default=False)
    has_risk_rules = models.BooleanField("已建立风险管理制度", default=False)
    no_violations = models.BooleanField("遵守国家法律法规，未发生违规违纪事件", default=False)

    # 三（一）2 / 三（二）3 — premises and equipment.
    premises_meet_standards = models.BooleanField("培训场所和设施设备符合国家建设和安全标准", default=False)
    premises_description = models.TextField(
        "场所与设备情况", blank=True, max_length=4000, validators=[validate_plain_text]
    )
    facilities_meet_needs = declaration_field("具有能满足培训和评价需要的场所和设备")
    venue_capacity = count_field("可同时开展培训评价的人数", MAX_TEACHERS, "企业填写（三（二）3）")

    # Training and evaluation figures for the last year.
    trains_for_society = declaration_field("面向企业、学校和社会开展职业技能培训（和评价）")
    social_evaluation_capable = declaration_field("能承担社会化职业技能评价工作")
    annual_trainees = count_field("上年度职业培训人数")
    annual_senior_trainees = count_field("其中高级工及以上培训人数")
    annual_evaluations = count_field("上年度职业技能评价人数")

    # 三（一）3 / 三（二）3 — teachers.
    teacher_plan = models.TextField(
        "师资培养规划和实施方案", blank=True, max_length=4000, validators=[validate_plain_text]
    )
    teacher_development_plan = declaration_field(
        "有科学合理的师资培养规划和实施方案，重视专业带头人和骨干教师队伍建设"
    )
    students = count_field("在校（在训）学员人数", help_text="用于计算师生比（三（一）3）")
    teachers = count_field("专兼职教师人数", MAX_TEACHERS)
    practical_teachers = count_field("实训教师总数", MAX_TEACHERS)
    senior_practical_teachers = count_field("高级实习指导教师和具有高级技师职业资格的教师人数", MAX_TEACHERS)

    # 三（一）4 — working with the partner enterprises (the partners themselves are rows).
    joint_training_with_partners = declaration_field(
        "与合作企业共同确定专业建设、课程设置、培养计划等，聘请企业高级技师、技师和专业技术人员担任指导教师"
    )

    # 三（二）1 — the enterprise's size (derived, 国统字〔2017〕213号) and field, as of this application:
    # frozen with it at submission, whatever the unit profile says later.
    industry_category = models.CharField(
        "所属行业（统计划型标准）", max_length=30, choices=INDUSTRY_CHOICES, blank=True
    )
    employees = count_field("从业人员（人）")
    operating_revenue = amount_field("上年度营业收入（万元）")
    total_assets = amount_field("上年末资产总额（万元）")
    sector = models.CharField("所属领域", max_length=30, choices=Sector.choices, blank=True)
    industry_code = models.CharField(
        "国民经济行业分类代码", max_length=5, blank=True, validators=[INDUSTRY_CODE_VALIDATOR]
    )
    supports_skilled_talent = declaration_field("重视支持高技能人才的培养")

    # 诚信承诺.
    integrity_declared = models.BooleanField("已阅读并签署诚信承诺", default=False)
    integrity_signatory = models.CharField(
        "承诺人（法定代表人）", max_length=50, blank=True, validators=[validate_single_line_text]
    )

    # What the county decided, shown to the unit (written by review.services).
    county_comment = models.TextField("区县意见", blank=True, validators=[validate_plain_text])

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "unit"], name="one_application_per_unit_per_batch")
        ]
        verbose_name = "申报"
        verbose_name_plural = "申报"

    def __str__(self) -> str:
        return f"{self.unit}（{self.batch.year}年度）"

    @property
    def is_editable(self) -> bool:
        return self.state in ApplicationState.editable()

    # --- transitions of the unit -------------------------------------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.DRAFT, target=ApplicationState.SUBMITTED)
    def submit(self, by=None, description=None):
        self.submitted_at = timezone.now()
        if self.first_submitted_at is None:
            self.first_submitted_at = self.submitted_at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.RETURNED, target=ApplicationState.SUBMITTED)
    def resubmit(self, by=None, description=None):
        self.submitted_at = timezone.now()
        if self.first_submitted_at is None:  # submitted before the field existed and not backfilled
            self.first_submitted_at = self.submitted_at

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.withdrawable(), target=ApplicationState.WITHDRAWN)
    def withdraw(self, by=None, description=None):
        """放弃本批次申报: final for the batch (one application per unit per batch)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.recallable(), target=ApplicationState.DRAFT)
    def recall(self, by=None, description=None):
        """撤回修改: the unit takes its submission back before the deadline to change it.

        The submission is undone as a whole: both submission times are cleared, so that the times
        that count (the ranking's tie-break on the first submission, the county's judgements made
        after the latest one) are those of the submission that follows.
        """
        self.submitted_at = None
        self.first_submitted_at = None

    # --- transitions of the county (初审, clause 4.1) ----------------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.RETURNED)
    def return_for_revision(self, by=None, description=None):
        """退回修改: reopens the form for the unit until the county deadline."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.RECOMMENDED)
    def recommend(self, by=None, description=None):
        """区县推荐为候选单位."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.SUBMITTED, target=ApplicationState.COUNTY_REJECTED)
    def county_reject(self, by=None, description=None):
        """初审不通过."""

    # --- transitions of the city's expert review (评审, clause 4.2) ---------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.RECOMMENDED, target=ApplicationState.UNDER_REVIEW)
    def start_review(self, by=None, description=None):
        """进入专家评审 (the county's list reached the city)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.UNDER_REVIEW, target=ApplicationState.SHORTLISTED)
    def shortlist(self, by=None, description=None):
        """列入初选名单 (city HRSS confirmed the panel's ranking)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.UNDER_REVIEW, target=ApplicationState.NOT_SELECTED)
    def not_select(self, by=None, description=None):
        """未入选."""

    # --- transitions of the public notice and the decision (公示、发文, clauses 4 and 4.3) -------
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.SHORTLISTED, target=ApplicationState.IN_PUBLICITY)
    def publicize(self, by=None, description=None):
        """列入公示 (the city published the shortlist)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.IN_PUBLICITY, target=ApplicationState.DISQUALIFIED)
    def disqualify(self, by=None, description=None):
        """取消资格 (an objection upheld on re-examination, clause 4.3)."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ApplicationState.IN_PUBLICITY, target=ApplicationState.APPROVED)
    def approve(self, by=None, description=None):
        """认定 (the city issued the decision, 发文确定最终入选项目)."""


class Specialty(models.Model):
    """特色专业（职业、工种）with the matching training equipment (三（一）2)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="specialties")
    name = models.CharField("专业（职业、工种）名称", max_length=100, validators=[validate_single_line_text])
    equipment = models.CharField("相匹配的实训装备", max_length=300, validators=[validate_single_line_text])
    equipment_value = models.DecimalField(
        "设备总值（万元）",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        ordering = ["id"]
        verbose_name = "特色专业"
        verbose_name_plural = "特色专业"

    def __str__(self) -> str:
        return self.name


class PartnerEnterprise(models.Model):
    """合作企业 with joint curricula (三（一）4); each needs a cooperation agreement on file."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField("企业名称", max_length=100, validators=[validate_single_line_text])
    credit_code = models.CharField("统一社会信用代码", max_length=18, validators=[validate_credit_code])
    cooperation = models.CharField(
        "合作内容", max_length=300, blank=True, validators=[validate_single_line_text]
    )
    agreement = models.ForeignKey(
        "Attachment",
        verbose_name="合作协议",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "credit_code"], name="partner_listed_once")
        ]
        verbose_name = "合作企业"
        verbose_name_plural = "合作企业"

    def __str__(self) -> str:
        return self.name


POSITIVE_AMOUNT = MinValueValidator(Decimal("0.01"), "金额须大于 0。")


class TrainingFundYear(models.Model):
    """One year of an enterprise's 职工教育经费 (三（二）1): the payroll, what was drawn and what went to
    front-line staff — whether the year counts is the policy's rule (`PolicyVersion.training_fund_rule`)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="fund_years")
    year = models.PositiveSmallIntegerField("年度")
    payroll = models.DecimalField(
        "职工工资总额（万元）", max_digits=14, decimal_places=2, validators=[POSITIVE_AMOUNT]
    )
    amount_drawn = models.DecimalField(
        "实际提取职工教育经费（万元）", max_digits=12, decimal_places=2, validators=[POSITIVE_AMOUNT]
    )
    amount_frontline = models.DecimalField(
        "其中用于一线职工教育培训（万元）", max_digits=12, decimal_places=2, validators=[POSITIVE_AMOUNT]
    )

    class Meta:
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["application", "year"], name="fund_year_once")]
        verbose_name = "职工培训经费"
        verbose_name_plural = "职工培训经费"

    def __str__(self) -> str:
        return f"{self.year}年"

    def counts_under(self, rule) -> bool:
        """Drawn in full and used for front-line staff, by the policy's `TrainingFundRule`."""
        return rule.counts(self.payroll, self.amount_drawn, self.amount_frontline)


def attachment_path(instance: "Attachment", filename: str) -> str:
    """A random name under the year: the original name is kept only in the database."""
    suffix = Path(filename).suffix.lower()
    return f"evidence/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    """A piece of evidence (PDF/JPG/PNG, checked by content) belonging to one section of the form."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attachments")
    section = models.CharField("材料类别", max_length=30, choices=AttachmentSection.choices)
    file = models.FileField("文件", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=50)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        ordering = ["section", "uploaded_at"]
        verbose_name = "证明材料"
        verbose_name_plural = "证明材料"

    def __str__(self) -> str:
        return self.original_name
