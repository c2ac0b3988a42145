"""Objections (异议) to a notice and their re-examination (复核), clause 4.3.

- `objection_file`: anyone, real-name, during the window by the clock; rate-limited per address and
  per phone; evidence checked by content; a receipt number; a second POST of the same form (double
  click, a race) finds the first instead of filing twice.
- `objection_assign`: city HRSS starts the re-examination, itself or by a panel expert not conflicted
  with the unit (``received → under_review``).
- `objection_give_opinion`: the assigned expert's opinion.
- `objection_decide`: city HRSS records the finding: upheld (the application is disqualified, the
  unit told why) or dismissed (the filer sees the outcome with the receipt number).
"""

import secrets
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import city_hrss_staff, unit_members_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.uploads import check_upload
from shaoxing_bases.documents.gbt9704 import format_cn_date
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm
from shaoxing_bases.ratelimit import within_limit
from shaoxing_bases.validators import normalize_phone, validate_phone

from ...panels.enums import MemberKind, SheetState
from ...panels.models import PanelMember, ScoreSheet
from ..enums import ObjectionState
from ..models import FINDINGS_MAX_LENGTH, REASONS_MAX_LENGTH, Objection, Publicity
from ..selectors import window_text

#: Filings per client address per hour, and per phone number per day: enough for a real person with
#: several objections, far too few for a flood.
PER_IP_LIMIT = (10, 3600)
PER_PHONE_LIMIT = (5, 24 * 3600)
RATE_LIMITED = "提交过于频繁，请稍后再试；如有多项异议，可在一份异议中一并说明，或致电公示中的联系电话。"


@dataclass(frozen=True)
class ObjectionInput:
    entry_id: int | None
    name: str
    phone: str
    organisation: str
    reasons: str
    submission_key: str


def _receipt_no(now: datetime) -> str:
    """YY + the Shanghai date + 6 random digits: unique by constraint, not guessable in sequence."""
    return f"YY{timezone.localtime(now):%Y%m%d}{secrets.randbelow(10**6):06d}"


def closed_message(publicity: Publicity, now: datetime) -> str:
    """Why no objection is accepted now ("" while the window is open by the clock)."""
    if publicity.accepts_objections(now):
        return ""
    if now < publicity.starts_at:
        return f"公示期为{window_text(publicity)}，尚未开始，暂不受理异议。"
    return (
        f"公示期为{window_text(publicity)}，已于{format_cn_date(publicity.last_day)}24时截止，不再受理异议。"
    )


def _field_errors(publicity: Publicity, data: ObjectionInput) -> dict[str, str]:
    errors: dict[str, str] = {}
    if data.entry_id is None or not publicity.entries.filter(pk=data.entry_id).exists():
        errors["entry"] = "请选择公示名单中的单位。"
    if not data.name.strip():
        errors["name"] = "请填写真实姓名（实名反映）。"
    try:
        validate_phone(normalize_phone(data.phone))
    except ValidationError as error:
        errors["phone"] = error.messages[0]
    reasons = data.reasons.strip()
    if len(reasons) < 10:
        errors["reasons"] = "请具体写明异议事由（不少于10个字），包括相关事实。"
    elif len(reasons) > REASONS_MAX_LENGTH:
        errors["reasons"] = f"异议事由不能超过{REASONS_MAX_LENGTH}字。"
    return errors


def objection_file(
    *,
    publicity: Publicity,
    data: ObjectionInput,
    evidence=None,
    client_ip: str | None = None,
    now: datetime | None = None,
) -> Objection:
    """File an objection (no account: the public). Raises ValidationError by field (Chinese) — outside
    the window (naming its dates), too many filings, a bad phone, evidence that is not a real
    PDF/JPG/PNG or too large — and AlreadyHandled (naming the receipt) for a form posted twice.
    Side effects: the objection and its file, an audit entry, city HRSS told."""
    now = now or timezone.now()
    if message := closed_message(publicity, now):
        raise ValidationError(message)
    phone = normalize_phone(data.phone)
    ip_ok = within_limit(f"objection:ip:{client_ip or 'unknown'}", *PER_IP_LIMIT)
    phone_ok = within_limit(f"objection:phone:{phone}", *PER_PHONE_LIMIT) if phone else True
    if not (ip_ok and phone_ok):
        raise ValidationError(RATE_LIMITED, code="rate_limited")
    errors = _field_errors(publicity, data)
    checked = None
    if evidence is not None:
        try:
            checked = check_upload(evidence)
        except ValidationError as error:
            errors["evidence"] = error.messages[0]
    if errors:
        raise ValidationError(errors)
    existing = Objection.objects.filter(submission_key=data.submission_key).first()
    if existing is not None:
        raise AlreadyHandled(f"该异议已提交，受理编号为 {existing.receipt_no}，请勿重复提交。")
    objection = Objection(
        publicity=publicity,
        entry_id=data.entry_id,
        receipt_no=_receipt_no(now),
        submission_key=data.submission_key,
        name=data.name.strip(),
        phone=phone,
        organisation=data.organisation.strip(),
        reasons=data.reasons.strip(),
        client_ip=client_ip,
        filed_at=now,
    )
    try:
        objection.full_clean(exclude=["state", "evidence", "receipt_no", "submission_key"])
    except ValidationError as error:
        raise ValidationError(
            {field: messages[0] for field, messages in error.message_dict.items()}
        ) from None
    if checked is not None:
        objection.evidence_name = evidence.name[:200]
        objection.evidence_type = checked.content_type
        objection.evidence_size = checked.size
        objection.evidence_sha256 = checked.sha256
        objection.evidence.save(f"evidence{checked.extension}", evidence, save=False)
    try:
        with transaction.atomic():
            objection.save()
            audit_event(
                actor=None,
                summary="受理异议",
                obj=objection,
                detail={"publicity": publicity.pk, "entry": data.entry_id, "evidence": bool(checked)},
            )
            entry = objection.entry
            transaction.on_commit(
                lambda: notify(
                    recipients=city_hrss_staff(),
                    title=f"收到对{entry.unit_name}的公示异议",
                    body=f"受理编号 {objection.receipt_no}，请安排复核。",
                    url=reverse("review:objection", args=[objection.pk]),
                ),
                robust=True,
            )
    except IntegrityError:
        if objection.evidence:
            objection.evidence.storage.delete(objection.evidence.name)
        first = Objection.objects.filter(submission_key=data.submission_key).first()
        if first is None:
            raise
        raise AlreadyHandled(f"该异议已提交，受理编号为 {first.receipt_no}，请勿重复提交。") from None
    return objection


def _lock(objection: Objection) -> Objection:
    try:
        return (
            Objection.objects.select_for_update(of=("self",))
            .select_related("publicity__batch", "entry__application__unit")
            .get(pk=objection.pk)
        )
    except Objection.DoesNotExist:
        raise AlreadyHandled("该异议已不存在。") from None


def reviewer_choices(objection: Objection) -> list[PanelMember]:
    """The panel's experts (with accounts) who may re-examine this objection: not recused from the
    unit, and not from the unit's own employer."""
    application = objection.entry.application
    recused = ScoreSheet.objects.filter(application=application, state=SheetState.RECUSED).values_list(
        "member__expert_id", flat=True
    )
    credit_code = application.unit.credit_code
    members = (
        PanelMember.objects.filter(
            panel__batch_id=objection.publicity.batch_id, kind=MemberKind.EXPERT, expert__user__isnull=False
        )
        .exclude(expert_id__in=recused)
        .exclude(expert__employer_credit_code=credit_code)
        .select_related("expert__user")
        .order_by("expert__name")
    )
    return list(members)


@transaction.atomic
def objection_assign(
    *, objection: Objection, actor: User, reviewer: User | None, note: str = ""
) -> Objection:
    """安排复核: ``received → under_review``, by city HRSS itself (``reviewer`` None) or by a panel
    expert not conflicted with the unit. Side effects: the transition log, an audit entry, the expert
    told."""
    require_perm(actor, "review.handle_objection")
    objection = _lock(objection)
    if objection.state != ObjectionState.RECEIVED:
        raise AlreadyHandled(f"该异议当前状态为“{objection.get_state_display()}”，已安排复核。")
    note = (note or "").strip()
    if len(note) > 300:
        raise ValidationError({"note": "复核要求不能超过300字。"})
    if reviewer is not None:
        allowed = {member.expert.user_id for member in reviewer_choices(objection) if member.expert}
        if reviewer.pk not in allowed:
            raise ValidationError({"reviewer": "只能安排本批次评审组中与该单位无利害关系的专家复核。"})
    objection.reviewer = reviewer
    objection.assigned_by = actor
    objection.assignment_note = note
    who = reviewer.display_name if reviewer is not None and reviewer.display_name else "市人力社保局"
    objection.start_review(by=actor, description=f"安排复核：{who}")
    objection.save()
    audit_event(
        actor=actor,
        summary="安排异议复核",
        obj=objection,
        detail={"reviewer": reviewer.pk if reviewer else None, "note": note},
    )
    if reviewer is not None:
        notify(
            recipients=[reviewer],
            title=f"请复核对{objection.entry.unit_name}的公示异议",
            body=note or "请查阅异议事由和证明材料，提出复核意见。",
            url=reverse("review:objection", args=[objection.pk]),
        )
    return objection


@transaction.atomic
def objection_give_opinion(*, objection: Objection, actor: User, opinion: str) -> Objection:
    """The assigned expert's 复核意见 (may be revised until city HRSS records the finding). Side
    effects: an audit entry, city HRSS told."""
    require_perm(actor, "review.give_objection_opinion", objection)
    objection = _lock(objection)
    if objection.state != ObjectionState.UNDER_REVIEW:
        raise AlreadyHandled(f"该异议已复核办结（{objection.get_state_display()}），不能再提出意见。")
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": "请填写复核意见。"})
    if len(opinion) > FINDINGS_MAX_LENGTH:
        raise ValidationError({"opinion": f"复核意见不能超过{FINDINGS_MAX_LENGTH}字。"})
    objection.opinion = opinion
    objection.opinion_at = timezone.now()
    objection.full_clean(exclude=["state", "evidence"])
    objection.save(update_fields=["opinion", "opinion_at"])
    audit_event(actor=actor, summary="提交异议复核意见", obj=objection, detail={"length": len(opinion)})
    notify(
        recipients=city_hrss_staff(),
        title=f"异议 {objection.receipt_no} 已有专家复核意见",
        body=f"{actor.display_name or actor.username}提交了对{objection.entry.unit_name}异议的复核意见。",
        url=reverse("review:objection", args=[objection.pk]),
    )
    return objection


@transaction.atomic
def objection_decide(*, objection: Objection, actor: User, upheld: bool, findings: str) -> Objection:
    """复核结论: upheld → the application ``in_publicity → disqualified`` and the unit told the
    reasons; dismissed → the outcome shown to the filer. Side effects: the transition logs, an audit
    entry, the notice page's cache refreshed."""
    require_perm(actor, "review.handle_objection")
    objection = _lock(objection)
    if objection.is_resolved:
        raise AlreadyHandled(f"该异议已复核办结（{objection.get_state_display()}）。")
    if objection.state != ObjectionState.UNDER_REVIEW:
        raise ValidationError("请先安排复核，再记录复核结论。")
    findings = (findings or "").strip()
    if len(findings) < 10:
        raise ValidationError({"findings": "请写明复核结论及理由（不少于10个字），异议人可凭受理编号查看。"})
    if len(findings) > FINDINGS_MAX_LENGTH:
        raise ValidationError({"findings": f"复核结论不能超过{FINDINGS_MAX_LENGTH}字。"})
    objection.findings = findings
    objection.decided_by = actor
    objection.full_clean(exclude=["state", "evidence"])
    application = Application.objects.select_for_update(of=("self",)).get(pk=objection.entry.application_id)
    disqualified = False
    if upheld:
        objection.uphold(by=actor, description="经复核，异议成立")
        if application.state == ApplicationState.IN_PUBLICITY:
            application.disqualify(
                by=actor, description=f"公示异议经复核成立（{objection.receipt_no}）：{findings}"
            )
            application.save()
            disqualified = True
    else:
        objection.dismiss(by=actor, description="经复核，异议不成立")
    objection.save()
    Publicity.objects.filter(pk=objection.publicity_id).update(version=objection.publicity.version + 1)
    audit_event(
        actor=actor,
        summary="异议复核结论：" + ("异议成立，取消资格" if upheld else "异议不成立"),
        obj=objection,
        detail={"application": application.pk, "upheld": upheld, "disqualified": disqualified},
    )
    if disqualified:
        notify(
            recipients=unit_members_of(application.unit_id),
            title=f"{objection.publicity.batch.year}年度实训基地认定：经复核取消资格",
            body=f"公示期间有人对您单位提出异议，经复核异议成立，取消您单位本批次的认定资格。复核结论：{findings}",
            url=reverse("applications:my_applications"),
        )
    return objection
