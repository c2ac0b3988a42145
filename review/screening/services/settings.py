"""区县设置: what the county's letters print — its 机关代字 and the letters' contact, kept by county
HRSS staff (the Region fields are the accounts area's; the letters that read them are screening's)."""

from django.db import transaction

from shaoxing_bases.accounts.models import Region, User
from shaoxing_bases.audit.services import audit_event
from shaoxing_bases.permissions import require_perm

#: What county HRSS staff set for their county (what its letters print).
COUNTY_SETTINGS_FIELDS = ("doc_prefix", "contact_name", "contact_phone")


@transaction.atomic
def county_settings_update(*, region: Region, actor: User, data: dict) -> list[str]:
    """Change the county's letter settings; returns the fields that changed.

    Side effects: the region row (locked), an audit entry with every old → new value.
    """
    require_perm(actor, "review.manage_county_settings", region)
    region = Region.objects.select_for_update().get(pk=region.pk)
    changes = {
        name: [getattr(region, name), data[name].strip()]
        for name in COUNTY_SETTINGS_FIELDS
        if name in data and data[name].strip() != getattr(region, name)
    }
    for name, (_before, after) in changes.items():
        setattr(region, name, after)
    if changes:
        region.full_clean()
        region.save(update_fields=list(changes))
        audit_event(actor=actor, summary="修改区县设置", obj=region, detail={"changes": changes})
    return list(changes)
