"""County first-round screening (初审, clause 4.1): clause judgements, the county's recommendation
list with the finance co-signature, its letter, and the deadline reminders.

Models hold data and FSM transitions that change fields only; every change goes through
`review.screening.services` (which asks the permissions of `review.screening.rules`).
"""

import uuid

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from applications.models import Application, Batch
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.validators import validate_plain_text

from .enums import JudgementOutcome, RecommendationState, ReminderKind

OPINION_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 1000


class ClauseJudgement(models.Model):
    """The county reviewer's call on one criterion the auto-check left to judgement (待评审判断).

    One row per application and criterion; judging again updates the row (and the audit trail
    keeps the earlier call).
    """

    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="clause_judgements"
    )
    key = models.CharField("判定项", max_length=50)
    clause = models.CharField("条款", max_length=10)
    outcome = models.CharField("判断结果", max_length=20, choices=JudgementOutcome.choices)
    note = models.TextField(
        "说明", blank=True, validators=[MaxLengthValidator(NOTE_MAX_LENGTH), validate_plain_text]
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="判断人", on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField("判断时间", default=timezone.now)

    class Meta:
        ordering = ["application", "clause", "key"]
        constraints = [
            models.UniqueConstraint(fields=["application", "key"], name="one_judgement_per_criterion")
        ]
        verbose_name = "条款人工判断"
        verbose_name_plural = "条款人工判断"

    def __str__(self) -> str:
        return f"{self.application_id} {self.key}：{self.get_outcome_display()}"


def letter_path(instance: "Recommendation", filename: str) -> str:
    """A random name under the year in Shanghai (not UTC, whose year ends eight hours later): the
    download view gives the file its readable Chinese name."""
    return f"letters/{timezone.localdate():%Y}/{uuid.uuid4().hex}.pdf"


class Recommendation(ConcurrentTransitionMixin, models.Model):
    """区县推荐: one county's list of candidate units for one batch, with its letter (推荐函).

    ``draft → awaiting_cosign → cosigned → submitted_to_city``; county finance may send the list
    back to the draft from ``awaiting_cosign`` or ``cosigned``, county HRSS may recall it while it
    awaits the co-signature.
    """

    batch = models.ForeignKey(
        Batch, verbose_name="申报批次", on_delete=models.PROTECT, related_name="recommendations"
    )
    region = models.ForeignKey(
        Region, verbose_name="区县", on_delete=models.PROTECT, related_name="recommendations"
    )
    state = FSMField(
        "状态", default=RecommendationState.DRAFT, choices=RecommendationState.choices, protected=True
    )
    finance_comment = models.TextField(
        "财政部门意见", blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH), validate_plain_text]
    )
    cosigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="会签人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    cosigned_at = models.DateTimeField("会签时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    letter = models.FileField("推荐函", upload_to=letter_path, blank=True, max_length=200)
    letter_sha256 = models.CharField("推荐函 SHA-256", max_length=64, blank=True)
    letter_rendered_at = models.DateTimeField("推荐函生成时间", null=True, blank=True)
    letter_number = models.CharField("推荐函发文字号", max_length=40, blank=True)
    # The letter printed, signed and stamped by both bureaus, scanned back (PDF, content-checked).
    signed_scan = models.FileField("盖章扫描件", upload_to=letter_path, blank=True, max_length=200)
    signed_scan_sha256 = models.CharField("盖章扫描件 SHA-256", max_length=64, blank=True)
    signed_scan_uploaded_at = models.DateTimeField("扫描件上传时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        ordering = ["-batch__year", "region__sort_order"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "region"], name="one_recommendation_per_county")
        ]
        verbose_name = "区县推荐"
        verbose_name_plural = "区县推荐"

    def __str__(self) -> str:
        return f"{self.region}{self.batch.year}年度推荐名单"

    @property
    def is_editable(self) -> bool:
        return self.state in RecommendationState.editable()

    @property
    def is_submitted(self) -> bool:
        return self.state == RecommendationState.SUBMITTED_TO_CITY

    @property
    def submitted_late(self) -> bool:
        return bool(self.submitted_at and self.submitted_at > self.batch.screening_deadline)

    @property
    def has_letter(self) -> bool:
        return bool(self.letter)

    # --- county HRSS ---------------------------------------------------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=RecommendationState.DRAFT,
        target=RecommendationState.AWAITING_COSIGN,
    )
    def request_cosign(self, by=None, description=None):
        """提请财政会签. A reason finance gave when it last sent the list back is not this request's
        opinion: it is cleared here (the transition log keeps it)."""
        self.finance_comment = ""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=RecommendationState.AWAITING_COSIGN,
        target=RecommendationState.DRAFT,
    )
    def recall(self, by=None, description=None):
        """撤回会签申请 (before finance has signed)."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=RecommendationState.COSIGNED,
        target=RecommendationState.SUBMITTED_TO_CITY,
    )
    def submit_to_city(self, by=None, description=None):
        """报送市人力社保局."""
        self.submitted_by = by
        self.submitted_at = timezone.now()

    # --- county finance -------------------------------------------------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=RecommendationState.AWAITING_COSIGN,
        target=RecommendationState.COSIGNED,
    )
    def cosign(self, by=None, description=None):
        """财政会签."""
        self.cosigned_by = by
        self.cosigned_at = timezone.now()
        self.finance_comment = description or ""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=(RecommendationState.AWAITING_COSIGN, RecommendationState.COSIGNED),
        target=RecommendationState.DRAFT,
    )
    def send_back(self, by=None, description=None):
        """财政退回 (also withdraws an earlier co-signature so the list can be edited again)."""
        self.cosigned_by = None
        self.cosigned_at = None
        self.finance_comment = description or ""


class RecommendationEntry(models.Model):
    """One candidate on a county's list: its rank and the county's short opinion (推荐意见)."""

    recommendation = models.ForeignKey(
        Recommendation, verbose_name="推荐名单", on_delete=models.CASCADE, related_name="entries"
    )
    application = models.OneToOneField(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="recommendation_entry"
    )
    rank = models.PositiveSmallIntegerField("推荐顺序")
    opinion = models.TextField(
        "推荐意见", validators=[MaxLengthValidator(OPINION_MAX_LENGTH), validate_plain_text]
    )

    class Meta:
        ordering = ["recommendation", "rank", "id"]
        verbose_name = "推荐名单条目"
        verbose_name_plural = "推荐名单条目"

    def __str__(self) -> str:
        return f"{self.rank}. {self.application.unit}"


class FinanceOpinion(models.Model):
    """County finance's opinion on one application (区县人力社保部门会同财政部门进行初审, clause 4.1).

    Optional; shown to county HRSS beside the application and printed in the recommendation
    letter's annex. One per application: giving it again replaces it (the audit trail keeps the
    earlier text).
    """

    application = models.OneToOneField(
        Application, verbose_name="申报", on_delete=models.CASCADE, related_name="finance_opinion"
    )
    opinion = models.TextField(
        "财政部门意见", validators=[MaxLengthValidator(OPINION_MAX_LENGTH), validate_plain_text]
    )
    given_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    given_at = models.DateTimeField("提出时间", default=timezone.now)

    class Meta:
        verbose_name = "财政部门初审意见"
        verbose_name_plural = "财政部门初审意见"

    def __str__(self) -> str:
        return f"{self.application}：{self.opinion[:20]}"


class ScreeningReminder(models.Model):
    """One reminder sent to a county before the screening deadline; the unique row makes the sweep
    send each kind once, however often it runs."""

    batch = models.ForeignKey(Batch, verbose_name="申报批次", on_delete=models.CASCADE, related_name="+")
    region = models.ForeignKey(Region, verbose_name="区县", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("提醒类型", max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)
    recipients = models.PositiveSmallIntegerField("接收人数", default=0)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "region", "kind"], name="one_screening_reminder_per_kind"
            )
        ]
        verbose_name = "初审截止提醒"
        verbose_name_plural = "初审截止提醒"

    def __str__(self) -> str:
        return f"{self.region} {self.get_kind_display()}"
