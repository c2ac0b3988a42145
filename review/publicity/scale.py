"""Provincial scale of the publicity (公示) for `manage.py seed_scale` (bulk rows, after the review's
steps): the notice of each earlier concluded batch of the scale data (`applications/scale.py` adds
one, four years ago, with ~2,900 approved applications at factor 1.0) that has none yet — concluded,
listing every approved application of the batch in order — and one real-name objection for every
300 units on it, reviewed and dismissed (the units were approved). The demo's batches keep the
notices the demo published through the services: a published notice's list is never changed.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationState, BatchState, UnitType
from applications.models import Application, Batch
from shaoxing_bases.accounts.models import User
from shaoxing_bases.core.scale import demo_batch_years, register_scale

from .enums import ObjectionState, PublicityState
from .models import Objection, Publicity, PublicityEntry
from .services.publishing import DEFAULT_CONTACT

PUBLICITY_DAYS = 5
OBJECTION_EVERY = 300
CHUNK = 5_000


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    """A Shanghai moment, in UTC as the database gives it back."""
    return timezone.make_aware(datetime(year, month, day, hour)).astimezone(UTC)


def _notice(batch: Batch, city: User | None) -> tuple[Publicity, int, int]:
    starts = _at(batch.year, 6, 1)
    ends = starts + timedelta(days=PUBLICITY_DAYS)
    # A bulk row for the benchmark: the notice is concluded, no transition runs (the demo runs them).
    publicity = Publicity.objects.create(
        batch=batch,
        state=PublicityState.CONCLUDED,
        title=f"{batch.year}年度绍兴市市级高技能人才公共实训基地评审结果公示",
        starts_on=timezone.localtime(starts).date(),
        days=PUBLICITY_DAYS,
        starts_at=starts,
        ends_at=ends,
        published_at=starts - timedelta(days=1),
        published_by=city,
        opened_at=starts,
        closed_at=ends,
        concluded_at=ends + timedelta(days=10),
        **DEFAULT_CONTACT,
    )
    applications = list(
        Application.objects.filter(batch=batch, state=ApplicationState.APPROVED)
        .select_related("unit__region")
        .order_by("pk")
    )
    entries = PublicityEntry.objects.bulk_create(
        [
            PublicityEntry(
                publicity=publicity,
                application=application,
                position=position,
                unit_name=application.unit.name[:100],
                county_name=application.unit.region.name,
                unit_type_label=UnitType(application.unit.unit_type).label,
                score=Decimal("95.00") - Decimal(position * 20 // max(len(applications), 1)),
                votes="同意9票/共9票",
            )
            for position, application in enumerate(applications, start=1)
        ],
        batch_size=CHUNK,
    )
    expert = User.objects.filter(username="expert1").first()
    objections = [
        Objection(
            publicity=publicity,
            entry=entry,
            receipt_no=f"YY{batch.year}0601{index:06d}",
            submission_key=uuid.uuid4(),
            state=ObjectionState.DISMISSED,
            name="张先生",
            phone="13900000000",
            organisation="",
            reasons=f"反映{entry.unit_name}申报材料中的培训人数与实际不符。",
            filed_at=starts + timedelta(days=1, hours=index % 72),
            reviewer=expert,
            assigned_by=city,
            assigned_at=starts + timedelta(days=3),
            assignment_note="请核对该单位近三年培训台账。",
            opinion="经核对培训台账和评价记录，申报材料所列培训人数属实。",
            opinion_at=ends + timedelta(days=3),
            findings="经复核，异议反映的问题不属实，异议不成立。",
            decided_by=city,
            decided_at=ends + timedelta(days=5),
        )
        for index, entry in enumerate(entries[::OBJECTION_EVERY], start=1)
    ]
    Objection.objects.bulk_create(objections, batch_size=CHUNK)
    return publicity, len(entries), len(objections)


@register_scale("publicity", order=40)
def seed_scale_publicity(factor: float) -> list[str]:
    """The notices of the scale's own concluded batches (the size follows their approved applications)."""
    city = User.objects.filter(username="city_hrss").first()
    lines = []
    batches = (
        Batch.objects.filter(state=BatchState.CONCLUDED, publicity__isnull=True)
        .exclude(year__in=demo_batch_years())
        .order_by("year")
    )
    for batch in batches:
        with transaction.atomic():
            publicity, entries, objections = _notice(batch, city)
        lines.append(f"{publicity.title}：{entries} 个单位，{objections} 件异议（均已复核不成立）")
    return lines
