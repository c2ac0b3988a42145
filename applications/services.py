"""Use cases of the applications app: the only place that changes units, batches and applications.

Each function is keyword-only, takes the acting user, runs in one transaction, re-reads the row
under a lock before a transition, and enqueues side effects with `on_commit`.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_fsm import can_proceed

from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.accounts.models import User
from shaoxing_bases.notifications.services import notify

from .eligibility import FAIL
from .enums import ApplicationState, AttachmentSection, BatchState, UnitType
from .indicators import application_check
from .models import ApplicantUnit, Application, Attachment, Batch
from .uploads import check_upload


class AlreadyHandled(Exception):
    """The object moved on meanwhile (a double click, a colleague, the clock): say 已处理."""

    def __init__(self, message: str = "该事项已处理，页面已刷新为最新状态。") -> None:
        super().__init__(message)
        self.message = message


# --- units --------------------------------------------------------------------------------------


@transaction.atomic
def unit_register(*, unit: ApplicantUnit, user: User, password: str) -> User:
    """Register a unit with its first account. Side effects: the unit and an applicant user."""
    unit.full_clean()
    unit.save()
    user.role = Role.APPLICANT
    user.unit = unit
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


@transaction.atomic
def unit_add_member(*, actor: User, user: User, password: str) -> User:
    """A unit's account opens an account for a colleague of the same unit."""
    if actor.role != Role.APPLICANT or actor.unit_id is None:
        raise PermissionDenied
    user.role = Role.APPLICANT
    user.unit_id = actor.unit_id
    user.set_password(password)
    user.full_clean()
    user.save()
    return user


# --- batches ------------------------------------------------------------------------------------

BATCH_TRANSITIONS = {
    "open": "开始申报",
    "close_submissions": "截止申报，进入区县初审",
    "start_expert_review": "进入专家评审",
    "start_publicity": "进入公示",
    "conclude": "结束批次",
}


@transaction.atomic
def batch_transition(*, batch: Batch, actor: User | None, name: str) -> Batch:
    """Move a batch on by hand (city HRSS) or from the sweep (actor None)."""
    if name not in BATCH_TRANSITIONS:
        raise ValueError(name)
    if actor is not None and actor.role not in (Role.CITY_HRSS, Role.ADMIN):
        raise PermissionDenied
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    method = getattr(batch, name)
    if not can_proceed(method):
        raise AlreadyHandled(f"批次当前状态为“{batch.get_state_display()}”，不能{BATCH_TRANSITIONS[name]}。")
    method(by=actor)
    batch.save()
    return batch


def batches_sweep(now=None) -> int:
    """Open draft batches whose time has come; close submissions of open batches past the deadline.

    Rows are taken with skip_locked so that two sweeps never move the same batch twice.
    """
    now = now or timezone.now()
    moved = 0
    for state, time_field, name in (
        (BatchState.DRAFT, "opens_at", "open"),
        (BatchState.OPEN, "submission_deadline", "close_submissions"),
    ):
        with transaction.atomic():
            due = Batch.objects.select_for_update(skip_locked=True).filter(
                state=state, **{f"{time_field}__lte": now}
            )
            for batch in due:
                getattr(batch, name)(by=None)
                batch.save()
                moved += 1
    return moved


# --- applications -------------------------------------------------------------------------------


@transaction.atomic
def application_start(*, actor: User, batch: Batch) -> Application:
    """Open the unit's application for a batch (one per unit per batch)."""
    if actor.role != Role.APPLICANT or actor.unit_id is None:
        raise PermissionDenied
    if not batch.accepts_submissions():
        raise ValidationError("该批次当前不在申报期内。")
    existing = Application.objects.filter(batch=batch, unit_id=actor.unit_id).first()
    if existing is not None:
        raise ValidationError("本单位已有该批次的申报，不能重复申报。", code="duplicate")
    return Application.objects.create(batch=batch, unit_id=actor.unit_id, created_by=actor)


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("batch", "unit").get(pk=application.pk)


def _require_member(actor: User, application: Application) -> None:
    if actor.role != Role.APPLICANT or actor.unit_id != application.unit_id:
        raise PermissionDenied


def _require_editable(application: Application) -> None:
    if not application.is_editable:
        raise AlreadyHandled("申报已提交，不能再修改；如需修改请等待区县退回或撤回后重新申报。")


def application_ensure_editable(*, application: Application, actor: User) -> None:
    """Guard for every save of the form: the unit's own, still a draft or returned."""
    _require_member(actor, application)
    _require_editable(application)


@dataclass(frozen=True)
class SubmissionCheck:
    """What stands between a draft and submission, and which clauses fail (allowed, but shown)."""

    missing: list[str]
    failing: list

    @property
    def can_submit(self) -> bool:
        return not self.missing


def application_submission_check(application: Application) -> SubmissionCheck:
    """Required sections and evidence; failing auto-checks do not block but are listed."""
    missing: list[str] = []
    unit_type = application.unit.unit_type
    required_numbers = ["annual_trainees", "annual_senior_trainees", "annual_evaluations", "teachers"]
    if unit_type == UnitType.ENTERPRISE:
        required_numbers.append("venue_capacity")
    else:
        required_numbers += ["students", "practical_teachers", "senior_practical_teachers"]
    labels = {field.name: field.verbose_name for field in Application._meta.fields}
    missing += [f"未填写“{labels[name]}”" for name in required_numbers if getattr(application, name) is None]
    if not application.organisation_description.strip():
        missing.append("未填写“机构设置与岗位职责”")
    if unit_type != UnitType.ENTERPRISE:
        if not application.specialties.exists():
            missing.append("未填写特色专业")
        if not application.partners.exists():
            missing.append("未填写合作企业")
        elif application.partners.filter(agreement__isnull=True).exists():
            missing.append("有合作企业未上传合作协议")
    elif not application.fund_years.exists():
        missing.append("未填写近三年职工培训经费情况")
    present = set(application.attachments.values_list("section", flat=True))
    missing += [
        f"未上传“{AttachmentSection(section).label}”"
        for section in AttachmentSection.required()
        if section not in present
    ]
    if not (application.integrity_declared and application.integrity_signatory.strip()):
        missing.append("未签署诚信承诺")
    failing = [result for result in application_check(application) if result.outcome == FAIL]
    return SubmissionCheck(missing=missing, failing=failing)


def _notify_county_of_submission(application: Application, resubmitted: bool) -> None:
    county_staff = User.objects.filter(
        role=Role.COUNTY_HRSS, region_id=application.unit.region_id, is_active=True
    )
    verb = "重新提交" if resubmitted else "提交"
    notify(
        recipients=county_staff,
        title=f"{application.unit.name}已{verb}{application.batch.year}年度实训基地申报",
        body="请在初审截止时间前完成初审。",
        url=reverse("applications:detail", args=[application.pk]),
    )


@transaction.atomic
def application_submit(*, application: Application, actor: User, confirmed: bool = False) -> Application:
    """Submit to the county (draft → submitted, or returned → submitted).

    Side effects: transition log, the county's inbox and e-mail. A submission with failing
    clauses needs `confirmed=True` (the confirmation page listed them).
    """
    _require_member(actor, application)
    application = _locked(application)
    if application.state not in ApplicationState.editable():
        raise AlreadyHandled("该申报已提交，无需重复提交。")
    resubmitting = application.state == ApplicationState.RETURNED
    now = timezone.now()
    if resubmitting:
        if now >= application.batch.screening_deadline:
            raise ValidationError("区县初审已截止，不能再重新提交。", code="deadline")
    elif not application.batch.accepts_submissions(now):
        raise ValidationError("申报已截止（或尚未开始），不能提交。", code="deadline")
    check = application_submission_check(application)
    if not check.can_submit:
        raise ValidationError(check.missing, code="incomplete")
    if check.failing and not confirmed:
        raise ValidationError("部分条件自动核验未通过，请在确认页确认后再提交。", code="needs_confirmation")
    if resubmitting:
        application.resubmit(by=actor, description="修改后重新提交")
    else:
        application.submit(by=actor, description="提交申报")
    application.save()
    transaction.on_commit(lambda: _notify_county_of_submission(application, resubmitting))
    return application


@transaction.atomic
def application_withdraw(*, application: Application, actor: User, reason: str = "") -> Application:
    """Withdraw (撤回) a draft, submitted or returned application. Side effect: transition log."""
    _require_member(actor, application)
    application = _locked(application)
    if not can_proceed(application.withdraw):
        raise AlreadyHandled("该申报当前状态不能撤回。")
    application.withdraw(by=actor, description=reason or "申报单位撤回")
    application.save()
    return application


# --- evidence -----------------------------------------------------------------------------------


@transaction.atomic
def attachment_upload(*, application: Application, actor: User, section: str, uploaded) -> Attachment:
    """Store one checked file under a random name. Raises ValidationError in Chinese."""
    application_ensure_editable(application=application, actor=actor)
    if section not in AttachmentSection.values:
        raise ValidationError("请选择材料类别。")
    checked = check_upload(uploaded)
    attachment = Attachment(
        application=application,
        section=section,
        original_name=uploaded.name[:200],
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    attachment.file.save(f"upload{checked.extension}", uploaded, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: Attachment, actor: User) -> None:
    application_ensure_editable(application=attachment.application, actor=actor)
    storage, name = attachment.file.storage, attachment.file.name
    attachment.delete()
    if name:
        transaction.on_commit(lambda: storage.delete(name))
