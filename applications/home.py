"""The applications' section of the public home page: the batches taking applications now, each
with its deadline, a countdown and 立即申报 (registration for visitors, 我的申报 for applicants)."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from shaoxing_bases.core.deadlines import Countdown, countdown
from shaoxing_bases.core.home import HomeSection, register_home_section

from .enums import BatchState
from .models import Batch


@dataclass(frozen=True)
class OpenBatch:
    batch: Batch
    countdown: Countdown


def batches_taking_applications(now=None) -> QuerySet[Batch]:
    """Open batches whose submission window contains `now` (the clock decides, as in the services)."""
    now = now or timezone.now()
    return Batch.objects.filter(
        state=BatchState.OPEN, opens_at__lte=now, submission_deadline__gt=now
    ).order_by("submission_deadline", "-year")


def _open_batches(user) -> dict:
    now = timezone.now()
    return {
        "open_batches": [
            OpenBatch(batch, countdown(batch.submission_deadline, now))
            for batch in batches_taking_applications(now)
        ]
    }


register_home_section(
    HomeSection(
        key="open_batches",
        template="applications/batches/_home_open_batches.html",
        context=_open_batches,
        order=10,
    )
)
