"""Writes of the assessments (考核评估, clause 6.2): recording one, the city's decision on an exit,
and the reminders before a rectification deadline (minute sweep).

Every service asks its permission, locks the base, re-checks its state, writes, moves the base
through its FSM transition (logged for the timeline), audits and notifies in one transaction.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import (
    city_hrss_staff,
    county_finance_of,
    county_hrss_of,
    unit_members_of,
)
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.timeline import role_of
from shaoxing_bases.core.uploads import check_upload
from shaoxing_bases.documents.numbering import document_number_allocate
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from ..enums import AssessmentResult, BaseState, ExitDecision
from ..models import Assessment, TrainingBase
from .documents import exit_notice_pdf

logger = logging.getLogger(__name__)

#: 发文字号 prefix of the exit notice (the city bureau's own documents, like the decision).
EXIT_NOTICE_PREFIX = "绍市人社发"
#: Reminders before a rectification deadline, in days before it (earliest first).
DEFAULT_REMINDER_DAYS = (7, 1)
#: A rectification period longer than this is refused as a typing mistake.
MAX_RECTIFICATION_DAYS = 366


def reminder_days() -> tuple[int, ...]:
    return tuple(
        sorted(getattr(settings, "BASE_RECTIFICATION_REMINDER_DAYS", DEFAULT_REMINDER_DAYS), reverse=True)
    )


def deadline_end(deadline: date) -> datetime:
    """整改期限 is a day: it ends at 24:00 Asia/Shanghai of that day."""
    return timezone.make_aware(datetime.combine(deadline + timedelta(days=1), time.min))


def base_url(base: TrainingBase) -> str:
    return reverse("bases:detail", args=[base.pk])


@dataclass(frozen=True)
class AssessmentInput:
    assessed_on: date
    scope: str
    findings: str
    result: str
    reasons: str = ""
    rectification_deadline: date | None = None


def _check(data: AssessmentInput, base: TrainingBase, today: date) -> None:
    errors: dict[str, str] = {}
    approved_on = timezone.localtime(base.approved_at).date()
    if data.assessed_on > today:
        errors["assessed_on"] = "考核日期不能晚于今天。"
    elif data.assessed_on < approved_on:
        errors["assessed_on"] = f"考核日期不能早于基地认定日期（{approved_on:%Y-%m-%d}）。"
    if not data.scope.strip():
        errors["scope"] = "请填写考核范围和内容。"
    if not data.findings.strip():
        errors["findings"] = "请填写考核发现的情况。"
    if data.result not in AssessmentResult.values:
        errors["result"] = "请选择考核结论。"
    elif data.result in AssessmentResult.needing_reasons() and not data.reasons.strip():
        errors["reasons"] = (
            "结论为“整改”时，请写明整改的理由和要求。"
            if data.result == AssessmentResult.RECTIFY
            else "结论为“退出”时，请写明退出的理由（未达标的具体情形）。"
        )
    if data.result == AssessmentResult.RECTIFY:
        deadline = data.rectification_deadline
        if deadline is None:
            errors["rectification_deadline"] = "结论为“整改”时，请填写整改期限。"
        elif deadline <= today:
            errors["rectification_deadline"] = "整改期限须晚于今天。"
        elif deadline > today + timedelta(days=MAX_RECTIFICATION_DAYS):
            errors["rectification_deadline"] = "整改期限不能超过一年，请核对日期。"
    elif data.rectification_deadline is not None:
        errors["rectification_deadline"] = "只有结论为“整改”时才填写整改期限。"
    if errors:
        raise ValidationError(errors)


def _lock_base(base: TrainingBase) -> TrainingBase:
    return (
        TrainingBase.objects.select_for_update(of=("self",)).select_related("region", "unit").get(pk=base.pk)
    )


def _open_rectification(base: TrainingBase) -> Assessment | None:
    return (
        Assessment.objects.select_for_update()
        .filter(base=base, result=AssessmentResult.RECTIFY, rectification_closed_at__isnull=True)
        .first()
    )


def _store_evidence(assessment: Assessment, uploaded) -> None:
    try:
        checked = check_upload(uploaded)
    except ValidationError as error:
        raise ValidationError({"evidence": error.messages}) from error
    assessment.evidence.save(f"evidence{checked.extension}", uploaded, save=False)
    assessment.evidence_name = (uploaded.name or "证明材料")[:200]
    assessment.evidence_content_type = checked.content_type
    assessment.evidence_sha256 = checked.sha256


@transaction.atomic
def assessment_record(*, base: TrainingBase, actor: User, data: AssessmentInput, evidence=None) -> Assessment:
    """登记考核评估 of a base by its county HRSS or the city HRSS.

    合格 on a base in rectification is the passed follow-up: the rectification closes and the base
    returns to 正常运行. 整改 puts an active base into 限期整改 until the deadline (on a base already
    in rectification it is a failed follow-up: the open rectification closes, a new one with the new
    deadline opens). 退出 is a proposal the city decides (`assessment_decide_exit`); the base keeps
    its state until then. Side effects: the row, the evidence file, the base's transition (logged for
    the timeline), an audit entry, inbox messages to the unit and to whom must act next.
    """
    require_perm(actor, "reporting.record_assessment", base)
    base = _lock_base(base)
    if base.state == BaseState.EXITED:
        raise AlreadyHandled("该基地已退出，不能再登记考核评估。")
    now = timezone.now()
    _check(data, base, timezone.localdate(now))
    if (
        data.result == AssessmentResult.EXIT
        and base.assessments.filter(exit_decision=ExitDecision.PROPOSED).exists()
    ):
        raise ValidationError({"result": "该基地已有待市人力社保局决定的退出建议，请等待决定后再登记退出。"})
    open_rectification = _open_rectification(base)
    if open_rectification is not None and data.assessed_on < open_rectification.assessed_on:
        raise ValidationError(
            {"assessed_on": (f"复查日期不能早于整改考核日期（{open_rectification.assessed_on:%Y-%m-%d}）。")}
        )
    assessment = Assessment(
        base=base,
        assessed_on=data.assessed_on,
        scope=data.scope.strip(),
        findings=data.findings.strip(),
        result=data.result,
        reasons=data.reasons.strip(),
        rectification_deadline=data.rectification_deadline,
        follow_up_of=open_rectification,
        recorded_by=actor,
        recorded_by_organisation=role_of(actor)[:50],
    )
    if data.result == AssessmentResult.EXIT:
        assessment.exit_decision = ExitDecision.PROPOSED
    assessment.full_clean(exclude=["base", "recorded_by", "follow_up_of", "evidence"])
    if evidence is not None:  # stored once everything else has been checked
        _store_evidence(assessment, evidence)

    description = (
        f"{assessment.recorded_by_organisation}{data.assessed_on:%Y-%m-%d}考核评估："
        f"{assessment.get_result_display()}"
    )
    if data.result in (AssessmentResult.PASSED, AssessmentResult.RECTIFY) and open_rectification is not None:
        open_rectification.rectification_closed_at = now
        open_rectification.save(update_fields=["rectification_closed_at"])
    if data.result == AssessmentResult.PASSED and base.state == BaseState.RECTIFYING:
        base.end_rectification(by=actor, description=f"{description}，整改合格，恢复正常运行。")
        base.save()
    elif data.result == AssessmentResult.RECTIFY and base.state == BaseState.ACTIVE:
        base.start_rectification(
            by=actor,
            description=f"{description}，限期{data.rectification_deadline:%Y-%m-%d}前整改。{assessment.reasons}",
        )
        base.save()
    assessment.save()
    audit_event(
        actor=actor,
        summary=f"登记考核评估（{assessment.get_result_display()}）",
        obj=assessment,
        detail={
            "base": base.pk,
            "result": data.result,
            "deadline": f"{data.rectification_deadline:%Y-%m-%d}" if data.rectification_deadline else None,
            "follow_up_of": open_rectification.pk if open_rectification else None,
            "evidence_sha256": assessment.evidence_sha256 or None,
        },
    )
    _notify_recorded(assessment, base)
    return assessment


def _notify_recorded(assessment: Assessment, base: TrainingBase) -> None:
    url = base_url(base)
    result = assessment.get_result_display()
    if assessment.result == AssessmentResult.RECTIFY:
        body = (
            f"考核结论：整改。整改期限：{assessment.rectification_deadline:%Y年%m月%d日}。"
            f"整改要求：{assessment.reasons}"
        )
    elif assessment.result == AssessmentResult.EXIT:
        body = f"考核结论：建议退出，待市人力社保局决定。理由：{assessment.reasons}"
    else:
        body = "考核结论：合格。" + (
            "整改已通过复查，基地恢复正常运行。" if assessment.follow_up_of_id else ""
        )
    notify(
        recipients=unit_members_of(base.unit_id),
        title=f"{base.name}考核评估结论：{result}",
        body=body,
        url=url,
    )
    county = list(county_hrss_of(base.region_id))
    if assessment.recorded_by not in county:
        notify(recipients=county, title=f"市人力社保局考核评估{base.name}：{result}", body=body, url=url)
    if assessment.result == AssessmentResult.EXIT:
        notify(
            recipients=city_hrss_staff(),
            title=f"{base.name}退出建议待决定",
            body=f"{assessment.recorded_by_organisation}建议该基地退出，理由：{assessment.reasons}",
            url=url,
        )


@transaction.atomic
def assessment_decide_exit(
    *, assessment: Assessment, actor: User, approve: bool, comment: str = ""
) -> Assessment:
    """市人力社保局决定退出建议: approve (the base exits, leaves the public list, and the exit notice is
    numbered 绍市人社发〔YYYY〕N号 and rendered) or refuse (the base keeps its state).

    Side effects: the decision, the base's transition, the document number (gap-free, taken in this
    transaction), the notice PDF with its SHA-256, an audit entry, inbox messages to the unit and
    the county bureaus."""
    require_perm(actor, "reporting.decide_exit")
    try:
        assessment = (
            Assessment.objects.select_for_update(of=("self",)).select_related("base").get(pk=assessment.pk)
        )
    except Assessment.DoesNotExist:
        raise AlreadyHandled("该考核记录已不存在。") from None
    base = _lock_base(assessment.base)
    assessment.base = base
    if assessment.exit_decision != ExitDecision.PROPOSED or base.state == BaseState.EXITED:
        raise AlreadyHandled("该退出建议已经决定，页面已刷新为最新状态。")
    comment = comment.strip()
    if not approve and not comment:
        raise ValidationError({"comment": "不予退出时，请写明理由。"})
    now = timezone.now()
    assessment.exit_decision = ExitDecision.APPROVED if approve else ExitDecision.REJECTED
    assessment.exit_decided_by = actor
    assessment.exit_decided_at = now
    assessment.exit_decision_comment = comment
    fields = ["exit_decision", "exit_decided_by", "exit_decided_at", "exit_decision_comment"]
    if approve:
        open_rectification = _open_rectification(base)
        if open_rectification is not None:
            open_rectification.rectification_closed_at = now
            open_rectification.save(update_fields=["rectification_closed_at"])
        base.exit(by=actor, description=f"市人力社保局同意退出。理由：{assessment.reasons}")
        base.save()
        assessment.exit_document_number = document_number_allocate(
            prefix=EXIT_NOTICE_PREFIX, year=timezone.localdate(now).year
        )
        # Rendered and stored under the lock: an exit is decided a few times a year, and the notice
        # must exist the moment the decision does (a rolled-back decision leaves an unreferenced file).
        pdf = exit_notice_pdf(assessment)
        assessment.exit_notice.save("exit-notice.pdf", ContentFile(pdf), save=False)
        assessment.exit_notice_sha256 = hashlib.sha256(pdf).hexdigest()
        fields += ["exit_document_number", "exit_notice", "exit_notice_sha256"]
    assessment.save(update_fields=fields)
    audit_event(
        actor=actor,
        summary="决定基地退出" if approve else "决定不予退出",
        obj=assessment,
        detail={
            "base": base.pk,
            "document_number": assessment.exit_document_number or None,
            "sha256": assessment.exit_notice_sha256 or None,
            "comment": comment,
        },
    )
    url = base_url(base)
    if approve:
        title = f"{base.name}已退出市级高技能人才公共实训基地（{assessment.exit_document_number}）"
        body = f"市人力社保局同意退出。理由：{assessment.reasons}"
    else:
        title = f"{base.name}的退出建议未获同意"
        body = f"市人力社保局意见：{comment}"
    notify(
        recipients=[
            *unit_members_of(base.unit_id),
            *county_hrss_of(base.region_id),
            *county_finance_of(base.region_id),
        ],
        title=title,
        body=body,
        url=url,
    )
    return assessment


# --- reminders before the rectification deadline (minute sweep) ----------------------------------


def rectification_reminders_sweep(now: datetime | None = None) -> int:
    """Remind the unit (and its county) before an open rectification's deadline, once per reminder
    of `reminder_days()`, and tell the county and the city once when the deadline has passed without
    a follow-up. Each row is taken with ``select_for_update(skip_locked=True)`` and its counters are
    re-read under the lock, so a second or concurrent sweep sends nothing twice. When the sweep ran
    late and several reminders are due, only the latest goes out. Returns the messages sent."""
    now = now or timezone.now()
    days = reminder_days()
    horizon = timezone.localdate(now) + timedelta(days=max(days, default=0))
    candidates = Assessment.objects.filter(
        result=AssessmentResult.RECTIFY,
        rectification_closed_at__isnull=True,
        rectification_deadline__lte=horizon,
        base__state=BaseState.RECTIFYING,
        overdue_notified_at__isnull=True,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(candidates):
        sent += _remind_one(pk, now, days)
    return sent


@transaction.atomic
def _remind_one(pk: int, now: datetime, days: tuple[int, ...]) -> int:
    assessment = (
        Assessment.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("base")
        .filter(pk=pk, rectification_closed_at__isnull=True, overdue_notified_at__isnull=True)
        .first()
    )
    if assessment is None or assessment.rectification_deadline is None:
        return 0
    base = assessment.base
    end = deadline_end(assessment.rectification_deadline)
    url = base_url(base)
    if now >= end:
        assessment.overdue_notified_at = now
        assessment.save(update_fields=["overdue_notified_at"])
        audit_event(actor=None, summary="整改期限已到，通知复查", obj=assessment, detail={"base": base.pk})
        notify(
            recipients=[*county_hrss_of(base.region_id), *city_hrss_staff()],
            title=f"{base.name}整改期限已到，请复查",
            body=(
                f"整改期限：{assessment.rectification_deadline:%Y年%m月%d日}。"
                "请组织复查并登记考核评估结论（合格、整改或退出）。"
            ),
            url=url,
        )
        return 1
    due = sum(1 for day in days if now >= end - timedelta(days=day))
    if due <= assessment.reminders_sent:
        return 0
    assessment.reminders_sent = due
    assessment.save(update_fields=["reminders_sent"])
    left = (assessment.rectification_deadline - timezone.localdate(now)).days
    audit_event(
        actor=None,
        summary="发送整改期限提醒",
        obj=assessment,
        detail={"base": base.pk, "reminder": due, "days_left": left},
    )
    notify(
        recipients=[*unit_members_of(base.unit_id), *county_hrss_of(base.region_id)],
        title=f"{base.name}整改期限将于{assessment.rectification_deadline:%Y年%m月%d日}届满",
        body=f"距整改期限还有{left}天。整改要求：{assessment.reasons}",
        url=url,
    )
    return 1
