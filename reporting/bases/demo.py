"""Demo of the bases' funding and assessments, through the services, on the bases the decision's
demo created (order 50). With no base yet (a branch without the decision) it does nothing.

- every listed base: funding from its county's finance bureau for each year since its approval
  (equipment every year, teacher training and infrastructure in alternate years);
- the first listed base: an assessment of 整改 by its county HRSS, deadline three weeks ahead;
- the second: an assessment of 合格.

Idempotent: a base with funding records gets none added; assessments are recorded only while no
base has any.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from shaoxing_bases.accounts.selectors import county_finance_of, county_hrss_of
from shaoxing_bases.core.demo import register_demo

from ..assessments.services import AssessmentInput, assessment_record
from ..enums import AssessmentResult, FundingPurpose
from ..funding.services import FundingInput, funding_record_create
from ..models import Assessment, FundingRecord
from .selectors import listed_bases


def _funding(base, this_year: int) -> int:
    finance = county_finance_of(base.region_id).first()
    if finance is None or FundingRecord.objects.filter(base=base).exists():
        return 0
    prefix = (base.region.doc_prefix or base.region.name[:1] + "人社").replace("人社", "财社")
    created = 0
    first = timezone.localtime(base.approved_at).year
    for offset, year in enumerate(range(first, this_year + 1)):
        plan = [(FundingPurpose.EQUIPMENT, Decimal(600_000 + 50_000 * ((base.pk + offset) % 5)))]
        plan.append(
            (FundingPurpose.TEACHER_TRAINING, Decimal(80_000))
            if offset % 2
            else (FundingPurpose.INFRASTRUCTURE, Decimal(300_000 + 20_000 * (base.pk % 4)))
        )
        for number, (purpose, amount) in enumerate(plan, start=1):
            funding_record_create(
                base=base,
                actor=finance,
                data=FundingInput(
                    year=year,
                    amount=amount,
                    purpose=purpose,
                    document_reference=f"{prefix}〔{year}〕{10 + base.pk % 30 + number}号",
                ),
            )
            created += 1
    return created


def _assessments(bases) -> list[str]:
    if Assessment.objects.exists() or not bases:
        return []
    today = timezone.localdate()
    lines = []
    plans = [
        (
            AssessmentResult.RECTIFY,
            "实训设备台账与实物不符，部分设备长期未维护；高级工及以上培训人数较上年下降。",
            "一个月内完成设备清查和维护，补齐高级工及以上培训计划并报区县人力社保局备案。",
            today + timedelta(days=21),
        ),
        (AssessmentResult.PASSED, "培训和评价规模达到《实施办法》要求，经费使用规范。", "", None),
    ]
    for base, (result, findings, reasons, deadline) in zip(bases, plans, strict=False):
        assessor = county_hrss_of(base.region_id).first()
        if assessor is None:
            continue
        assessed_on = max(today - timedelta(days=3), timezone.localdate(base.approved_at))
        assessment_record(
            base=base,
            actor=assessor,
            data=AssessmentInput(
                assessed_on=assessed_on,
                scope=f"{today.year - 1}年度基地建设情况和项目开展情况：培训规模、师资、设备、经费使用。",
                findings=findings,
                result=result,
                reasons=reasons,
                rectification_deadline=deadline,
            ),
        )
        lines.append(f"考核评估：{base.name}（{AssessmentResult(result).label}）")
    return lines


@register_demo("bases", order=60)
def seed_bases() -> list[str]:
    bases = list(listed_bases().select_related("region").order_by("approved_at", "pk"))
    if not bases:
        return []
    this_year = timezone.localdate().year
    funded = sum(_funding(base, this_year) for base in bases)
    lines = [f"经费支持：新登记 {funded} 笔（{len(bases)} 个基地）"] if funded else []
    return lines + _assessments(bases)
