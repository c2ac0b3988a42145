"""The holiday table's seed from ``chinesecalendar`` (the State Council's arrangements for the years
the installed package knows). Used by ``manage.py seed_holidays`` after the package is upgraded; the
migration ``review.0005_publicity`` seeds the same on a fresh database."""

from .enums import HolidayKind
from .models import Holiday


def seed_from_chinesecalendar() -> int:
    """Add every day off and every weekend day worked that the package knows and the table lacks
    (days entered by hand are kept as they are). Returns how many rows were added; 0 when the package
    is missing."""
    try:
        import chinese_calendar
    except ImportError:
        return 0
    names = {member.value: member.chinese for member in chinese_calendar.Holiday}
    existing = set(Holiday.objects.values_list("date", flat=True))
    rows = [
        Holiday(date=day, kind=kind, name=names.get(name, name)[:30])
        for source, kind in (
            (chinese_calendar.holidays, HolidayKind.HOLIDAY),
            (chinese_calendar.workdays, HolidayKind.WORKDAY),
        )
        for day, name in source.items()
        # workdays lists every weekday too: only a weekend day worked is an adjustment (调休上班).
        if day not in existing and (kind == HolidayKind.HOLIDAY or day.weekday() >= 5)
    ]
    return len(Holiday.objects.bulk_create(rows, ignore_conflicts=True))
