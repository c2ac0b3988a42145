"""Publishing the notice (公示) and moving it through its window (clause 4.3).

- `publicity_start`: city HRSS publishes the confirmed shortlist with a start date and the contact for
  objections; it runs the batch's ``start_publicity`` transition, whose effect is `publicity_publish`.
- `publicity_publish` (the effect, also when the batch page's 进入公示 button runs the transition):
  every shortlisted application ``shortlisted → in_publicity``, the list, HTML and its SHA-256 frozen,
  the PDF rendered after commit, the units told.
- `publicity_sweep`: the minute sweep opens and closes notices on time (the web tier never waits for
  it: `Publicity.accepts_objections` reads the clock).
- `publicity_conclude`: the decision stage closes the file once the window has ended and every
  objection is resolved.
"""

import hashlib
import logging
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from applications.batches.services import batch_transition
from applications.enums import ApplicationState, BatchState, UnitType
from applications.models import Application, Batch
from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import unit_members_of
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.notifications.services import notify
from shaoxing_bases.permissions import require_perm
from shaoxing_bases.validators import normalize_phone, validate_phone, validate_single_line_text

from ...panels.models import RankingEntry
from ..calendar import window
from ..enums import PublicityState
from ..models import Publicity, PublicityEntry
from ..selectors import decision_blockers, window_text

logger = logging.getLogger(__name__)

#: The default contact printed on a notice published without the start page (the batch page's button).
DEFAULT_CONTACT = {
    "contact_department": "绍兴市人力资源和社会保障局职业能力建设处",
    "contact_phone": "0575-85201234",
    "contact_address": "绍兴市越城区洋江西路589号",
}
#: A notice may be scheduled at most this far ahead.
MAX_DAYS_AHEAD = 30
#: A rendered PDF that has not appeared after this long is enqueued again by the sweep.
PDF_GRACE = timedelta(minutes=2)


@dataclass(frozen=True)
class PublicitySettings:
    starts_on: date
    contact_department: str
    contact_phone: str
    contact_address: str


def _settings_errors(values: PublicitySettings, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    if values.starts_on < today:
        errors["starts_on"] = "公示开始日期不能早于今天。"
    elif values.starts_on > today + timedelta(days=MAX_DAYS_AHEAD):
        errors["starts_on"] = f"公示开始日期不能晚于{MAX_DAYS_AHEAD}天之后。"
    for name, label in (("contact_department", "异议受理部门"), ("contact_address", "通信地址")):
        value = getattr(values, name).strip()
        if not value:
            errors[name] = f"请填写{label}。"
            continue
        try:
            validate_single_line_text(value)
        except ValidationError as error:
            errors[name] = error.messages[0]
    try:
        validate_phone(normalize_phone(values.contact_phone))
    except ValidationError as error:
        errors["contact_phone"] = error.messages[0]
    return errors


@transaction.atomic
def publicity_start(
    *, batch: Batch, actor: User, settings: PublicitySettings, now: datetime | None = None
) -> Publicity:
    """市人力社保局发布评审结果公示: the batch goes to publicity with this start date and contact.

    Refused while the shortlist is not confirmed (the batch's readiness rules), for a start date in
    the past or too far ahead, for a bad phone number. Side effects: those of ``batch_transition``
    (``start_publicity``) and of its effect `publicity_publish`.
    """
    require_perm(actor, "review.start_publicity")
    now = now or timezone.now()
    errors = _settings_errors(settings, timezone.localtime(now).date())
    if errors:
        raise ValidationError(errors)
    locked = Batch.objects.select_for_update().get(pk=batch.pk)
    if Publicity.objects.filter(batch=locked).exists():
        raise AlreadyHandled("本批次的评审结果公示已发布。")
    publicity = _new_publicity(locked, actor, settings, now)
    publicity.save()
    batch_transition(batch=locked, actor=actor, name="start_publicity", now=now)
    publicity.refresh_from_db()
    return publicity


def _new_publicity(batch: Batch, actor: User | None, values: PublicitySettings, now: datetime) -> Publicity:
    starts_at, ends_at = window(values.starts_on, batch.publicity_days, batch.publicity_working_days)
    return Publicity(
        batch=batch,
        title=f"{batch.year}年度绍兴市市级高技能人才公共实训基地拟认定名单公示",
        starts_on=values.starts_on,
        days=batch.publicity_days,
        working_days=batch.publicity_working_days,
        starts_at=starts_at,
        ends_at=ends_at,
        contact_department=values.contact_department.strip(),
        contact_phone=normalize_phone(values.contact_phone),
        contact_address=values.contact_address.strip(),
        published_at=now,
        published_by=actor,
    )


def _entries(publicity: Publicity, batch: Batch, actor: User | None) -> list[PublicityEntry]:
    """Freeze the list: each shortlisted application of the confirmed ranking, in ranking order, moved
    to ``in_publicity``."""
    ranking = list(
        RankingEntry.objects.filter(panel__batch=batch, shortlisted=True)
        .select_related("application__unit__region")
        .order_by("position")
    )
    locked = {
        application.pk: application
        for application in Application.objects.select_for_update(of=("self",)).filter(
            pk__in=[row.application_id for row in ranking], state=ApplicationState.SHORTLISTED
        )
    }
    entries: list[PublicityEntry] = []
    for row in ranking:
        application = locked.get(row.application_id)
        if application is None:
            continue  # withdrawn or moved meanwhile: not on the notice
        application.publicize(by=actor, description="列入评审结果公示名单")
        application.save()
        unit = row.application.unit
        entries.append(
            PublicityEntry(
                publicity=publicity,
                application=application,
                position=len(entries) + 1,
                unit_name=unit.name,
                county_name=unit.region.name,
                unit_type_label=UnitType(unit.unit_type).label,
                score=row.final_score,
                votes=f"同意{row.votes_for}票/共{row.votes_cast}票" if row.votes_cast else "",
            )
        )
    return PublicityEntry.objects.bulk_create(entries)


def publicity_publish(*, batch: Batch, actor: User | None, now: datetime | None = None) -> Publicity:
    """The effect of the batch's ``start_publicity`` (inside its transaction; the transition asked
    the permission): the notice (with the default start tomorrow and the default contact when the
    start page was not used), the frozen list, HTML and SHA-256, the PDF after commit, the units told
    (on the notice, or not selected). Opens at once when the window has already begun."""
    from ..documents import notice_html  # documents imports the models

    now = now or timezone.now()
    publicity = Publicity.objects.select_for_update().filter(batch=batch).first()
    if publicity is None:
        tomorrow = timezone.localtime(now).date() + timedelta(days=1)
        publicity = _new_publicity(batch, actor, PublicitySettings(tomorrow, **DEFAULT_CONTACT), now)
        publicity.save()
    if publicity.notice_sha256:
        return publicity  # published already
    entries = _entries(publicity, batch, actor)
    publicity.notice_html = notice_html(publicity, entries)
    publicity.notice_sha256 = hashlib.sha256(publicity.notice_html.encode()).hexdigest()
    publicity.save()
    if now >= publicity.starts_at:
        publicity.open(by=actor, description="公示开始")
        publicity.save()
    audit_event(
        actor=actor,
        summary="发布评审结果公示",
        obj=publicity,
        detail={
            "batch": batch.pk,
            "window": window_text(publicity),
            "units": [entry.unit_name for entry in entries],
            "sha256": publicity.notice_sha256,
        },
    )
    _notify_units(publicity, batch, entries)
    transaction.on_commit(lambda: _enqueue_pdf(publicity.pk), robust=True)
    return publicity


def _notify_units(publicity: Publicity, batch: Batch, entries: list[PublicityEntry]) -> None:
    url = reverse("gongshi:notice", args=[publicity.pk])
    notify(
        recipients=unit_members_of([entry.application.unit_id for entry in entries]),
        title=f"您单位已列入{batch.year}年度实训基地拟认定名单公示",
        body=f"公示期为{window_text(publicity)}。公示期满无异议或异议经复核不成立的，将发文确定。",
        url=url,
    )
    not_selected = Application.objects.filter(batch=batch, state=ApplicationState.NOT_SELECTED).values_list(
        "unit_id", flat=True
    )
    notify(
        recipients=unit_members_of(not_selected),
        title=f"{batch.year}年度实训基地评审结果",
        body="经专家评审，您单位本批次未列入拟认定名单。评审结果公示见链接。",
        url=url,
    )


def _enqueue_pdf(publicity_id: int) -> None:
    from ..tasks import render_notice_pdf_task

    render_notice_pdf_task.delay(publicity_id=publicity_id)


def publicity_render_pdf(*, publicity_id: int) -> bool:
    """Render the PDF of the frozen HTML and store it once. Returns whether it stored one now.

    Rendered with no lock held; the row is then locked and re-checked, so a second run (a redelivered
    task, the sweep's) stores nothing. Side effects: the PDF file, its SHA-256, an audit entry.
    """
    from ..documents import issue_notice

    publicity = Publicity.objects.filter(pk=publicity_id).exclude(notice_html="").first()
    if publicity is None or publicity.notice_pdf:
        return False
    with issue_notice(publicity).file.open("rb") as handle:
        pdf = handle.read()
    with transaction.atomic():
        locked = Publicity.objects.select_for_update().filter(pk=publicity_id).first()
        if locked is None or locked.notice_pdf:
            return False
        locked.notice_pdf.save("notice.pdf", ContentFile(pdf), save=False)
        name = locked.notice_pdf.name
        try:
            locked.pdf_sha256 = hashlib.sha256(pdf).hexdigest()
            locked.pdf_rendered_at = timezone.now()
            locked.version += 1
            locked.save(update_fields=["notice_pdf", "pdf_sha256", "pdf_rendered_at", "version"])
            audit_event(
                actor=None, summary="生成公示文件PDF", obj=locked, detail={"sha256": locked.pdf_sha256}
            )
        except Exception:
            locked.notice_pdf.storage.delete(name)
            raise
    return True


def _move(pk: int, state: str, method: str, description: str, now: datetime) -> bool:
    with transaction.atomic():
        publicity = Publicity.objects.select_for_update(skip_locked=True).filter(pk=pk, state=state).first()
        if publicity is None:
            return False
        getattr(publicity, method)(by=None, description=description)
        publicity.version += 1
        publicity.save()
        audit_event(actor=None, summary=description, obj=publicity, detail={"state": publicity.state})
    return True


def publicity_sweep(now: datetime | None = None) -> int:
    """Open the notices whose window has begun, close those whose window has ended, and enqueue the
    PDF of a notice whose render task was lost. Part of the minute sweep; a second run moves nothing."""
    now = now or timezone.now()
    moved = 0
    due_open = Publicity.objects.filter(state=PublicityState.SCHEDULED, starts_at__lte=now)
    for pk in list(due_open.values_list("pk", flat=True)):
        moved += _move(pk, PublicityState.SCHEDULED, "open", "公示开始", now)
    due_close = Publicity.objects.filter(state=PublicityState.OPEN, ends_at__lte=now)
    for pk in list(due_close.values_list("pk", flat=True)):
        moved += _move(pk, PublicityState.OPEN, "close", "公示期满", now)
    missing = (
        Publicity.objects.filter(Q(notice_pdf="") | Q(notice_pdf__isnull=True))
        .filter(published_at__lte=now - PDF_GRACE)
        .exclude(notice_html="")
    )
    for pk in list(missing.values_list("pk", flat=True)[:10]):
        try:
            _enqueue_pdf(pk)
        except Exception:
            logger.exception("publicity notice %s PDF not enqueued; the next sweep retries", pk)
    return moved


def publicity_readiness(batch: Batch, now: datetime) -> list[str]:
    """Readiness of the batch's ``conclude``: the same reasons as `decision_blockers`."""
    return decision_blockers(batch, now)


def _catch_up(publicity: Publicity, actor: User | None, now: datetime) -> None:
    """Bring the state up to the clock (the sweep may not have run yet)."""
    if publicity.state == PublicityState.SCHEDULED and now >= publicity.starts_at:
        publicity.open(by=actor, description="公示开始")
    if publicity.state == PublicityState.OPEN and now >= publicity.ends_at:
        publicity.close(by=actor, description="公示期满")


@transaction.atomic
def publicity_conclude(*, publicity: Publicity, actor: User | None, now: datetime | None = None) -> Publicity:
    """公示办结, called by the decision stage (and by the batch's ``conclude``): ``closed → concluded``.

    Refused (ValidationError, Chinese) while the window has not ended or an objection is received or
    under review. Idempotent: a concluded notice is returned as it is, so the decision may call this
    before or after concluding the batch. Side effects: the transition log, an audit entry.
    """
    if actor is not None:
        require_perm(actor, "applications.manage_batches")
    now = now or timezone.now()
    try:
        publicity = Publicity.objects.select_for_update().select_related("batch").get(pk=publicity.pk)
    except Publicity.DoesNotExist:
        raise AlreadyHandled("该公示已不存在。") from None
    if publicity.state == PublicityState.CONCLUDED:
        return publicity
    reasons = decision_blockers(publicity.batch, now)
    if reasons:
        raise ValidationError("；".join(reasons) + "。")
    _catch_up(publicity, actor, now)
    publicity.conclude(by=actor, description="公示办结")
    publicity.version += 1
    publicity.save()
    audit_event(actor=actor, summary="公示办结", obj=publicity, detail={"batch": publicity.batch_id})
    return publicity


def publicity_on_batch_conclude(*, batch: Batch, actor: User | None) -> None:
    """Effect of the batch's ``conclude``: its notice is concluded with it (readiness already held)."""
    publicity = Publicity.objects.filter(batch=batch).first()
    if publicity is not None and batch.state == BatchState.CONCLUDED:
        publicity_conclude(publicity=publicity, actor=actor)
