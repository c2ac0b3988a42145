"""Drafting and co-signing the decision (起草、会签)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.enums import BatchState
from applications.models import Batch
from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import city_finance_staff, city_hrss_staff
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm

from .. import wording
from ..enums import DecisionState
from ..models import BODY_MAX_LENGTH, REASON_MAX_LENGTH, TITLE_MAX_LENGTH, Decision
from ..selectors import candidate_ids

EMPTY_LIST = "本批次已没有公示中的拟认定单位，不能发文确定最终入选项目。"


def decision_initial(batch: Batch) -> dict:
    """What a new draft starts from: the Measures' wording and today's date."""
    return {
        "title": wording.default_title(batch),
        "body": wording.default_body(batch),
        "decision_date": timezone.localdate(),
    }


def _check_text(title: str, body: str, decision_date: date | None) -> dict:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = "请填写标题。"
    elif len(title.strip()) > TITLE_MAX_LENGTH:
        errors["title"] = f"标题不能超过{TITLE_MAX_LENGTH}个字。"
    if not wording.paragraphs(body):
        errors["body"] = "请填写正文。"
    elif len(body) > BODY_MAX_LENGTH:
        errors["body"] = f"正文不能超过{BODY_MAX_LENGTH}个字。"
    if decision_date is None:
        errors["decision_date"] = "请填写成文日期。"
    elif not wording.is_plausible_date(decision_date, timezone.localdate()):
        errors["decision_date"] = "成文日期须在今天前后60天以内。"
    return errors


@transaction.atomic
def decision_draft_save(
    *, batch: Batch, actor: User, title: str, body: str, decision_date: date | None
) -> Decision:
    """Create or change the batch's draft decision (city HRSS).

    Refused (AlreadyHandled) before the batch's publicity, once finance has co-signed (finance must
    send it back first) and once issued. Side effects: the decision row, an audit entry, a notice to
    city finance when the draft is new or was sent back.
    """
    require_perm(actor, "review.draft_decision")
    batch = Batch.objects.select_for_update().get(pk=batch.pk)
    if batch.state != BatchState.PUBLICITY:
        raise AlreadyHandled(f"批次当前为“{batch.get_state_display()}”阶段：评审结果公示后才能起草认定文件。")
    errors = _check_text(title, body, decision_date)
    if errors:
        raise ValidationError(errors)
    decision = Decision.objects.select_for_update().filter(batch=batch).first()
    created = decision is None
    if decision is None:
        decision = Decision(batch=batch)
    elif decision.state == DecisionState.COSIGNED:
        raise AlreadyHandled("市财政局已会签，认定文件不能再修改；如需修改，请市财政局退回。")
    elif decision.state == DecisionState.ISSUED:
        raise AlreadyHandled(f"认定文件已印发（{decision.document_number}），不能再修改。")
    decision.title = title.strip()
    decision.body = body.strip()
    decision.decision_date = decision_date
    decision.drafted_by = actor
    decision.drafted_at = timezone.now()
    decision.full_clean(exclude=["state", "batch"])
    decision.save()
    audit_event(
        actor=actor,
        summary="起草认定文件" if created else "修改认定文件草稿",
        obj=decision,
        detail={"batch": batch.pk, "title": decision.title},
    )
    if created or decision.declined_reason:
        notify(
            recipients=city_finance_staff(),
            title=f"{batch.year}年度实训基地认定文件待会签",
            body="市人力社保局已修改被退回的认定文件，请重新审核会签。"
            if decision.declined_reason
            else "市人力社保局已起草认定文件，请审核会签。",
            url=reverse("review:decision", kwargs={"batch_pk": batch.pk}),
        )
    return decision


def _locked(decision: Decision) -> Decision:
    return Decision.objects.select_for_update(of=("self",)).select_related("batch").get(pk=decision.pk)


@transaction.atomic
def decision_cosign(*, decision: Decision, actor: User, comment: str = "") -> Decision:
    """市财政局会签 the draft; the list co-signed is kept so that it cannot change unseen.

    Refused when the draft is no longer a draft or the list is empty. Side effects: the transition
    log, an audit entry, a notice to city HRSS.
    """
    require_perm(actor, "review.cosign_decision", decision)
    decision = _locked(decision)
    if decision.state != DecisionState.DRAFT:
        raise AlreadyHandled(f"认定文件当前为“{decision.get_state_display()}”，不能会签。")
    if len(comment) > REASON_MAX_LENGTH:
        raise ValidationError({"comment": f"会签意见不能超过{REASON_MAX_LENGTH}个字。"})
    listed = candidate_ids(decision.batch)
    if not listed:
        raise ValidationError(EMPTY_LIST)
    decision.cosign(by=actor, description=comment.strip())
    decision.cosigned_list = listed
    decision.save()
    audit_event(actor=actor, summary="会签认定文件", obj=decision, detail={"applications": listed})
    notify(
        recipients=city_hrss_staff(),
        title=f"{decision.batch.year}年度实训基地认定文件已会签",
        body="市财政局已会签认定文件，可以印发。",
        url=reverse("review:decision", kwargs={"batch_pk": decision.batch_id}),
    )
    return decision


@transaction.atomic
def decision_decline(*, decision: Decision, actor: User, reason: str) -> Decision:
    """市财政局退回 the draft (or withdraws its co-signature) with a reason; the decision is a draft
    again. Side effects: the transition log, an audit entry, a notice to city HRSS."""
    require_perm(actor, "review.cosign_decision", decision)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写退回理由。"})
    if len(reason) > REASON_MAX_LENGTH:
        raise ValidationError({"reason": f"退回理由不能超过{REASON_MAX_LENGTH}个字。"})
    decision = _locked(decision)
    if decision.state == DecisionState.ISSUED:
        raise AlreadyHandled(f"认定文件已印发（{decision.document_number}），不能退回。")
    decision.decline(by=actor, description=reason)
    decision.save()
    audit_event(actor=actor, summary="退回认定文件", obj=decision, detail={"reason": reason})
    notify(
        recipients=city_hrss_staff(),
        title=f"{decision.batch.year}年度实训基地认定文件被市财政局退回",
        body=f"退回理由：{reason}",
        url=reverse("review:decision", kwargs={"batch_pk": decision.batch_id}),
    )
    return decision
