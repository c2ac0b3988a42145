"""County finance's part in the screening itself (会同财政部门进行初审, clause 4.1): an opinion on
each application of its county, beside the co-signature of the finished list."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Application
from shaoxing_bases.accounts.models import User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.permissions import require_perm

from ..models import OPINION_MAX_LENGTH, FinanceOpinion
from ._common import list_reported, lock_application

#: Applications finance may still give its opinion on: handed in and not withdrawn.
OPINION_STATES = tuple(state for state in ApplicationState.visible_to_county())


def finance_opinion_closed_reason(application: Application) -> str:
    """Why finance can no longer give or change its opinion ("" while it can): the list is at the
    city, so the county's result and its letter are fixed."""
    if list_reported(application.batch_id, application.unit.region_id):
        return "本区县推荐名单已报送市人力社保局，财政部门意见已随推荐函报送，不能再修改。"
    return ""


@transaction.atomic
def finance_opinion_give(*, application: Application, actor: User, opinion: str) -> FinanceOpinion:
    """County finance gives (or replaces) its opinion on one application of its county.

    Side effects: the opinion row, an audit entry with the text it replaced.
    """
    require_perm(actor, "review.give_finance_opinion", application)
    application = lock_application(application)
    if application.state not in OPINION_STATES:
        raise AlreadyHandled(f"该申报当前状态为“{application.get_state_display()}”，不能提出意见。")
    if reason := finance_opinion_closed_reason(application):
        raise AlreadyHandled(reason)
    opinion = (opinion or "").strip()
    if not opinion:
        raise ValidationError({"opinion": "请填写财政部门意见。"})
    if len(opinion) > OPINION_MAX_LENGTH:
        raise ValidationError(
            {"opinion": f"意见不能超过 {OPINION_MAX_LENGTH} 字（当前 {len(opinion)} 字）。"}
        )
    previous = FinanceOpinion.objects.filter(application=application).first()
    given, _created = FinanceOpinion.objects.update_or_create(
        application=application, defaults={"opinion": opinion, "given_by": actor, "given_at": timezone.now()}
    )
    audit_event(
        actor=actor,
        summary="财政部门提出初审意见",
        obj=application,
        detail={"opinion": opinion, "previous": previous.opinion if previous else None},
    )
    return given
