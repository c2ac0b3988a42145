"""``{% can "perm" obj as var %}``: templates ask the same named permission as views and services."""

from django import template

from shaoxing_bases.permissions import ask

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context, perm: str, obj=None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return ask(perm, user, obj, layer="template")
