"""Publicity (公示, clause 4.3): the holiday table behind working-day windows, the notice of a batch
with its frozen list, and the objections (异议) filed against it with their re-examination (复核).

Models hold data and FSM transitions that change fields only; every change goes through
`review.publicity.services` (which asks the permissions of `review.publicity.rules`).
"""

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from applications.models import Application, Batch
from shaoxing_bases.validators import validate_plain_text, validate_single_line_text

from .enums import HolidayKind, ObjectionState, PublicityState

REASONS_MAX_LENGTH = 2000
FINDINGS_MAX_LENGTH = 2000


class Holiday(models.Model):
    """One day of the State Council's yearly holiday notice: a day off (放假) or a weekend day worked
    instead (调休上班). Seeded from ``chinesecalendar`` for the years it knows; later years are entered
    by hand in the admin once the notice is out (usually in November)."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=HolidayKind.choices)
    name = models.CharField("节日", max_length=30, validators=[validate_single_line_text])

    class Meta:
        ordering = ["date"]
        verbose_name = "法定节假日安排"
        verbose_name_plural = "法定节假日安排"

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}（{self.get_kind_display()}）"


def notice_path(instance: "Publicity", filename: str) -> str:
    return f"publicity/{timezone.localdate():%Y}/{uuid.uuid4().hex}.pdf"


def evidence_path(instance: "Objection", filename: str) -> str:
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"objections/{timezone.localdate():%Y}/{uuid.uuid4().hex}.{suffix}"


class Publicity(ConcurrentTransitionMixin, models.Model):
    """公示 of one batch's shortlist: ``scheduled → open → closed → concluded``.

    The window (``starts_at`` … ``ends_at``, end exclusive, Asia/Shanghai) is computed once when the
    notice is published and never moves. The state follows the clock through the minute sweep, but
    what the public may do is decided by the clock itself (`accepts_objections`).
    """

    batch = models.OneToOneField(
        Batch, verbose_name="申报批次", on_delete=models.PROTECT, related_name="publicity"
    )
    state = FSMField("状态", default=PublicityState.SCHEDULED, choices=PublicityState.choices, protected=True)
    title = models.CharField("公示标题", max_length=100)
    starts_on = models.DateField("公示开始日期")
    days = models.PositiveSmallIntegerField(
        "公示期长度", validators=[MinValueValidator(1), MaxValueValidator(30)]
    )
    working_days = models.BooleanField("按工作日计算", default=False)
    starts_at = models.DateTimeField("公示开始时间")
    ends_at = models.DateTimeField("公示截止时间（不含）")
    contact_department = models.CharField(
        "异议受理部门", max_length=100, validators=[validate_single_line_text]
    )
    contact_phone = models.CharField("联系电话", max_length=30)
    contact_address = models.CharField("通信地址", max_length=200, validators=[validate_single_line_text])
    notice_html = models.TextField("公示文件（HTML）", blank=True)
    notice_sha256 = models.CharField("公示文件 SHA-256（HTML）", max_length=64, blank=True)
    notice_pdf = models.FileField("公示文件（PDF）", upload_to=notice_path, blank=True, max_length=200)
    pdf_sha256 = models.CharField("公示文件 SHA-256（PDF）", max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField("PDF 生成时间", null=True, blank=True)
    published_at = models.DateTimeField("发布时间", default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="发布人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opened_at = models.DateTimeField("开始公示时间", null=True, blank=True)
    closed_at = models.DateTimeField("公示期满时间", null=True, blank=True)
    concluded_at = models.DateTimeField("办结时间", null=True, blank=True)
    #: Raised by every change the public notice page shows (its cache key).
    version = models.PositiveIntegerField("页面版本", default=1)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["state", "starts_at"], name="publicity_state_start")]
        verbose_name = "公示"
        verbose_name_plural = "公示"

    def __str__(self) -> str:
        return self.title

    def is_visible(self, now: datetime | None = None) -> bool:
        """On the public pages from the first second of the window."""
        return (now or timezone.now()) >= self.starts_at

    def accepts_objections(self, now: datetime | None = None) -> bool:
        """Inside the window by the clock (never by whether the sweep has run), and not concluded."""
        now = now or timezone.now()
        return self.state != PublicityState.CONCLUDED and self.starts_at <= now < self.ends_at

    def has_ended(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.ends_at

    @property
    def last_day(self):
        """The last day of the window (the end is exclusive: 24:00 of this day)."""
        return timezone.localtime(self.ends_at - timedelta(microseconds=1)).date()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=PublicityState.SCHEDULED, target=PublicityState.OPEN)
    def open(self, by=None, description=None):
        """公示开始."""
        self.opened_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=PublicityState.OPEN, target=PublicityState.CLOSED)
    def close(self, by=None, description=None):
        """公示期满."""
        self.closed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=PublicityState.CLOSED, target=PublicityState.CONCLUDED)
    def conclude(self, by=None, description=None):
        """公示办结 (the decision follows)."""
        self.concluded_at = timezone.now()


class PublicityEntry(models.Model):
    """One line of the published list, copied when the notice was published (what was published
    never changes, whatever happens to the unit's record afterwards)."""

    publicity = models.ForeignKey(
        Publicity, verbose_name="公示", on_delete=models.CASCADE, related_name="entries"
    )
    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="publicity_entries"
    )
    position = models.PositiveSmallIntegerField("序号")
    unit_name = models.CharField("单位名称", max_length=100)
    county_name = models.CharField("所在区县", max_length=30)
    unit_type_label = models.CharField("单位类型", max_length=30)
    score = models.DecimalField("评审得分", max_digits=6, decimal_places=2, null=True, blank=True)
    votes = models.CharField("评审表决", max_length=20, blank=True)

    class Meta:
        ordering = ["publicity", "position"]
        constraints = [
            models.UniqueConstraint(fields=["publicity", "application"], name="one_entry_per_application")
        ]
        verbose_name = "公示名单"
        verbose_name_plural = "公示名单"

    def __str__(self) -> str:
        return f"{self.position}. {self.unit_name}"


class Objection(ConcurrentTransitionMixin, models.Model):
    """异议: a real-name objection to one unit of a notice, filed by the public during the window.

    ``received → under_review → upheld (the application is disqualified) | dismissed``. The filer
    follows it with the receipt number and the phone number; nobody else outside the city sees it.
    """

    publicity = models.ForeignKey(
        Publicity, verbose_name="公示", on_delete=models.PROTECT, related_name="objections"
    )
    entry = models.ForeignKey(
        PublicityEntry, verbose_name="异议对象", on_delete=models.PROTECT, related_name="objections"
    )
    receipt_no = models.CharField("受理编号", max_length=20, unique=True)
    #: The form's one-time key: a second POST of the same form (double click, a race) finds the first.
    submission_key = models.UUIDField("提交标识", unique=True)
    state = FSMField("状态", default=ObjectionState.RECEIVED, choices=ObjectionState.choices, protected=True)
    name = models.CharField("姓名", max_length=50, validators=[validate_single_line_text])
    phone = models.CharField("联系电话", max_length=20)
    organisation = models.CharField(
        "工作单位", max_length=100, blank=True, validators=[validate_single_line_text]
    )
    reasons = models.TextField(
        "异议事由", validators=[MaxLengthValidator(REASONS_MAX_LENGTH), validate_plain_text]
    )
    evidence = models.FileField("证明材料", upload_to=evidence_path, blank=True, max_length=200)
    evidence_name = models.CharField("证明材料原文件名", max_length=200, blank=True)
    evidence_type = models.CharField("证明材料类型", max_length=50, blank=True)
    evidence_size = models.PositiveIntegerField("证明材料大小（字节）", null=True, blank=True)
    evidence_sha256 = models.CharField("证明材料 SHA-256", max_length=64, blank=True)
    client_ip = models.GenericIPAddressField("提交地址", null=True, blank=True)
    filed_at = models.DateTimeField("提交时间", default=timezone.now)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核专家",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_objections",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="安排复核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField("安排复核时间", null=True, blank=True)
    assignment_note = models.CharField(
        "复核要求", max_length=300, blank=True, validators=[validate_single_line_text]
    )
    opinion = models.TextField(
        "专家复核意见", blank=True, validators=[MaxLengthValidator(FINDINGS_MAX_LENGTH), validate_plain_text]
    )
    opinion_at = models.DateTimeField("复核意见时间", null=True, blank=True)
    findings = models.TextField(
        "复核结论", blank=True, validators=[MaxLengthValidator(FINDINGS_MAX_LENGTH), validate_plain_text]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="复核结论确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("复核结论时间", null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        indexes = [models.Index(fields=["publicity", "state"], name="objection_publicity_state")]
        verbose_name = "异议"
        verbose_name_plural = "异议"

    def __str__(self) -> str:
        return f"异议 {self.receipt_no}"

    @property
    def is_resolved(self) -> bool:
        return self.state in ObjectionState.resolved()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.RECEIVED, target=ObjectionState.UNDER_REVIEW)
    def start_review(self, by=None, description=None):
        """安排复核."""
        self.assigned_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.UNDER_REVIEW, target=ObjectionState.UPHELD)
    def uphold(self, by=None, description=None):
        """异议成立: the application is disqualified."""
        self.decided_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=ObjectionState.UNDER_REVIEW, target=ObjectionState.DISMISSED)
    def dismiss(self, by=None, description=None):
        """异议不成立."""
        self.decided_at = timezone.now()


__all__ = ["Holiday", "Objection", "Publicity", "PublicityEntry", "evidence_path", "notice_path"]
