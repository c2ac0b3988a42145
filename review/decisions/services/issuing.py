"""Issuing the decision (印发): one transaction that numbers it, approves the list, creates the bases
(through the approval effects), concludes the batch and queues the documents and notifications."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from applications.batches.services import batch_transition, batch_transition_blockers
from applications.enums import BatchState
from applications.models import Application, Batch
from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.background import enqueue_after_commit
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.documents.numbering import document_number_allocate
from shaoxing_bases.permissions import require_perm

from .. import wording
from ..effects import run_approval_effects
from ..enums import DecisionState, OutboxKind
from ..models import ApprovalLetter, Decision, DecisionItem, OutboxMessage
from ..selectors import candidates
from .drafting import EMPTY_LIST


def decision_issue_refusal(decision: Decision, now: datetime | None = None) -> str:
    """The Chinese reason the decision may not be issued now ("" when it may), without locks: the page
    shows it beside the button, `decision_issue` raises it."""
    now = now or timezone.now()
    batch = decision.batch
    if decision.state == DecisionState.ISSUED:
        return f"认定文件已印发（{decision.document_number}），不能重复发文。"
    if decision.state != DecisionState.COSIGNED:
        return "认定文件须经市财政局会签后才能印发。"
    if batch.state != BatchState.PUBLICITY:
        return f"批次当前为“{batch.get_state_display()}”阶段，不能发文。"
    if decision.decision_date > timezone.localdate(now):
        return f"成文日期为{decision.decision_date:%Y-%m-%d}，尚未到达，不能提前印发。"
    if blockers := batch_transition_blockers(batch, "conclude", now):
        return "尚不能发文：" + "；".join(blockers)
    return ""


@transaction.atomic
def decision_issue(*, decision: Decision, actor: User, now: datetime | None = None) -> Decision:
    """印发认定文件 (city HRSS), once: the batch row is locked first, so a second or concurrent issue
    waits and then finds the decision issued (AlreadyHandled): one number, one set of bases.

    In this transaction: the 发文字号 绍市人社发〔YYYY〕N号 (gap-free: a rollback returns it), one
    绍市人社函 number per approval letter, ``approve`` of every application still in publicity (the list
    co-signed by finance must be unchanged), the registered approval effects (the training bases),
    the batch's ``conclude`` transition (whose readiness rules — the publicity window, open objections
    — refuse here too), an audit entry and the outbox messages. After the commit: the PDF render tasks.
    """
    require_perm(actor, "review.issue_decision")
    now = now or timezone.now()
    batch = Batch.objects.select_for_update().get(pk=decision.batch_id)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    decision.batch = batch
    if refusal := decision_issue_refusal(decision, now):
        raise AlreadyHandled(refusal)
    applications = list(candidates(batch).select_for_update(of=("self",)))
    if not applications:
        raise ValidationError(EMPTY_LIST)
    if sorted(application.pk for application in applications) != sorted(decision.cosigned_list):
        raise ValidationError(
            "公示名单在市财政局会签后发生了变化（如异议经复核成立取消了资格），请市财政局退回后重新会签。"
        )
    number = document_number_allocate(prefix=wording.NUMBER_PREFIX, year=decision.decision_date.year)
    decision.document_number = number
    decision.issue(by=actor, description=number)
    decision.issued_at = now
    decision.save()
    letters = []
    for position, application in enumerate(applications, start=1):
        application.approve(by=actor, description=number)
        application.save()
        DecisionItem.objects.create(decision=decision, application=application, position=position)
        run_approval_effects(application=application, document_number=number, approved_at=now, actor=actor)
        letters.append(
            ApprovalLetter.objects.create(
                decision=decision,
                application=application,
                number=document_number_allocate(
                    prefix=wording.LETTER_PREFIX, year=decision.decision_date.year
                ),
            )
        )
    batch_transition(batch=batch, actor=actor, name="conclude", now=now)
    _queue_messages(decision, applications)
    audit_event(
        actor=actor,
        summary="印发认定文件",
        obj=decision,
        detail={"document_number": number, "approved": [application.pk for application in applications]},
    )
    from ..tasks import render_approval_letter_task, render_decision_notice_task

    enqueue_after_commit(render_decision_notice_task, decision_id=decision.pk)
    for letter in letters:
        enqueue_after_commit(render_approval_letter_task, letter_id=letter.pk)
    return decision


def _queue_messages(decision: Decision, applications: list[Application]) -> None:
    """One message per approved unit and one per county with approved units, held in the outbox."""
    number = decision.document_number
    year = decision.batch.year
    counties: dict[int, list[str]] = {}
    for application in applications:
        unit = application.unit
        counties.setdefault(unit.region_id, []).append(unit.name)
        OutboxMessage.objects.create(
            decision=decision,
            kind=OutboxKind.UNIT,
            application=application,
            title=f"{unit.name}已被认定为绍兴市市级高技能人才公共实训基地",
            body=(
                f"根据{number}，贵单位被认定为{year}年度绍兴市市级高技能人才公共实训基地建设项目。"
                "认定文件和认定通知书可在申报详情页查看、下载。"
            ),
            url=reverse("applications:detail", kwargs={"pk": application.pk}),
        )
    for region_id, names in counties.items():
        OutboxMessage.objects.create(
            decision=decision,
            kind=OutboxKind.COUNTY,
            region_id=region_id,
            title=f"{year}年度市级高技能人才公共实训基地认定结果",
            body=f"根据{number}，本地区{len(names)}家单位被认定为市级高技能人才公共实训基地：{'、'.join(names)}。",
        )
