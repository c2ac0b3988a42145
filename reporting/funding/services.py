"""Writes of the funding records (项目支持, clause 5.1). Each service asks its permission, locks the
base, writes and audits in one transaction."""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.permissions import require_perm

from ..enums import BaseState, FundingPurpose
from ..models import FundingRecord, TrainingBase

#: The earliest year a base can have been funded: the Measures took effect on 1 September 2022.
FIRST_FUNDING_YEAR = 2022


@dataclass(frozen=True)
class FundingInput:
    year: int
    amount: Decimal
    purpose: str
    document_reference: str
    note: str = ""


def _check(data: FundingInput, base: TrainingBase) -> None:
    """The rules of a funding record, with their Chinese messages (the form shows them by field)."""
    errors: dict[str, str] = {}
    this_year = timezone.localdate().year
    approved_year = timezone.localtime(base.approved_at).year
    if data.amount is None or data.amount <= 0:
        errors["amount"] = "金额须大于 0 元（退回或冲减的经费请联系市财政局处理，不能登记负数）。"
    elif data.amount.as_tuple().exponent < -2:  # type: ignore[operator]
        errors["amount"] = "金额最多保留两位小数（单位：元）。"
    if data.year > this_year:
        errors["year"] = f"不能登记{this_year}年以后年度的经费。"
    elif data.year < max(FIRST_FUNDING_YEAR, approved_year):
        errors["year"] = f"该基地于{approved_year}年认定，不能登记{approved_year}年以前的经费。"
    if data.purpose not in FundingPurpose.values:
        errors["purpose"] = "请选择经费用途。"
    elif data.purpose == FundingPurpose.OTHER and not data.note.strip():
        errors["note"] = "用途为“其他”时，请在说明中写明具体用途。"
    if not data.document_reference.strip():
        errors["document_reference"] = "请填写拨款文件文号（如 越财社〔2025〕12号）。"
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def funding_record_create(*, base: TrainingBase, actor: User, data: FundingInput) -> FundingRecord:
    """登记经费支持: county finance records what its bureau gave a base of its county.

    Refused for an exited base (退出 ends the support). Side effects: the record, an audit entry."""
    require_perm(actor, "reporting.record_funding", base)
    base = TrainingBase.objects.select_for_update().get(pk=base.pk)
    if base.state == BaseState.EXITED:
        raise AlreadyHandled("该基地已退出，不能再登记经费支持。")
    _check(data, base)
    record = FundingRecord(
        base=base,
        year=data.year,
        amount=data.amount,
        purpose=data.purpose,
        document_reference=data.document_reference.strip(),
        note=data.note.strip(),
        recorded_by=actor,
    )
    record.full_clean(exclude=["base", "recorded_by"])
    record.save()
    audit_event(
        actor=actor,
        summary="登记经费支持",
        obj=record,
        detail={
            "base": base.pk,
            "year": data.year,
            "amount": str(data.amount),
            "purpose": data.purpose,
            "document_reference": record.document_reference,
        },
    )
    return record
