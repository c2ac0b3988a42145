"""The decision (发文, clause 4.3) with its frozen list, approval letters and notification outbox.

Models hold data and FSM transitions that change fields only; every change goes through
`review.decisions.services` (which asks the permissions of `review.decisions.rules`).
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
from shaoxing_bases.validators import validate_plain_text, validate_single_line_text

from .enums import DecisionState, OutboxKind

TITLE_MAX_LENGTH = 120
BODY_MAX_LENGTH = 5000
REASON_MAX_LENGTH = 1000


def document_path(instance: models.Model, filename: str) -> str:
    """A random name under the year in Shanghai; downloads get a readable Chinese name."""
    return f"decisions/{timezone.localdate():%Y}/{uuid.uuid4().hex}.pdf"


def _user_field(verbose_name: str) -> models.ForeignKey:
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=verbose_name,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )


class Decision(ConcurrentTransitionMixin, models.Model):
    """认定文件 of one batch: ``draft → cosigned → issued``; finance may send it back to the draft.

    The list of bases is not typed in: it is the batch's applications still in publicity, frozen into
    `DecisionItem` rows when the decision is issued. What finance co-signed is kept
    (``cosigned_list``), so a list that changed after the co-signature cannot be issued unseen.
    """

    batch = models.OneToOneField(
        Batch, verbose_name="申报批次", on_delete=models.PROTECT, related_name="decision"
    )
    state = FSMField("状态", default=DecisionState.DRAFT, choices=DecisionState.choices, protected=True)
    title = models.CharField("标题", max_length=TITLE_MAX_LENGTH, validators=[validate_single_line_text])
    body = models.TextField("正文", validators=[MaxLengthValidator(BODY_MAX_LENGTH), validate_plain_text])
    decision_date = models.DateField("成文日期")
    drafted_by = _user_field("起草人")
    drafted_at = models.DateTimeField("起草时间", null=True, blank=True)
    cosigned_by = _user_field("会签人")
    cosigned_at = models.DateTimeField("会签时间", null=True, blank=True)
    finance_comment = models.TextField(
        "会签意见", blank=True, validators=[MaxLengthValidator(REASON_MAX_LENGTH), validate_plain_text]
    )
    cosigned_list = models.JSONField("会签时的名单", default=list, blank=True)
    declined_reason = models.TextField(
        "退回理由", blank=True, validators=[MaxLengthValidator(REASON_MAX_LENGTH), validate_plain_text]
    )
    declined_by = _user_field("退回人")
    declined_at = models.DateTimeField("退回时间", null=True, blank=True)
    issued_by = _user_field("印发人")
    issued_at = models.DateTimeField("印发时间", null=True, blank=True)
    document_number = models.CharField("发文字号", max_length=40, blank=True)
    pdf = models.FileField("认定文件 PDF", upload_to=document_path, blank=True, max_length=200)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    pdf_rendered_at = models.DateTimeField("PDF 生成时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        ordering = ["-batch__year"]
        constraints = [
            models.UniqueConstraint(
                fields=["document_number"],
                condition=~models.Q(document_number=""),
                name="decision_number_unique",
            )
        ]
        verbose_name = "认定文件"
        verbose_name_plural = "认定文件"

    def __str__(self) -> str:
        return self.document_number or f"{self.batch.year}年度认定文件（{self.get_state_display()}）"

    @property
    def is_issued(self) -> bool:
        return self.state == DecisionState.ISSUED

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=DecisionState.DRAFT, target=DecisionState.COSIGNED)
    def cosign(self, by=None, description=None):
        """市财政局会签."""
        self.cosigned_by = by
        self.cosigned_at = timezone.now()
        self.finance_comment = description or ""
        self.declined_reason = ""

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=(DecisionState.DRAFT, DecisionState.COSIGNED), target=DecisionState.DRAFT)
    def decline(self, by=None, description=None):
        """市财政局退回 (also withdraws a co-signature given before the issue)."""
        self.declined_reason = description or ""
        self.declined_by = by
        self.declined_at = timezone.now()
        self.cosigned_by = None
        self.cosigned_at = None
        self.finance_comment = ""
        self.cosigned_list = []

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=DecisionState.COSIGNED, target=DecisionState.ISSUED)
    def issue(self, by=None, description=None):
        """印发 (the number is allocated by the service, in the same transaction)."""
        self.issued_by = by
        self.issued_at = timezone.now()


class DecisionItem(models.Model):
    """One base on the issued decision's list (附件), in the order printed."""

    decision = models.ForeignKey(
        Decision, verbose_name="认定文件", on_delete=models.CASCADE, related_name="items"
    )
    application = models.OneToOneField(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="decision_item"
    )
    position = models.PositiveSmallIntegerField("序号")

    class Meta:
        ordering = ["decision", "position"]
        constraints = [models.UniqueConstraint(fields=["decision", "position"], name="one_item_per_position")]
        verbose_name = "认定名单"
        verbose_name_plural = "认定名单"

    def __str__(self) -> str:
        return f"{self.position}. {self.application.unit}"


class ApprovalLetter(models.Model):
    """The letter telling one unit it was approved (认定通知书), numbered when the decision is issued
    and rendered once by a task."""

    decision = models.ForeignKey(
        Decision, verbose_name="认定文件", on_delete=models.CASCADE, related_name="letters"
    )
    application = models.OneToOneField(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="approval_letter"
    )
    number = models.CharField("发文字号", max_length=40, unique=True)
    pdf = models.FileField("PDF", upload_to=document_path, blank=True, max_length=200)
    pdf_sha256 = models.CharField("PDF SHA-256", max_length=64, blank=True)
    rendered_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        ordering = ["decision", "number"]
        verbose_name = "认定通知书"
        verbose_name_plural = "认定通知书"

    def __str__(self) -> str:
        return f"{self.application.unit}认定通知书（{self.number}）"


class OutboxMessage(models.Model):
    """A notification of the issued decision, held until city staff release it (DESIGN §8)."""

    decision = models.ForeignKey(
        Decision, verbose_name="认定文件", on_delete=models.CASCADE, related_name="outbox"
    )
    kind = models.CharField("收件方", max_length=10, choices=OutboxKind.choices)
    application = models.ForeignKey(
        Application, verbose_name="申报", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    region = models.ForeignKey(
        Region, verbose_name="区县", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    url = models.CharField("链接", max_length=500, blank=True)
    released_at = models.DateTimeField("发送时间", null=True, blank=True)
    released_by = _user_field("发送人")
    recipients = models.PositiveIntegerField("收件人数", default=0)

    class Meta:
        ordering = ["decision", "kind", "pk"]
        verbose_name = "待发通知"
        verbose_name_plural = "待发通知"

    def __str__(self) -> str:
        return self.title
