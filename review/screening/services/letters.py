"""The recommendation letter (推荐函) of a reported list: rendered once, by a task, never under a lock."""

import hashlib
import logging
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.core.uploads import check_upload
from shaoxing_bases.permissions import require_perm

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
    copy. The letter is issued through ``documents.signing.document_issue`` (signed by the county
    HRSS bureau, 校验码 printed, archived once per list), and its signed bytes are the letter kept
    here. Side effects: the issued document, the PDF file, its SHA-256, audit entries (by the system).
    """
    from ..documents import issue_recommendation_letter  # documents imports the models

    recommendation = (
        Recommendation.objects.select_related("batch", "region")
        .filter(pk=recommendation_id, state=RecommendationState.SUBMITTED_TO_CITY)
        .first()
    )
    if recommendation is None or recommendation.letter:
        return False
    issued = issue_recommendation_letter(recommendation)
    with issued.file.open("rb") as handle:
        pdf = handle.read()
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


@transaction.atomic
def recommendation_signed_scan_upload(
    *, recommendation: Recommendation, actor: User, uploaded
) -> Recommendation:
    """The letter as signed and stamped by both bureaus, scanned (PDF only, checked by content).

    Uploaded by county HRSS once the list is at the city; uploading again replaces the scan (the
    audit trail keeps both hashes). Side effects: the file, its SHA-256, an audit entry; the old file
    leaves the disk after the commit.
    """
    require_perm(actor, "review.compile_recommendation", recommendation)
    recommendation = (
        Recommendation.objects.select_for_update(of=("self",))
        .select_related("batch", "region")
        .get(pk=recommendation.pk)
    )
    if recommendation.state != RecommendationState.SUBMITTED_TO_CITY:
        raise AlreadyHandled("推荐名单报送市人力社保局后，才能上传推荐函盖章扫描件。")
    checked = check_upload(uploaded)
    if checked.content_type != "application/pdf":
        raise ValidationError({"scan": "盖章扫描件须为 PDF 文件（系统按文件内容识别）。"})
    previous_name, previous_hash = recommendation.signed_scan.name, recommendation.signed_scan_sha256
    recommendation.signed_scan.save("scan.pdf", uploaded, save=False)
    recommendation.signed_scan_sha256 = checked.sha256
    recommendation.signed_scan_uploaded_at = timezone.now()
    recommendation.save(
        update_fields=["signed_scan", "signed_scan_sha256", "signed_scan_uploaded_at", "updated_at"]
    )
    audit_event(
        actor=actor,
        summary="上传推荐函盖章扫描件",
        obj=recommendation,
        detail={"sha256": checked.sha256, "replaced": previous_hash or None},
    )
    if previous_name:
        storage = recommendation.signed_scan.storage
        transaction.on_commit(lambda: storage.delete(previous_name))
    return recommendation
