"""The expert pool (专家库): add and change experts, import them from Excel."""

from django.core.exceptions import ValidationError
from django.db import transaction

from shaoxing_bases.accounts.models import User
from shaoxing_bases.accounts.selectors import expert_accounts
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.permissions import require_perm

from ..models import Expert

#: What the form and the import may set on an expert.
EXPERT_FIELDS = (
    "name",
    "employer",
    "employer_credit_code",
    "title",
    "specialties",
    "region",
    "phone",
    "active",
    "user",
)


def _check_account(expert: Expert) -> None:
    if expert.user_id is None:
        return
    if not expert_accounts().filter(pk=expert.user_id).exists():
        raise ValidationError({"user": "只能关联有效的评审专家账号。"})
    if Expert.objects.filter(user_id=expert.user_id).exclude(pk=expert.pk).exists():
        raise ValidationError({"user": "该账号已关联其他专家。"})


@transaction.atomic
def expert_save(*, actor: User, data: dict, expert: Expert | None = None) -> Expert:
    """Add an expert to the pool, or change one (``expert``). Raises ValidationError by field.

    Side effects: the row, an audit entry with what changed.
    """
    require_perm(actor, "review.manage_experts")
    creating = expert is None
    expert = Expert.objects.select_for_update().get(pk=expert.pk) if expert is not None else Expert()
    before = {name: str(getattr(expert, name) or "") for name in EXPERT_FIELDS}
    for name in EXPERT_FIELDS:
        if name in data:
            setattr(expert, name, data[name])
    expert.name = (expert.name or "").strip()
    expert.specialties = "、".join(expert.specialty_list)
    expert.full_clean(exclude=["user"])
    _check_account(expert)
    expert.save()
    changed = [name for name in EXPERT_FIELDS if str(getattr(expert, name) or "") != before[name]]
    audit_event(
        actor=actor,
        summary="专家入库" if creating else "修改专家信息",
        obj=expert,
        detail={"changed": changed, "employer": expert.employer},
    )
    return expert
