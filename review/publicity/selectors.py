"""Reads of the publicity stage, reused by the pages, the dashboard panels and the decision stage."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from applications.models import Batch
from shaoxing_bases.documents.gbt9704 import format_cn_date

from .enums import ObjectionState
from .models import Objection, Publicity, PublicityEntry


def cn_date(value: datetime) -> str:
    return format_cn_date(timezone.localtime(value).date())


def window_text(publicity: Publicity) -> str:
    """The window in words with explicit dates: 2026年12月1日至2026年12月7日."""
    return f"{cn_date(publicity.starts_at)}至{format_cn_date(publicity.last_day)}"


def public_notices(now: datetime | None = None) -> QuerySet[Publicity]:
    """Notices the public may read: from the first second of their window, newest first."""
    now = now or timezone.now()
    return Publicity.objects.filter(starts_at__lte=now).select_related("batch").order_by("-starts_at")


def public_notice(pk: int, now: datetime | None = None) -> Publicity | None:
    return public_notices(now).filter(pk=pk).first()


def notice_entries(publicity: Publicity) -> list[PublicityEntry]:
    return list(publicity.entries.select_related("application").order_by("position"))


def staff_publicities() -> QuerySet[Publicity]:
    """Every notice with its objection counts (one query)."""
    return (
        Publicity.objects.select_related("batch")
        .annotate(
            objection_count=Count("objections"),
            open_objections=Count("objections", filter=Q(objections__state__in=ObjectionState.unresolved())),
        )
        .order_by("-starts_at")
    )


def objections_of(publicity: Publicity, state: str = "") -> QuerySet[Objection]:
    rows = Objection.objects.filter(publicity=publicity).select_related("entry", "reviewer")
    if state in ObjectionState.values:
        rows = rows.filter(state=state)
    return rows.order_by("-filed_at", "-pk")


def objection_for_staff(user) -> QuerySet[Objection]:
    """The objections a user may open: all for city-wide staff, an expert's own assignments."""
    from shaoxing_bases.permissions import ask

    rows = Objection.objects.select_related(
        "publicity__batch", "entry__application__unit", "reviewer", "assigned_by", "decided_by"
    )
    if ask("review.view_publicity", user, layer="selector"):
        return rows
    return rows.filter(reviewer=user)


def my_objections(user) -> QuerySet[Objection]:
    return (
        Objection.objects.filter(reviewer=user)
        .select_related("publicity__batch", "entry")
        .order_by("state", "-assigned_at", "-pk")
    )


def open_objection_count() -> int:
    return Objection.objects.filter(state__in=ObjectionState.unresolved()).count()


def objection_lookup(receipt_no: str, phone: str) -> Objection | None:
    """The objection with this receipt number, only when the phone number matches too."""
    if not receipt_no or not phone:
        return None
    return (
        Objection.objects.select_related("publicity", "entry")
        .filter(receipt_no=receipt_no.strip().upper(), phone=phone)
        .first()
    )


def decision_blockers(batch: Batch, now: datetime | None = None) -> list[str]:
    """Why the decision (发文) may not be issued yet for ``batch`` ([] when it may): no notice, the
    window not ended, objections not resolved. The same reasons refuse the batch's ``conclude``."""
    now = now or timezone.now()
    publicity = Publicity.objects.filter(batch=batch).first()
    if publicity is None:
        return ["尚未发布评审结果公示，公示期满后才能发文"]
    reasons = []
    if not publicity.has_ended(now):
        reasons.append(
            f"公示期为{window_text(publicity)}，{format_cn_date(publicity.last_day)}24时期满后才能发文"
        )
    unresolved = list(
        Objection.objects.filter(publicity=publicity, state__in=ObjectionState.unresolved())
        .order_by("filed_at")
        .values_list("receipt_no", flat=True)
    )
    if unresolved:
        shown = "、".join(unresolved[:5]) + ("等" if len(unresolved) > 5 else "")
        reasons.append(f"尚有 {len(unresolved)} 件异议未复核办结（{shown}），办结后才能发文")
    return reasons
