"""The annual report of a training base (年度报告, clause 6.3) and the December timers' markers.

Models hold data and FSM transitions that change fields only; every change goes through
``reporting.annual.services`` (which asks the permissions of ``reporting.annual.rules``).
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from shaoxing_bases.validators import validate_plain_text

from ..models import TrainingBase
from .enums import NoticeKind, ReportState

TEXT_MAX_LENGTH = 3000
COMMENT_MAX_LENGTH = 1000
NON_NEGATIVE = [MinValueValidator(0, "不能为负数。")]
NON_NEGATIVE_AMOUNT = [MinValueValidator(Decimal("0"), "金额不能为负数。")]


def _count(label: str) -> models.PositiveIntegerField:
    return models.PositiveIntegerField(label, default=0, validators=NON_NEGATIVE)


def _amount(label: str, **kwargs) -> models.DecimalField:
    kwargs.setdefault("default", Decimal("0"))
    return models.DecimalField(
        label, max_digits=14, decimal_places=2, validators=NON_NEGATIVE_AMOUNT, **kwargs
    )


def _text(label: str) -> models.TextField:
    return models.TextField(
        label, blank=True, validators=[MaxLengthValidator(TEXT_MAX_LENGTH), validate_plain_text]
    )


def archive_path(instance: "AnnualReport", filename: str) -> str:
    """A random name under the report's year: the download view gives the readable Chinese name."""
    return f"annual-reports/{instance.year}/{uuid.uuid4().hex}.pdf"


class AnnualReportingYear(models.Model):
    """One reporting year opened (by the 1 December timer or by city HRSS by hand): the stored marker
    that makes the opening happen once, and the year's late windows are measured against."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    opened_at = models.DateTimeField("开启时间", default=timezone.now)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="开启人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-year"]
        verbose_name = "年度报告填报年度"
        verbose_name_plural = "年度报告填报年度"

    def __str__(self) -> str:
        return f"{self.year}年度"


class AnnualReport(ConcurrentTransitionMixin, models.Model):
    """年度报告: one per training base and year — this year's work (the functions of clause 2 and the
    trainings of clause 5.2), the funds used by purpose, problems, and next year's plan."""

    base = models.ForeignKey(
        TrainingBase, verbose_name="实训基地", on_delete=models.PROTECT, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField("年度")
    state = FSMField(
        "状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT, protected=True
    )

    # --- 二、功能定位: training by level, evaluation, competitions, courses, exchanges -----------------
    trainees_total = _count("年度职业培训总人数")
    trainees_senior_worker = _count("其中高级工培训人数")
    trainees_technician = _count("其中技师培训人数")
    trainees_senior_technician = _count("其中高级技师培训人数")
    evaluations = _count("年度技能评价人数")
    competitions_held = _count("举办职业技能竞赛（场）")
    competition_participants = _count("竞赛参赛人数")
    courses_developed = _count("开发培训和研修课程（门）")
    materials_developed = _count("开发教材（种）")
    exchanges_held = _count("高技能成果交流展示活动（场）")
    work_summary = _text("工作开展情况")

    # --- 五（二）: trainings hosted at the base -------------------------------------------------------
    trained_teachers = _count("高技能人才师资培训人数")
    trained_managers = _count("职业培训管理人员培训人数")
    trained_assessors = _count("职业技能评价考评人员培训人数")
    trained_supervisors = _count("质量督导人员培训人数")

    # --- 五（一）: funds used by purpose (元) -------------------------------------------------------------
    funds_received = _amount("本年度到位扶持资金（元）", null=True, blank=True, default=None)
    funds_equipment = _amount("实训设备购置改造与维护（元）")
    funds_infrastructure = _amount("培训基础设施完善（元）")
    funds_teacher_training = _amount("师资培训（元）")
    funds_other = _amount("其他（元）")

    problems = _text("存在问题")

    # --- 第二年工作计划 -------------------------------------------------------------------------------------
    plan_summary = _text("下一年度工作计划")
    target_trainees = _count("计划培训人数")
    target_senior_trainees = _count("其中计划高级工及以上培训人数")
    target_evaluations = _count("计划技能评价人数")
    target_competitions = _count("计划举办竞赛（场）")
    target_courses = _count("计划开发课程（门）")

    # --- the workflow -----------------------------------------------------------------------------
    below_threshold = models.BooleanField("未达到认定条件", default=False)
    threshold_notes = models.TextField("未达标说明", blank=True)
    county_comment = models.TextField(
        "区县审核意见", blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH), validate_plain_text]
    )
    city_note = models.TextField(
        "市人力社保局意见",
        blank=True,
        validators=[MaxLengthValidator(COMMENT_MAX_LENGTH), validate_plain_text],
    )
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    county_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="区县审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    county_reviewed_at = models.DateTimeField("区县审核时间", null=True, blank=True)
    city_received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="市级备案人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    city_received_at = models.DateTimeField("市级备案时间", null=True, blank=True)
    overdue_at = models.DateTimeField("逾期时间", null=True, blank=True)
    late_until = models.DateTimeField("补报截止时间", null=True, blank=True)
    archive = models.FileField("存档PDF", upload_to=archive_path, blank=True, max_length=200)
    archive_sha256 = models.CharField("存档PDF SHA-256", max_length=64, blank=True)
    archive_rendered_at = models.DateTimeField("存档生成时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        ordering = ["-year", "base__region__sort_order", "base__name"]
        constraints = [
            models.UniqueConstraint(fields=["base", "year"], name="one_annual_report_per_base_year")
        ]
        indexes = [models.Index(fields=["year", "state"], name="reporting_annual_year_state")]
        verbose_name = "年度报告"
        verbose_name_plural = "年度报告"

    def __str__(self) -> str:
        return f"{self.base}{self.year}年度报告"

    @property
    def is_editable(self) -> bool:
        return self.state in ReportState.editable()

    @property
    def senior_trainees(self) -> int:
        """高级工及以上: the three levels of clause 2 together (三（一）2 / 三（二）3 count them so)."""
        return self.trainees_senior_worker + self.trainees_technician + self.trainees_senior_technician

    @property
    def funds_used(self) -> Decimal:
        return (
            self.funds_equipment + self.funds_infrastructure + self.funds_teacher_training + self.funds_other
        )

    @property
    def funds_exceed_received(self) -> bool:
        """Warned, never refused: money from other sources may have been spent too."""
        return self.funds_received is not None and self.funds_used > self.funds_received

    @property
    def is_overdue(self) -> bool:
        return self.overdue_at is not None

    # --- the base ---------------------------------------------------------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=[ReportState.DRAFT, ReportState.RETURNED], target=ReportState.SUBMITTED)
    def submit(self, by=None, description=None):
        """提交区县审核."""
        self.submitted_at = timezone.now()

    # --- county HRSS ------------------------------------------------------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.RETURNED)
    def return_to_base(self, by=None, description=None):
        """退回修改."""
        self.county_comment = description or ""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ReportState.SUBMITTED, target=ReportState.COUNTY_APPROVED)
    def county_approve(self, by=None, description=None):
        """审核通过，报送市人力社保局."""
        self.county_comment = description or ""
        self.county_reviewed_by = by
        self.county_reviewed_at = timezone.now()

    # --- city HRSS --------------------------------------------------------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ReportState.COUNTY_APPROVED, target=ReportState.CITY_RECEIVED)
    def city_receive(self, by=None, description=None):
        """备案."""
        self.city_note = description or ""
        self.city_received_by = by
        self.city_received_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ReportState.COUNTY_APPROVED, target=ReportState.SUBMITTED)
    def city_query(self, by=None, description=None):
        """提出问题，退回区县 (the county answers: returns it to the base or approves it again)."""
        self.city_note = description or ""
        self.county_reviewed_by = None
        self.county_reviewed_at = None


class AnnualReportNotice(models.Model):
    """One December message sent about a report; the unique row makes the sweep send it once."""

    report = models.ForeignKey(
        AnnualReport, verbose_name="年度报告", on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField("通知类型", max_length=20, choices=NoticeKind.choices)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["report", "kind"], name="one_annual_notice_per_kind")]
        verbose_name = "年度报告通知"
        verbose_name_plural = "年度报告通知"

    def __str__(self) -> str:
        return f"{self.report_id} {self.get_kind_display()}"
