"""The publicity window (公示期) and the working-day calendar behind it (DESIGN §5).

``window(start, days=7, working_days=False)`` is the stable API: aware datetimes in Asia/Shanghai,
from 00:00 of the first day to 24:00 of the last day (end exclusive, so the last second of the last
day is inside and 00:00 of the next day is not).

Working days come from the `Holiday` table (seeded from ``chinesecalendar``, editable in the admin).
A year with no row at all is a year whose State Council notice has not been entered yet: it does not
crash anything — only Saturdays and Sundays count as non-working — and `holiday_warning` tells staff
to enter it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
#: How far ahead a working-day window may look for its days (a Spring Festival week, generously).
_LOOKAHEAD_FACTOR = 3
_LOOKAHEAD_SLACK = 21


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked, between two dates, from the holiday table."""

    days_off: frozenset[date]
    days_worked: frozenset[date]
    known_years: frozenset[int]

    @classmethod
    def between(cls, first: date, last: date) -> WorkCalendar:
        from .enums import HolidayKind
        from .models import Holiday  # the models import nothing from here; kept lazy for the app registry

        rows = list(
            Holiday.objects.filter(date__year__gte=first.year, date__year__lte=last.year).values_list(
                "date", "kind"
            )
        )
        return cls(
            days_off=frozenset(day for day, kind in rows if kind == HolidayKind.HOLIDAY),
            days_worked=frozenset(day for day, kind in rows if kind == HolidayKind.WORKDAY),
            known_years=frozenset(day.year for day, _kind in rows),
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.days_off:
            return False
        if day in self.days_worked:
            return True
        return day.weekday() < 5


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def last_day(start: date, days: int = 7, working_days: bool = False) -> date:
    """The last day of a window of ``days`` (calendar or working) days counted from ``start``.

    Calendar days count ``start`` as day one. Working days count the working days from ``start`` on
    (a notice published on a Saturday starts counting on Monday).
    """
    if days < 1:
        raise ValueError("公示期至少为1天")
    if not working_days:
        return start + timedelta(days=days - 1)
    horizon = start + timedelta(days=days * _LOOKAHEAD_FACTOR + _LOOKAHEAD_SLACK)
    calendar = WorkCalendar.between(start, horizon)
    day, counted = start, 0
    while True:
        if calendar.is_working_day(day):
            counted += 1
            if counted == days:
                return day
        day += timedelta(days=1)


def window(start: date, days: int = 7, working_days: bool = False) -> tuple[datetime, datetime]:
    """(start_at, end_at): 00:00 of ``start`` and 24:00 of the last day, Asia/Shanghai, end exclusive."""
    if isinstance(start, datetime):
        start = start.astimezone(SHANGHAI).date()
    return _midnight(start), _midnight(last_day(start, days, working_days) + timedelta(days=1))


def unknown_years(years) -> list[int]:
    """Of ``years``, those the holiday table has no day of (their notice is not entered yet)."""
    from .models import Holiday

    wanted = sorted(set(years))
    if not wanted:
        return []
    known = set(
        Holiday.objects.filter(date__year__gte=wanted[0], date__year__lte=wanted[-1])
        .values_list("date__year", flat=True)
        .distinct()
    )
    return [year for year in wanted if year not in known]


def holiday_warning(today: date, *, also: tuple[date, ...] = ()) -> str:
    """The warning staff see while this year's or next year's holidays (or those of the given dates)
    are missing from the table ("" when all are there)."""
    missing = unknown_years({today.year, today.year + 1, *(day.year for day in also)})
    if not missing:
        return ""
    years = "、".join(f"{year}年" for year in missing)
    return (
        f"系统尚未录入{years}的法定节假日安排。请系统管理员依据国务院办公厅发布的节假日安排通知，"
        "在系统管理“法定节假日安排”中录入放假和调休上班日期；录入前，按工作日计算公示期时只将周六、周日视为非工作日。"
    )
