"""The report's own steps: the base saves its sections and submits, the county approves or returns,
the city receives (备案) or sends questions back to the county, and grants late windows."""

from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import city_hrss_staff, county_hrss_of, unit_members_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.background import enqueue_after_commit
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from ..checks import report_thresholds, threshold_notes
from ..enums import CityDecision, ReportState, ReviewDecision
from ..models import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH, AnnualReport
from ..sections import SECTIONS_BY_KEY
from ._common import deadline, local, lock_report, report_url, submission_refusal

LEVEL_FIELDS = ("trainees_senior_worker", "trainees_technician", "trainees_senior_technician")


def _ensure_editable(report: AnnualReport) -> None:
    if not report.is_editable:
        raise AlreadyHandled(
            f"该年度报告已提交（当前状态：{report.get_state_display()}），不能再修改。页面已刷新为最新状态。"
        )


def _clean_values(report: AnnualReport, fields: tuple[str, ...], values: Mapping[str, object]) -> dict:
    """The section's values, checked once here (the form shows these errors beside the fields)."""
    errors: dict[str, str] = {}
    cleaned: dict[str, object] = {}
    for name in fields:
        if name not in values:
            continue
        field = AnnualReport._meta.get_field(name)
        value = values[name]
        label = str(field.verbose_name)
        if field.get_internal_type() == "TextField":
            text = str(value or "").strip()
            if len(text) > TEXT_MAX_LENGTH:
                errors[name] = f"{label}不能超过 {TEXT_MAX_LENGTH} 字。"
            cleaned[name] = text
        elif field.get_internal_type() == "DecimalField":
            if value is None and field.null:
                cleaned[name] = None
                continue
            amount = Decimal(str(value if value is not None else 0))
            if amount < 0:
                errors[name] = f"{label}不能为负数。"
            cleaned[name] = amount
        else:
            number = int(value) if value is not None else 0  # type: ignore[call-overload]
            if number < 0:
                errors[name] = f"{label}不能为负数。"
            cleaned[name] = number
    merged = {name: cleaned.get(name, getattr(report, name)) for name in ("trainees_total", *LEVEL_FIELDS)}
    if any(name in cleaned for name in ("trainees_total", *LEVEL_FIELDS)) and not errors:
        senior = sum(int(merged[name]) for name in LEVEL_FIELDS)  # type: ignore[call-overload]
        if senior > int(merged["trainees_total"]):  # type: ignore[call-overload]
            errors["trainees_total"] = (
                f"高级工、技师、高级技师培训人数合计 {senior} 人，超过了年度职业培训总人数 "
                f"{merged['trainees_total']} 人：总人数应包含各等级人数。"
            )
    if "target_senior_trainees" in cleaned or "target_trainees" in cleaned:
        target = cleaned.get("target_trainees", report.target_trainees)
        senior_target = cleaned.get("target_senior_trainees", report.target_senior_trainees)
        if not errors and int(senior_target) > int(target):  # type: ignore[call-overload]
            errors["target_senior_trainees"] = "计划高级工及以上培训人数不能超过计划培训人数。"
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def annual_report_section_update(
    *, report: AnnualReport, actor: User, section: str, values: Mapping[str, object]
) -> AnnualReport:
    """Save one section of a draft or returned report (even incomplete).

    Refuses negative figures and level counts above the total with Chinese errors by field. Side
    effect: an audit entry naming the section and the fields changed.
    """
    require_perm(actor, "reporting.edit_annual_report", report)
    spec = SECTIONS_BY_KEY.get(section)
    if spec is None:
        raise ValidationError("没有这一部分。")
    report = lock_report(report)
    _ensure_editable(report)
    cleaned = _clean_values(report, spec.fields, values)
    changed = [name for name, value in cleaned.items() if getattr(report, name) != value]
    for name, value in cleaned.items():
        setattr(report, name, value)
    report.save(update_fields=[*cleaned, "updated_at"])
    audit_event(actor=actor, summary=f"保存年度报告：{spec.title}", obj=report, detail={"changed": changed})
    return report


@transaction.atomic
def annual_report_submit(*, report: AnnualReport, actor: User) -> AnnualReport:
    """Hand the report to the county (inside the window, or the late window the city granted).

    The clause thresholds are judged on the submitted figures: a base that no longer meets them is
    flagged to the county (``below_threshold``, with the failing criteria). Side effects: the
    transition log, an audit entry, the county HRSS inbox and e-mail.
    """
    require_perm(actor, "reporting.submit_annual_report", report)
    report = lock_report(report)
    _ensure_editable(report)
    refusal = submission_refusal(report)
    if refusal:
        raise ValidationError(refusal, code="closed")
    missing = [] if report.work_summary.strip() else ["工作开展情况"]
    if not report.plan_summary.strip():
        missing.append("下一年度工作计划")
    if missing:
        raise ValidationError(f"请先填写{'、'.join(missing)}，再提交。", code="incomplete")
    rows = report_thresholds(report)
    report.threshold_notes = threshold_notes(rows)
    report.below_threshold = bool(report.threshold_notes)
    again = report.state == ReportState.RETURNED
    report.submit(by=actor, description="重新提交" if again else "提交")
    report.save()
    submitted_at = timezone.now() if report.submitted_at is None else report.submitted_at
    audit_event(
        actor=actor,
        summary="重新提交年度报告" if again else "提交年度报告",
        obj=report,
        detail={
            "below_threshold": report.below_threshold,
            "late": submitted_at >= deadline(report.year),
        },
    )
    flag = f"系统核验：{report.threshold_notes}。" if report.below_threshold else ""
    notify(
        recipients=county_hrss_of(report.base.region_id),
        title=f"{report.base.name}{'重新' if again else ''}提交了{report.year}年度报告，请审核",
        body=f"提交时间：{local(submitted_at)}。{flag}",
        url=report_url(report),
    )
    return report


def _clean_comment(comment: str, *, required: str = "") -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ValidationError({"comment": required})
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError({"comment": f"意见不能超过 {COMMENT_MAX_LENGTH} 字。"})
    return comment


@transaction.atomic
def annual_report_review(
    *, report: AnnualReport, actor: User, decision: str, comment: str = ""
) -> AnnualReport:
    """County HRSS: approve (forward to the city) or return to the base with reasons.

    Side effects: the transition log, an audit entry, the base's inbox; on approval the city HRSS
    inbox and the archive PDF's render task after the commit.
    """
    require_perm(actor, "reporting.review_annual_report", report)
    if decision not in ReviewDecision.values:
        raise ValidationError({"decision": "请选择审核结论。"})
    comment = _clean_comment(
        comment, required="退回修改时请写明理由。" if decision == ReviewDecision.RETURN else ""
    )
    report = lock_report(report)
    if report.state != ReportState.SUBMITTED:
        raise AlreadyHandled(
            f"该年度报告已处理（当前状态：{report.get_state_display()}），页面已刷新为最新状态。"
        )
    url = report_url(report)
    if decision == ReviewDecision.RETURN:
        report.return_to_base(by=actor, description=comment)
        report.save()
        audit_event(actor=actor, summary="退回年度报告", obj=report, detail={"reason": comment})
        notify(
            recipients=unit_members_of(report.base.unit_id),
            title=f"{report.year}年度报告被{report.base.region.name}人力社保局退回修改",
            body=f"退回理由：{comment}",
            url=url,
        )
        return report
    report.county_approve(by=actor, description=comment or "经审核，同意报送市人力社保局。")
    report.save()
    audit_event(
        actor=actor, summary="审核通过年度报告", obj=report, detail={"comment": report.county_comment}
    )
    notify(
        recipients=[*unit_members_of(report.base.unit_id), *city_hrss_staff()],
        title=f"{report.base.name}{report.year}年度报告已经{report.base.region.name}人力社保局审核，报送市人力社保局",
        body=report.county_comment,
        url=url,
    )
    from ..tasks import render_annual_report_archive_task  # tasks import the services

    enqueue_after_commit(render_annual_report_archive_task, report_id=report.pk)
    return report


@transaction.atomic
def annual_report_city_decide(
    *, report: AnnualReport, actor: User, decision: str, note: str = ""
) -> AnnualReport:
    """City HRSS: 备案 (received), or questions back to the county (the report returns to its queue).

    Side effects: the transition log, an audit entry, the county HRSS and base inboxes.
    """
    require_perm(actor, "reporting.receive_annual_report", report)
    if decision not in CityDecision.values:
        raise ValidationError({"decision": "请选择备案或提出问题。"})
    note = _clean_comment(
        note, required="退回区县时请写明需要说明的问题。" if decision == CityDecision.QUERY else ""
    )
    report = lock_report(report)
    if report.state != ReportState.COUNTY_APPROVED:
        raise AlreadyHandled(
            f"该年度报告已处理（当前状态：{report.get_state_display()}），页面已刷新为最新状态。"
        )
    url = report_url(report)
    if decision == CityDecision.QUERY:
        report.city_query(by=actor, description=note)
        report.save()
        audit_event(actor=actor, summary="年度报告退回区县说明", obj=report, detail={"note": note})
        notify(
            recipients=county_hrss_of(report.base.region_id),
            title=f"市人力社保局对{report.base.name}{report.year}年度报告提出问题，请核实",
            body=note,
            url=url,
        )
        return report
    report.city_receive(by=actor, description=note)
    report.save()
    audit_event(actor=actor, summary="年度报告备案", obj=report, detail={"note": note})
    notify(
        recipients=[*unit_members_of(report.base.unit_id), *county_hrss_of(report.base.region_id)],
        title=f"{report.base.name}{report.year}年度报告已由市人力社保局备案",
        body=note,
        url=url,
    )
    return report


@transaction.atomic
def annual_report_grant_late_window(*, report: AnnualReport, actor: User, until: datetime) -> AnnualReport:
    """City HRSS lets a base submit after the window, until ``until``. Clears nothing else: an
    overdue report stays marked overdue (it was). Side effects: audit entry, the base's inbox."""
    require_perm(actor, "reporting.grant_annual_late_window", report)
    report = lock_report(report)
    if report.state != ReportState.DRAFT:
        raise AlreadyHandled("该年度报告已提交，无需补报期限。")
    if until <= timezone.now():
        raise ValidationError({"until": "补报截止时间应晚于当前时间。"})
    report.late_until = until
    report.save(update_fields=["late_until", "updated_at"])
    audit_event(actor=actor, summary="准予年度报告补报", obj=report, detail={"until": local(until)})
    notify(
        recipients=unit_members_of(report.base.unit_id),
        title=f"市人力社保局准予补报{report.year}年度报告",
        body=f"请于 {local(until)} 前提交。",
        url=report_url(report),
    )
    return report
