"""Provincial scale of the decision (认定发文) for `manage.py seed_scale` (bulk rows, after the
publicity's step): the issued decision of each earlier concluded batch of the scale data that has
none yet, listing (`DecisionItem`) every application on its concluded notice, in the notice's order,
with its "印发认定文件" audit entry (through `audit.services.audit_record_many`). The training bases
of `reporting/scale.py` carry its number. The demo's batches keep the decisions the demo issued.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from applications.enums import BatchState
from applications.models import Batch
from review.publicity.models import PublicityEntry
from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.models import AuditAction, AuditOutcome
from shaoxing_bases.audit.services import audit_record_many
from shaoxing_bases.core.scale import demo_batch_years, register_scale

from .enums import DecisionState
from .models import Decision, DecisionItem
from .wording import NUMBER_PREFIX, default_body, default_title

CHUNK = 5_000


def _issue(batch: Batch, city: User | None, finance: User | None) -> tuple[Decision, int]:
    publicity = batch.publicity
    issued = (publicity.concluded_at or publicity.ends_at) + timedelta(days=7)
    listed = list(
        PublicityEntry.objects.filter(publicity=publicity)
        .order_by("position")
        .values_list("application_id", flat=True)
    )
    # A bulk row for the benchmark: the decision is issued, no transition runs (the demo runs them).
    decision = Decision.objects.create(
        batch=batch,
        state=DecisionState.ISSUED,
        title=default_title(batch),
        body=default_body(batch),
        decision_date=timezone.localtime(issued).date(),
        drafted_by=city,
        drafted_at=issued - timedelta(days=4),
        cosigned_by=finance,
        cosigned_at=issued - timedelta(days=2),
        cosigned_list=listed,
        issued_by=city,
        issued_at=issued,
        # The scale's own number, above any the real sequence of that year reaches.
        document_number=f"{NUMBER_PREFIX}〔{batch.year}〕900号",
    )
    items = DecisionItem.objects.bulk_create(
        [
            DecisionItem(decision=decision, application_id=application_id, position=position)
            for position, application_id in enumerate(listed, start=1)
        ],
        batch_size=CHUNK,
    )
    audit_record_many(
        [
            {
                "action": AuditAction.STATE_CHANGE,
                "outcome": AuditOutcome.SUCCESS,
                "actor": city,
                "created_at": issued,
                "object_repr": str(decision),
                "summary": "印发认定文件",
                "detail": {
                    "model": "decisions.Decision",
                    "pk": decision.pk,
                    "bases": len(items),
                    "scale": True,
                },
            }
        ]
    )
    return decision, len(items)


@register_scale("decisions", order=50)
def seed_scale_decisions(factor: float) -> list[str]:
    """The decisions of the scale's own concluded batches whose notice is concluded."""
    city = User.objects.filter(username="city_hrss").first()
    finance = User.objects.filter(username="city_finance").first()
    lines = []
    batches = (
        Batch.objects.filter(state=BatchState.CONCLUDED, publicity__isnull=False, decision__isnull=True)
        .exclude(year__in=demo_batch_years())
        .select_related("publicity")
        .order_by("year")
    )
    for batch in batches:
        with transaction.atomic():
            decision, items = _issue(batch, city, finance)
        lines.append(f"认定发文：{batch.year}年度 {decision.document_number}，认定{items}家实训基地")
    return lines
