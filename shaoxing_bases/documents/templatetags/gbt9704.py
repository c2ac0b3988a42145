"""Template filters for GB/T 9704 documents: ``{% load gbt9704 %}``."""

from __future__ import annotations

from datetime import date, datetime

from django import template
from django.utils import timezone

from shaoxing_bases.documents.gbt9704 import format_cc, format_cn_date, masthead_font_size

register = template.Library()


@register.filter
def cn_date(value: date | datetime | None) -> str:
    """``2026年9月1日``; an aware datetime is first moved to the local (Asia/Shanghai) date."""
    if value is None or value == "":
        return ""
    if isinstance(value, datetime):
        value = timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return format_cn_date(value)


@register.filter
def cc_list(value) -> str:
    """抄送 line from a list of names (or a ready string)."""
    if not value:
        return ""
    return format_cc(value)


@register.filter
def masthead_pt(names, suffix: str = "") -> float:
    """Font size (pt) of the red issuer names: ``{{ issuers|masthead_pt:"文件" }}``."""
    return masthead_font_size(list(names or []), suffix)
