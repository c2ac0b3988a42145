"""What an applicant unit is told about its applications: state, next step, deadlines counting down.

Read-only helpers for the applicant dashboard panel and the "我的申报" page. Everything is computed
from the clock passed in (default: now), so the words on the page and the services agree on when a
deadline has passed: the services refuse at ``now >= deadline`` and so does `core.deadlines`.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from shaoxing_bases.core.deadlines import countdown

from ..enums import ApplicationState, BatchState
from ..models import ApplicantUnit, Application, Batch
from .services import application_submission_refusal, application_submission_refusals

#: The first section of the application form (`applications:edit_section`).
FIRST_SECTION = "management"

#: Bootstrap colour of each state's badge.
STATE_TONES = {
    ApplicationState.DRAFT: "secondary",
    ApplicationState.SUBMITTED: "primary",
    ApplicationState.RETURNED: "warning",
    ApplicationState.COUNTY_REJECTED: "danger",
    ApplicationState.RECOMMENDED: "info",
    ApplicationState.UNDER_REVIEW: "info",
    ApplicationState.SHORTLISTED: "success",
    ApplicationState.NOT_SELECTED: "secondary",
    ApplicationState.IN_PUBLICITY: "info",
    ApplicationState.APPROVED: "success",
    ApplicationState.DISQUALIFIED: "danger",
    ApplicationState.WITHDRAWN: "dark",
}

#: What the unit waits for in states where it has nothing to do.
WAITING_LABELS = {
    ApplicationState.SUBMITTED: "等待区县初审",
    ApplicationState.RECOMMENDED: "区县已推荐，等待市级专家评审",
    ApplicationState.UNDER_REVIEW: "专家评审中，请等待评审结果",
    ApplicationState.SHORTLISTED: "拟入选，等待公示",
    ApplicationState.IN_PUBLICITY: "公示中，请关注公示结果",
    ApplicationState.APPROVED: "已认定为市级高技能人才公共实训基地",
    ApplicationState.NOT_SELECTED: "本批次未入选",
    ApplicationState.COUNTY_REJECTED: "区县初审未通过",
    ApplicationState.DISQUALIFIED: "已取消认定资格",
    ApplicationState.WITHDRAWN: "已放弃本批次申报，本批次不能再次申报",
}


#: What an editable application whose deadline passed says instead of an action.
CLOSED_LABELS = {
    ApplicationState.DRAFT: "已截止，未提交，本批次不能再提交",
    ApplicationState.RETURNED: "已截止，未重新提交，不能再提交",
}


def edit_url(application: Application) -> str:
    """Where the unit continues filling in: the first form section."""
    return reverse("applications:edit_section", args=[application.pk, FIRST_SECTION])


@dataclass(frozen=True)
class NextAction:
    """The one thing the unit should do (or wait for) next; `url` empty when nothing is to be done.

    `closed`: a draft (or returned application) whose deadline has passed — the page says 已截止
    and offers no action."""

    label: str
    url: str = ""
    tone: str = "secondary"
    closed: bool = False


@dataclass(frozen=True)
class Deadline:
    """The deadline the unit is working against, with its countdown (shown while it is still ahead)."""

    label: str
    at: datetime
    countdown: str

    @property
    def passed(self) -> bool:
        return self.countdown == "已截止"


def application_deadline(application: Application, now: datetime | None = None) -> Deadline | None:
    """Drafts work against the submission deadline, returned ones against the county's deadline."""
    now = now or timezone.now()
    batch = application.batch
    if application.state == ApplicationState.DRAFT:
        what, at = "申报截止", batch.submission_deadline
    elif application.state == ApplicationState.RETURNED:
        what, at = "重新提交截止", batch.screening_deadline
    else:
        return None
    return Deadline(what, at, countdown(at, now).until(what))


def application_closed(application: Application, now: datetime | None = None) -> bool:
    """已截止: a draft (or returned application) that the clock no longer lets the unit submit — the
    pages show 已截止 and no action for it. The rule of `application_submission_refusal`."""
    if application.state not in ApplicationState.editable():
        return False
    refusal = application_submission_refusal(application, now)
    return refusal is not None and refusal.code == "deadline"


def submission_blocker(application: Application, now: datetime | None = None) -> str:
    """Why the batch, the clock or a submission guard forbids submitting now ("" when nothing does).

    The very rule `application_submit` enforces (`application_submission_refusal`), in its words.
    """
    refusal = application_submission_refusal(application, now)
    return refusal.messages[0] if refusal is not None else ""


def next_action(
    application: Application,
    now: datetime | None = None,
    *,
    refusals: Mapping[int, ValidationError] | None = None,
) -> NextAction:
    """继续填报 / 按退回意见修改后重新提交 / 等待区县初审 … for the unit's lists.

    `refusals` (from `application_submission_refusals` over the whole list) spares one look-up per row.
    """
    now = now or timezone.now()
    if application.state in ApplicationState.editable():
        if refusals is None:
            refusal = application_submission_refusal(application, now)
        else:
            refusal = refusals.get(application.pk)
        if refusal is not None:
            if refusal.code == "deadline":
                return NextAction(CLOSED_LABELS[application.state], closed=True)
            return NextAction(refusal.messages[0], tone="secondary")
        if application.state == ApplicationState.RETURNED:
            return NextAction("按退回意见修改后重新提交", edit_url(application), "warning")
        return NextAction("继续填报", edit_url(application), "primary")
    return NextAction(WAITING_LABELS.get(application.state, application.get_state_display()))


@dataclass(frozen=True)
class ApplicationRow:
    application: Application
    action: NextAction
    deadline: Deadline | None

    @property
    def tone(self) -> str:
        return STATE_TONES.get(self.application.state, "secondary")


@dataclass(frozen=True)
class OpenBatchRow:
    batch: Batch
    countdown: str


def unit_applications(unit: ApplicantUnit) -> QuerySet[Application]:
    """The unit's applications, newest batch first, with what the lists (and submission guards) read:
    one query."""
    return (
        Application.objects.filter(unit=unit).select_related("batch", "unit").order_by("-batch__year", "-pk")
    )


def batches_open_to(unit: ApplicantUnit, now: datetime | None = None) -> QuerySet[Batch]:
    """Batches taking applications right now to which the unit has not applied yet."""
    now = now or timezone.now()
    return (
        Batch.objects.filter(state=BatchState.OPEN, opens_at__lte=now, submission_deadline__gt=now)
        .exclude(applications__unit=unit)
        .order_by("submission_deadline", "-year")
    )


def applicant_overview(user, now: datetime | None = None) -> dict:
    """Context of the applicant dashboard panel and of "我的申报": the unit, its applications with
    next action and countdown, and the open batches it can still apply to. Three queries (plus what
    the registered submission guards ask, once for the list), none without a unit."""
    now = now or timezone.now()
    unit = (
        ApplicantUnit.objects.select_related("region").filter(pk=user.unit_id).first()
        if user.unit_id
        else None
    )
    if unit is None:
        return {"unit": None, "rows": [], "open_batches": [], "now": now}
    applications = list(unit_applications(unit))
    refusals = application_submission_refusals(applications, now)
    rows = [
        ApplicationRow(
            application,
            next_action(application, now, refusals=refusals),
            application_deadline(application, now),
        )
        for application in applications
    ]
    open_batches = [
        OpenBatchRow(batch, countdown(batch.submission_deadline, now).until("申报截止"))
        for batch in batches_open_to(unit, now)
    ]
    return {"unit": unit, "rows": rows, "open_batches": open_batches, "now": now}
