"""The recommendation letter (推荐函) of a reported list: rendered once, by a task, never under a lock."""

import hashlib
import logging
from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shaoxing_bases.audit.services import audit_event

from ..enums import RecommendationState
from ..models import Recommendation

logger = logging.getLogger(__name__)

# How many missing letters one minute's sweep enqueues.
LETTER_SWEEP_LIMIT = 20
# A list reported this recently still has its own task on the way: the sweep leaves it alone.
LETTER_GRACE = timedelta(minutes=2)


def recommendation_letter_render(*, recommendation_id: int) -> bool:
    """Render and store the letter of a submitted list, once. Returns whether it stored one now.

    The PDF is rendered with no lock held (it takes a second or two); the row is then locked and
    re-checked, so a second run (a redelivered task, the sweep's task) stores nothing and deletes its
    copy. Side effects: the PDF file, its SHA-256, an audit entry (by the system).
    """
    from ..documents import render_recommendation_letter  # documents imports the models

    recommendation = (
        Recommendation.objects.select_related("batch", "region")
        .filter(pk=recommendation_id, state=RecommendationState.SUBMITTED_TO_CITY)
        .first()
    )
    if recommendation is None or recommendation.letter:
        return False
    pdf = render_recommendation_letter(recommendation)
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update(of=("self",)).filter(pk=recommendation_id).first()
        if locked is None or locked.letter or locked.state != RecommendationState.SUBMITTED_TO_CITY:
            return False
        locked.letter.save("letter.pdf", ContentFile(pdf), save=False)
        name = locked.letter.name
        try:
            locked.letter_sha256 = hashlib.sha256(pdf).hexdigest()
            locked.letter_rendered_at = timezone.now()
            locked.save(update_fields=["letter", "letter_sha256", "letter_rendered_at", "updated_at"])
            audit_event(actor=None, summary="生成推荐函", obj=locked, detail={"sha256": locked.letter_sha256})
        except Exception:
            locked.letter.storage.delete(name)  # no orphan file
            raise
    logger.info("rendered recommendation letter of %s (%s bytes)", recommendation_id, len(pdf))
    return True


def recommendation_letters_sweep(now=None) -> int:
    """Enqueue the letters of reported lists that have none: their task's message was lost (a broker
    outage at commit, a worker lost mid-render). Part of the minute sweep (DESIGN §8); the render
    itself runs in its own task, never inside the sweep. Returns how many it enqueued.
    """
    from ..tasks import render_recommendation_letter_task

    now = now or timezone.now()
    missing = (
        Recommendation.objects.filter(state=RecommendationState.SUBMITTED_TO_CITY)
        .filter(Q(submitted_at__isnull=True) | Q(submitted_at__lte=now - LETTER_GRACE))
        .filter(Q(letter="") | Q(letter__isnull=True))
        .order_by("submitted_at", "pk")
        .values_list("pk", flat=True)[:LETTER_SWEEP_LIMIT]
    )
    enqueued = 0
    for recommendation_id in list(missing):
        try:
            render_recommendation_letter_task.delay(recommendation_id=recommendation_id)
        except Exception:
            # One list must not stop the others (a broker hiccup, or — with eager tasks — a render
            # that failed): the next minute's sweep tries again.
            logger.exception(
                "letter of recommendation %s not enqueued; the next sweep retries", recommendation_id
            )
            continue
        enqueued += 1
    return enqueued
