"""Training bases (实训基地) and what the city keeps about them: funding, annual reports and
assessments (clauses 2, 5 and 6 of the Measures; DESIGN section 5)."""

import uuid
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from applications.models import ApplicantUnit, Application, Batch
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.validators import validate_plain_text, validate_single_line_text

from .enums import AssessmentResult, BaseState, ExitDecision, FundingPurpose


class TrainingBase(ConcurrentTransitionMixin, models.Model):
    """市级高技能人才公共实训基地: created by the city's decision (发文) for one approved application.

    Unit, batch, county and specialties are copied from the application when the base is created, so
    the base keeps what was approved even if the unit later edits its profile."""

    application = models.OneToOneField(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="training_base"
    )
    unit = models.ForeignKey(
        ApplicantUnit, verbose_name="建设单位", on_delete=models.PROTECT, related_name="training_bases"
    )
    batch = models.ForeignKey(
        Batch, verbose_name="认定批次", on_delete=models.PROTECT, related_name="training_bases"
    )
    region = models.ForeignKey(
        Region, verbose_name="所在区县", on_delete=models.PROTECT, related_name="training_bases"
    )
    name = models.CharField("基地名称", max_length=150)
    specialties = models.TextField("特色专业（职业、工种）", blank=True)
    document_number = models.CharField("认定文号", max_length=50)
    approved_at = models.DateTimeField("认定时间")
    state = FSMField(
        "状态", max_length=20, choices=BaseState.choices, default=BaseState.ACTIVE, protected=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["region__sort_order", "name"]
        verbose_name = "实训基地"
        verbose_name_plural = "实训基地"
        indexes = [models.Index(fields=["state", "region"], name="reporting_base_state_region")]

    def __str__(self) -> str:
        return self.name

    @property
    def year(self) -> int:
        return self.batch.year

    # --- assessment outcomes (考核评估, clause 6.2) --------------------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=BaseState.ACTIVE, target=BaseState.RECTIFYING)
    def start_rectification(self, by=None, description=None):
        """限期整改."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=BaseState.RECTIFYING, target=BaseState.ACTIVE)
    def end_rectification(self, by=None, description=None):
        """整改合格，恢复正常运行."""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[BaseState.ACTIVE, BaseState.RECTIFYING], target=BaseState.EXITED)
    def exit(self, by=None, description=None):
        """退出 (decided by the city)."""


# --- funding (项目支持, clause 5.1) and assessments (考核评估, clause 6.2) -------------------------


class FundingRecord(models.Model):
    """经费支持: an amount the county's finance bureau gave one base, for one purpose, in one year
    (clause 5.1: 由属地财政给予一定经费支持). Recorded by county finance; amounts in 元."""

    base = models.ForeignKey(
        TrainingBase, verbose_name="实训基地", on_delete=models.PROTECT, related_name="funding_records"
    )
    year = models.PositiveSmallIntegerField(
        "年度", validators=[MinValueValidator(2022), MaxValueValidator(2100)]
    )
    amount = models.DecimalField(
        "金额（元）",
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"), "金额须大于 0 元。")],
    )
    purpose = models.CharField("用途", max_length=30, choices=FundingPurpose.choices)
    document_reference = models.CharField(
        "拨款文件文号", max_length=100, validators=[validate_single_line_text]
    )
    note = models.CharField("说明", max_length=300, blank=True, validators=[validate_single_line_text])
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-year", "-recorded_at", "-pk"]
        verbose_name = "经费支持记录"
        verbose_name_plural = "经费支持记录"
        indexes = [models.Index(fields=["base", "year"], name="reporting_funding_base_year")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="funding_amount_positive")
        ]

    def __str__(self) -> str:
        return f"{self.base}：{self.year}年{self.get_purpose_display()}{self.amount}元"


def assessment_file_path(instance: "Assessment", filename: str) -> str:
    """A random name under the year: the uploader's file name is kept only in the database."""
    suffix = Path(filename).suffix.lower()
    return f"assessments/{timezone.now():%Y}/{uuid.uuid4().hex}{suffix}"


class Assessment(models.Model):
    """考核评估 of one base (clause 6.2), by its county HRSS or by the city HRSS.

    整改 puts the base into rectification until ``rectification_deadline``; the rectification stays
    open (``rectification_closed_at`` empty) until a follow-up assessment (``follow_up_of``) passes
    or concludes otherwise. 退出 is a proposal the city decides (``exit_decision``); approving it
    allocates the notice's number and stores the exit notice PDF.
    """

    base = models.ForeignKey(
        TrainingBase, verbose_name="实训基地", on_delete=models.PROTECT, related_name="assessments"
    )
    assessed_on = models.DateField("考核日期")
    scope = models.TextField("考核范围和内容", max_length=2000, validators=[validate_plain_text])
    findings = models.TextField("考核发现", max_length=4000, validators=[validate_plain_text])
    result = models.CharField("考核结论", max_length=20, choices=AssessmentResult.choices)
    reasons = models.TextField(
        "整改或退出理由", blank=True, max_length=4000, validators=[validate_plain_text]
    )
    rectification_deadline = models.DateField("整改期限", null=True, blank=True)
    rectification_closed_at = models.DateTimeField("整改结束时间", null=True, blank=True)
    follow_up_of = models.ForeignKey(
        "self",
        verbose_name="复查的整改",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    #: How many of the reminders before the deadline went out (settings.BASE_RECTIFICATION_REMINDER_DAYS).
    reminders_sent = models.PositiveSmallIntegerField("已发送整改提醒", default=0)
    overdue_notified_at = models.DateTimeField("整改逾期通知时间", null=True, blank=True)

    evidence = models.FileField("证明材料", upload_to=assessment_file_path, blank=True, max_length=200)
    evidence_name = models.CharField("证明材料原文件名", max_length=200, blank=True)
    evidence_content_type = models.CharField("证明材料类型", max_length=50, blank=True)
    evidence_sha256 = models.CharField("证明材料 SHA-256", max_length=64, blank=True)

    exit_decision = models.CharField(
        "退出决定", max_length=20, choices=ExitDecision.choices, blank=True, default=""
    )
    exit_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="退出决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    exit_decided_at = models.DateTimeField("退出决定时间", null=True, blank=True)
    exit_decision_comment = models.TextField(
        "市人力社保局意见", blank=True, max_length=2000, validators=[validate_plain_text]
    )
    exit_document_number = models.CharField("退出通知文号", max_length=50, blank=True)
    exit_notice = models.FileField("退出通知", upload_to=assessment_file_path, blank=True, max_length=200)
    exit_notice_sha256 = models.CharField("退出通知 SHA-256", max_length=64, blank=True)

    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    recorded_by_organisation = models.CharField("考核单位", max_length=50)
    recorded_at = models.DateTimeField("登记时间", auto_now_add=True)

    class Meta:
        ordering = ["-assessed_on", "-recorded_at", "-pk"]
        verbose_name = "考核评估"
        verbose_name_plural = "考核评估"
        indexes = [
            models.Index(
                fields=["result", "rectification_deadline"],
                name="reporting_assess_open_rect",
                condition=models.Q(result="rectify", rectification_closed_at__isnull=True),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["base"],
                condition=models.Q(exit_decision="proposed"),
                name="one_pending_exit_per_base",
            ),
            models.UniqueConstraint(
                fields=["base"],
                condition=models.Q(result="rectify", rectification_closed_at__isnull=True),
                name="one_open_rectification_per_base",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.base}：{self.assessed_on:%Y-%m-%d}考核（{self.get_result_display()}）"

    @property
    def is_open_rectification(self) -> bool:
        return self.result == AssessmentResult.RECTIFY and self.rectification_closed_at is None

    @property
    def exit_pending(self) -> bool:
        return self.exit_decision == ExitDecision.PROPOSED


from .annual.models import AnnualReport, AnnualReportingYear, AnnualReportNotice  # noqa: E402, F401
