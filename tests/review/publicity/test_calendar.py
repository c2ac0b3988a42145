"""The publicity window (DESIGN §5): calendar and working days, the 2026 National Day holiday with its
adjusted working days, a year chinesecalendar does not know, the last second of a window."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from review.publicity import window
from review.publicity.calendar import holiday_warning, last_day, unknown_years
from review.publicity.enums import HolidayKind
from review.publicity.models import Holiday

SHANGHAI = ZoneInfo("Asia/Shanghai")
pytestmark = pytest.mark.django_db


def at(*parts) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def test_seven_calendar_days_start_at_midnight_and_end_exclusive_at_24_00_of_the_seventh_day():
    start_at, end_at = window(date(2026, 12, 1))
    assert start_at == at(2026, 12, 1, 0, 0)
    assert end_at == at(2026, 12, 8, 0, 0)  # 24:00 on 7 December
    assert start_at.utcoffset() == timedelta(hours=8)


def test_the_last_second_is_inside_the_window_and_midnight_is_not():
    start_at, end_at = window(date(2026, 12, 1))
    last_second = at(2026, 12, 7, 23, 59, 59)
    assert start_at <= last_second < end_at
    assert not (at(2026, 12, 8, 0, 0) < end_at)
    assert not (start_at - timedelta(seconds=1) >= start_at)


def test_calendar_days_ignore_holidays():
    assert window(date(2026, 9, 30))[1] == at(2026, 10, 7, 0, 0)


def test_the_seed_holds_the_2026_national_day_holiday_and_its_adjusted_working_days():
    assert Holiday.objects.get(date=date(2026, 10, 1)).name == "国庆节"
    assert Holiday.objects.get(date=date(2026, 10, 1)).kind == HolidayKind.HOLIDAY
    # 调休上班: Sunday 20 September and Saturday 10 October 2026.
    assert set(
        Holiday.objects.filter(
            kind=HolidayKind.WORKDAY, date__year=2026, date__month__in=(9, 10)
        ).values_list("date", flat=True)
    ) == {date(2026, 9, 20), date(2026, 10, 10)}


def test_working_days_skip_the_national_day_holiday_and_count_the_adjusted_saturday():
    # From Wednesday 30 September: 30 Sep (1); 1–7 Oct off; Thu 8 (2), Fri 9 (3), Sat 10 worked (4),
    # Sun 11 off, Mon 12 (5), Tue 13 (6), Wed 14 (7).
    start_at, end_at = window(date(2026, 9, 30), 7, working_days=True)
    assert start_at == at(2026, 9, 30, 0, 0)
    assert end_at == at(2026, 10, 15, 0, 0)


def test_the_adjusted_sunday_before_the_holiday_counts():
    # From Friday 18 September: 18 (1), Sat 19 off, Sun 20 worked (2), 21–24 (3–6), 25 mid-autumn off…
    assert last_day(date(2026, 9, 18), 6, working_days=True) == date(2026, 9, 24)
    assert last_day(date(2026, 9, 18), 2, working_days=True) == date(2026, 9, 20)


def test_a_notice_published_on_a_holiday_counts_from_the_first_working_day():
    assert last_day(date(2026, 10, 3), 1, working_days=True) == date(2026, 10, 8)


def test_a_year_chinesecalendar_does_not_know_counts_only_weekends_and_does_not_crash():
    assert not Holiday.objects.filter(date__year=2027).exists()
    # 2027 National Day week is unknown: 1 Oct 2027 is a Friday and counts as a working day.
    assert last_day(date(2027, 10, 1), 3, working_days=True) == date(2027, 10, 5)
    # Mon 27 Dec 2027 … Fri 31 (5), the weekend, Mon 3 (6), Tue 4 Jan 2028 (7): no holiday invented.
    assert window(date(2027, 12, 27), 7, working_days=True)[1] == at(2028, 1, 5, 0, 0)
    assert unknown_years([2026, 2027]) == [2027]


def test_staff_are_warned_to_enter_next_years_holidays():
    message = holiday_warning(date(2026, 11, 30))
    assert "2027年" in message
    assert "国务院办公厅" in message
    assert "周六、周日" in message
    Holiday.objects.create(date=date(2027, 1, 1), kind=HolidayKind.HOLIDAY, name="元旦")
    assert holiday_warning(date(2026, 11, 30)) == ""
    assert "2028年" in holiday_warning(date(2027, 3, 1))


def test_a_holiday_entered_by_hand_changes_the_working_days():
    Holiday.objects.create(date=date(2027, 10, 1), kind=HolidayKind.HOLIDAY, name="国庆节")
    assert last_day(date(2027, 10, 1), 3, working_days=True) == date(2027, 10, 6)


def test_a_window_shorter_than_a_day_is_refused():
    with pytest.raises(ValueError, match="至少"):
        window(date(2026, 12, 1), 0)


def test_seed_holidays_adds_what_is_missing_and_keeps_what_was_entered_by_hand():
    from django.core.management import call_command

    Holiday.objects.filter(date__year=2026).delete()
    Holiday.objects.create(date=date(2026, 10, 1), kind=HolidayKind.HOLIDAY, name="国庆节（手工）")
    call_command("seed_holidays", verbosity=0)
    assert Holiday.objects.get(date=date(2026, 10, 1)).name == "国庆节（手工）"
    assert Holiday.objects.get(date=date(2026, 10, 10)).kind == HolidayKind.WORKDAY
    count = Holiday.objects.count()
    call_command("seed_holidays", verbosity=0)
    assert Holiday.objects.count() == count
