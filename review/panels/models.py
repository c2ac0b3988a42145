"""Expert review (评审, clause 4.2): the expert pool, the panel of a batch with its draws, the rubric,
the score sheets with their declarations, the reminders and the confirmed ranking.

Models hold data and FSM transitions that change fields only; every change goes through
`review.panels.services` (which asks the permissions of `review.panels.rules`).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from applications.models import Application, Batch
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.validators import validate_credit_code

from .enums import (
    DrawPurpose,
    MemberKind,
    PanelState,
    RecusalReason,
    ReminderKind,
    ReviewMode,
    SheetState,
    Vote,
)

COMMENT_MAX_LENGTH = 2000
MAX_INDICATOR_POINTS = Decimal(100)


class Expert(models.Model):
    """专家库: one expert the city may draw onto a panel. An expert signs in with an ``expert``
    account (``user``); one without an account cannot be drawn."""

    name = models.CharField("姓名", max_length=50)
    employer = models.CharField("工作单位", max_length=100)
    employer_credit_code = models.CharField(
        "工作单位统一社会信用代码",
        max_length=18,
        blank=True,
        validators=[validate_credit_code],
        help_text="已知时填写；与申报单位相同时系统自动回避。",
    )
    title = models.CharField("职称/职业资格", max_length=50)
    specialties = models.CharField("专业领域", max_length=200, help_text="多个领域用顿号“、”分隔。")
    region = models.ForeignKey(
        Region, verbose_name="所在区县", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField("手机号码", max_length=20, blank=True)
    active = models.BooleanField("在库（可抽取）", default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="登录账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="expert_profile",
    )
    created_at = models.DateTimeField("入库时间", auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = "评审专家"
        verbose_name_plural = "专家库"

    def __str__(self) -> str:
        return self.name

    @property
    def specialty_list(self) -> list[str]:
        return [item.strip() for item in self.specialties.replace(",", "、").split("、") if item.strip()]


class Panel(ConcurrentTransitionMixin, models.Model):
    """评审组 of one batch: city HRSS and city finance staff plus drawn experts (clause 4.2).

    ``forming → scoring → closed → confirmed``. Created when the batch enters expert review, with the
    default rubric; the rubric and the members change only while forming.
    """

    batch = models.OneToOneField(
        Batch, verbose_name="申报批次", on_delete=models.PROTECT, related_name="panel"
    )
    state = FSMField("状态", default=PanelState.FORMING, choices=PanelState.choices, protected=True)
    mode = models.CharField("评审方式", max_length=10, choices=ReviewMode.choices, default=ReviewMode.SCORE)
    opened_at = models.DateTimeField("开始评审时间", null=True, blank=True)
    closed_at = models.DateTimeField("评审结束时间", null=True, blank=True)
    confirmed_at = models.DateTimeField("初选名单确认时间", null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmation_comment = models.TextField(
        "确认意见", blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)]
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        ordering = ["-batch__year"]
        verbose_name = "评审组"
        verbose_name_plural = "评审组"

    def __str__(self) -> str:
        return f"{self.batch.year}年度评审组"

    @property
    def is_forming(self) -> bool:
        return self.state == PanelState.FORMING

    @property
    def is_finished(self) -> bool:
        return self.state in PanelState.finished()

    @property
    def votes(self) -> bool:
        return self.mode == ReviewMode.VOTE

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=PanelState.FORMING, target=PanelState.SCORING)
    def open_scoring(self, by=None, description=None):
        """开始评审: the rubric is locked and the experts get their sheets."""
        self.opened_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=PanelState.SCORING, target=PanelState.CLOSED)
    def close(self, by=None, description=None):
        """评审结束: every sheet is in; the scores become visible to the panel."""
        self.closed_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=PanelState.CLOSED, target=PanelState.CONFIRMED)
    def confirm(self, by=None, description=None):
        """确认初选名单."""
        self.confirmed_at = timezone.now()
        self.confirmed_by = by
        self.confirmation_comment = description or ""


class Draw(models.Model):
    """One random draw from the pool, kept so that anyone can replay it: the pool as it stood (expert
    ids), the seed, and who came out. The order is SHA-256(seed:id) ascending (`review.panels.draws`)."""

    panel = models.ForeignKey(Panel, verbose_name="评审组", on_delete=models.CASCADE, related_name="draws")
    purpose = models.CharField("抽取类型", max_length=20, choices=DrawPurpose.choices)
    specialty = models.CharField("专业领域", max_length=50, blank=True)
    requested = models.PositiveSmallIntegerField("抽取人数")
    seed = models.CharField("随机种子", max_length=64)
    pool = models.JSONField("候选专家（编号）", default=list)
    drawn = models.JSONField("抽中专家（编号，按顺序）", default=list)
    for_application = models.ForeignKey(
        Application,
        verbose_name="替补对应申报",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="抽取人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField("抽取时间", default=timezone.now)

    class Meta:
        ordering = ["panel", "drawn_at", "pk"]
        verbose_name = "专家抽取记录"
        verbose_name_plural = "专家抽取记录"

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} {self.drawn_at:%Y-%m-%d %H:%M}"


class PanelMember(models.Model):
    """One member of a panel: an expert (drawn, or added by hand) or a member of city staff.

    A replacement expert drawn after a recusal scores only ``for_application``.
    """

    panel = models.ForeignKey(Panel, verbose_name="评审组", on_delete=models.CASCADE, related_name="members")
    kind = models.CharField("成员类别", max_length=20, choices=MemberKind.choices)
    expert = models.ForeignKey(
        Expert,
        verbose_name="专家",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="工作人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    manual = models.BooleanField("人工添加", default=False)
    draw = models.ForeignKey(
        Draw, verbose_name="抽取记录", null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    for_application = models.ForeignKey(
        Application, verbose_name="仅评审", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="添加人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_at = models.DateTimeField("加入时间", default=timezone.now)

    class Meta:
        ordering = ["panel", "kind", "added_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "expert"],
                name="expert_once_per_panel",
                condition=models.Q(expert__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["panel", "user"], name="staff_once_per_panel", condition=models.Q(user__isnull=False)
            ),
        ]
        verbose_name = "评审组成员"
        verbose_name_plural = "评审组成员"

    def __str__(self) -> str:
        return str(self.expert or self.user)

    @property
    def name(self) -> str:
        return self.expert.name if self.expert else str(self.user)

    @property
    def how_joined(self) -> str:
        if self.kind != MemberKind.EXPERT:
            return "人工添加"
        if self.manual:
            return "人工添加"
        return "回避替补抽取" if self.for_application_id else "随机抽取"


class RubricIndicator(models.Model):
    """评分细则: one indicator of a batch's rubric, with its range, clauses, guidance and evidence."""

    panel = models.ForeignKey(
        Panel, verbose_name="评审组", on_delete=models.CASCADE, related_name="indicators"
    )
    order = models.PositiveSmallIntegerField("序号")
    key = models.SlugField("标识", max_length=40)
    name = models.CharField("评分指标", max_length=60)
    clauses = models.CharField("对应条款", max_length=60, blank=True)
    max_points = models.DecimalField(
        "分值",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_INDICATOR_POINTS)],
    )
    guidance = models.TextField("评分说明", blank=True, validators=[MaxLengthValidator(1000)])
    evidence_sections = models.JSONField("对应证明材料类别", default=list, blank=True)
    training_scale = models.BooleanField("属培训规模指标（同分时优先比较）", default=False)

    class Meta:
        ordering = ["panel", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["panel", "key"], name="indicator_key_once_per_rubric")]
        verbose_name = "评分指标"
        verbose_name_plural = "评分细则"

    def __str__(self) -> str:
        return f"{self.name}（{self.points_label}分）"

    @property
    def points_label(self) -> str:
        """The maximum as people write it: 15, 8.5 (not 15.00, 8.50)."""
        return plain_number(self.max_points)


def plain_number(value: Decimal) -> str:
    """A Decimal without trailing zeros or an exponent: 12.00 → "12", 8.50 → "8.5"."""
    return f"{value.normalize():f}"


class ScoreSheet(ConcurrentTransitionMixin, models.Model):
    """评分表: one expert's sheet for one application.

    ``assigned → declared (no conflict) | recused → submitted``. The expert sees the application only
    once declared; a submitted sheet is locked; scores stay hidden from other experts until the
    panel closes.
    """

    panel = models.ForeignKey(Panel, verbose_name="评审组", on_delete=models.CASCADE, related_name="sheets")
    member = models.ForeignKey(
        PanelMember, verbose_name="评审专家", on_delete=models.PROTECT, related_name="sheets"
    )
    application = models.ForeignKey(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="score_sheets"
    )
    state = FSMField("状态", default=SheetState.ASSIGNED, choices=SheetState.choices, protected=True)
    declaration = models.JSONField("无利害关系声明", default=dict, blank=True)
    declared_at = models.DateTimeField("声明时间", null=True, blank=True)
    recusal_reason = models.CharField("回避情形", max_length=20, choices=RecusalReason.choices, blank=True)
    recusal_note = models.CharField("回避说明", max_length=300, blank=True)
    recused_at = models.DateTimeField("回避时间", null=True, blank=True)
    comment = models.TextField("评审意见", blank=True, validators=[MaxLengthValidator(COMMENT_MAX_LENGTH)])
    vote = models.CharField("表决意见", max_length=10, choices=Vote.choices, blank=True)
    total = models.DecimalField("总分", max_digits=6, decimal_places=2, null=True, blank=True)
    training_scale_total = models.DecimalField(
        "培训规模指标得分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    saved_at = models.DateTimeField("最后保存时间", null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)

    class Meta:
        ordering = ["panel", "application", "member"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "application"], name="one_sheet_per_expert_and_application"
            )
        ]
        indexes = [models.Index(fields=["panel", "state"], name="sheet_panel_state")]
        verbose_name = "评分表"
        verbose_name_plural = "评分表"

    def __str__(self) -> str:
        return f"{self.member} · {self.application.unit}"

    @property
    def auto_recused(self) -> bool:
        return self.recusal_reason == RecusalReason.SAME_EMPLOYER

    @property
    def is_locked(self) -> bool:
        return self.state in (SheetState.SUBMITTED, SheetState.RECUSED)

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=SheetState.ASSIGNED, target=SheetState.DECLARED)
    def declare(self, by=None, description=None):
        """声明无利害关系."""
        self.declared_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=SheetState.ASSIGNED, target=SheetState.RECUSED)
    def recuse(self, by=None, description=None):
        """申请回避 (or recused by the system for the same employer)."""
        self.recused_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(field=state, source=SheetState.DECLARED, target=SheetState.SUBMITTED)
    def submit(self, by=None, description=None):
        """提交评分表: locked from now on."""
        self.submitted_at = timezone.now()


class Score(models.Model):
    """One indicator's points on one sheet."""

    sheet = models.ForeignKey(
        ScoreSheet, verbose_name="评分表", on_delete=models.CASCADE, related_name="scores"
    )
    indicator = models.ForeignKey(
        RubricIndicator, verbose_name="评分指标", on_delete=models.PROTECT, related_name="scores"
    )
    points = models.DecimalField("得分", max_digits=5, decimal_places=2)

    class Meta:
        ordering = ["sheet", "indicator__order"]
        constraints = [models.UniqueConstraint(fields=["sheet", "indicator"], name="one_score_per_indicator")]
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"

    def __str__(self) -> str:
        return f"{self.indicator.name}：{self.points}"


class RankingEntry(models.Model):
    """The ranking as confirmed by city HRSS (frozen at confirmation for the publicity stage)."""

    panel = models.ForeignKey(Panel, verbose_name="评审组", on_delete=models.CASCADE, related_name="ranking")
    application = models.OneToOneField(
        Application, verbose_name="申报", on_delete=models.PROTECT, related_name="ranking_entry"
    )
    position = models.PositiveSmallIntegerField("名次")
    final_score = models.DecimalField("最终得分", max_digits=6, decimal_places=2, null=True, blank=True)
    votes_for = models.PositiveSmallIntegerField("同意票数", null=True, blank=True)
    votes_cast = models.PositiveSmallIntegerField("有效票数", null=True, blank=True)
    shortlisted = models.BooleanField("列入初选名单")

    class Meta:
        ordering = ["panel", "position"]
        verbose_name = "评审排名"
        verbose_name_plural = "评审排名"

    def __str__(self) -> str:
        return f"{self.position}. {self.application.unit}"


class ScoringReminder(models.Model):
    """One reminder sent to an expert before the scoring deadline; the unique row makes the sweep
    send each kind once, however often it runs."""

    panel = models.ForeignKey(Panel, verbose_name="评审组", on_delete=models.CASCADE, related_name="+")
    member = models.ForeignKey(
        PanelMember, verbose_name="评审专家", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("提醒类型", max_length=20, choices=ReminderKind.choices)
    sent_at = models.DateTimeField("发送时间", default=timezone.now)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "member", "kind"], name="one_scoring_reminder_per_kind")
        ]
        verbose_name = "评分截止提醒"
        verbose_name_plural = "评分截止提醒"

    def __str__(self) -> str:
        return f"{self.member} {self.get_kind_display()}"


__all__ = [
    "Draw",
    "Expert",
    "Panel",
    "PanelMember",
    "RankingEntry",
    "RubricIndicator",
    "Score",
    "ScoreSheet",
    "ScoringReminder",
]
