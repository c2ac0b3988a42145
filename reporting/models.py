"""Training bases (实训基地) and what the city keeps about them: funding, annual reports and
assessments (clauses 2, 5 and 6 of the Measures; DESIGN section 5)."""

from django.db import models
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from applications.models import ApplicantUnit, Application, Batch
from shaoxing_bases.accounts.models import Region

from .enums import BaseState


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


from .annual.models import AnnualReport, AnnualReportingYear, AnnualReportNotice  # noqa: E402, F401
