"""Reminders to the counties 3 days and 1 day before the screening deadline (minute sweep)."""

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState, BatchState
from applications.models import Application, Batch
from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.accounts.selectors import county_finance_of, county_hrss_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.notifications.services import notify

from ..enums import RecommendationState, ReminderKind
from ..models import Recommendation, ScreeningReminder
from ._common import local

logger = logging.getLogger(__name__)

# How many days before the screening deadline each reminder goes out, most urgent first.
REMINDER_LEAD = ((ReminderKind.ONE_DAY, timedelta(days=1)), (ReminderKind.THREE_DAYS, timedelta(days=3)))


def _counties_with_open_work(batch: Batch) -> list[tuple[int, str, int | None]]:
    """(region id, name, id of its list awaiting the co-signature or None) of every county with
    submitted applications still undecided, recommended ones not yet reported, or a list awaiting
    the finance co-signature."""
    undecided = Application.objects.filter(
        batch=batch, unit__region=OuterRef("pk"), state=ApplicationState.SUBMITTED
    )
    recommended = Application.objects.filter(
        batch=batch, unit__region=OuterRef("pk"), state=ApplicationState.RECOMMENDED
    )
    reported = Recommendation.objects.filter(
        batch=batch, region=OuterRef("pk"), state=RecommendationState.SUBMITTED_TO_CITY
    )
    awaiting = Recommendation.objects.filter(
        batch=batch, region=OuterRef("pk"), state=RecommendationState.AWAITING_COSIGN
    ).values("pk")[:1]
    rows = (
        Region.objects.annotate(
            undecided=Exists(undecided),
            recommended=Exists(recommended),
            reported=Exists(reported),
            awaiting=Subquery(awaiting),
        )
        .order_by("sort_order")
        .values_list("pk", "name", "undecided", "recommended", "reported", "awaiting")
    )
    return [
        (pk, name, awaiting_id)
        for pk, name, is_undecided, is_recommended, is_reported, awaiting_id in rows
        if is_undecided or (is_recommended and not is_reported) or awaiting_id is not None
    ]


def _reminder_due(batch: Batch, now: datetime) -> str | None:
    remaining = batch.screening_deadline - now
    if remaining.total_seconds() <= 0:
        return None
    for kind, lead in REMINDER_LEAD:
        if remaining <= lead:
            return kind
    return None


def screening_reminders_sweep(now: datetime | None = None) -> int:
    """Remind the county 3 days and 1 day before the screening deadline, once per kind.

    Only counties with open work are reminded: county HRSS when applications are undecided or the
    list is unreported, county finance as well when the list awaits its co-signature. The unique
    ``ScreeningReminder`` row, created in the same transaction as the messages, makes a second
    sweep (or a concurrent one) send nothing; no row is written when nobody could be told (no
    active account yet), so the reminder goes out once someone can read it. When the sweep ran late
    and both reminders are due, only the more urgent one goes out. Returns how many were sent.
    """
    now = now or timezone.now()
    sent = 0
    batches = Batch.objects.filter(
        screening_deadline__gt=now, screening_deadline__lte=now + REMINDER_LEAD[-1][1]
    ).exclude(state=BatchState.DRAFT)
    for batch in batches:
        kind = _reminder_due(batch, now)
        if kind is None:
            continue
        for region_id, region_name, awaiting_id in _counties_with_open_work(batch):
            sent += _send_reminder(batch, region_id, region_name, kind, awaiting_id)
    return sent


def _send_reminder(batch: Batch, region_id: int, region_name: str, kind: str, awaiting_id: int | None) -> int:
    days = "1" if kind == ReminderKind.ONE_DAY else "3"
    deadline = local(batch.screening_deadline)
    try:
        with transaction.atomic():
            if ScreeningReminder.objects.filter(batch=batch, region_id=region_id, kind=kind).exists():
                return 0
            hrss = list(county_hrss_of(region_id))
            finance = list(county_finance_of(region_id)) if awaiting_id else []
            if not hrss and not finance:
                logger.warning("no active staff in region %s to remind of batch %s", region_id, batch.pk)
                return 0
            reminder = ScreeningReminder.objects.create(
                batch=batch, region_id=region_id, kind=kind, recipients=len(hrss) + len(finance)
            )
            audit_event(
                actor=None,
                summary=f"发送初审截止提醒（{reminder.get_kind_display()}）",
                obj=batch,
                detail={"region": region_name, "recipients": reminder.recipients},
            )
            _remind(
                hrss,
                title=f"{batch.year}年度实训基地区县初审将于{days}天内截止",
                body=(
                    f"初审截止时间：{deadline}。"
                    "本区县尚有未处理的申报或未报送的推荐名单，逾期将不能再作出初审决定。"
                ),
                url=reverse("review:queue") + f"?batch={batch.pk}",
            )
            if awaiting_id is not None:
                _remind(
                    finance,
                    title=f"{region_name}{batch.year}年度实训基地推荐名单待会签，初审将于{days}天内截止",
                    body=(
                        f"初审截止时间：{deadline}。区县人力社保局已提请会签推荐名单，"
                        "请及时审核会签，以便按时报送市人力社保局。"
                    ),
                    url=reverse("review:recommendation", args=[awaiting_id]),
                )
    except IntegrityError:  # a concurrent sweep created the row first: it sends, we do not
        return 0
    return 1


def _remind(recipients: Iterable[User], *, title: str, body: str, url: str) -> None:
    recipients = list(recipients)
    if recipients:
        notify(recipients=recipients, title=title, body=body, url=url)
