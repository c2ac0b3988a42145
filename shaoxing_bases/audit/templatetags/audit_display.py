"""{% load audit_display %}: the trail page's Chinese view of an entry (see `audit.display`)."""

from django import template

from ..display import Person, detail_rows, person
from ..models import AuditEntry

register = template.Library()


@register.filter
def audit_person(entry: AuditEntry) -> Person:
    return person(entry)


@register.filter
def audit_details(entry: AuditEntry) -> list[tuple[str, str]]:
    return detail_rows(entry)
