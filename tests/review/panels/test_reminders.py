"""Reminders to experts with open sheets 2 days and 1 day before the scoring deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Batch
from review.panels.enums import ReminderKind
from review.panels.models import ScoringReminder
from review.panels.services import scoring_reminders_sweep, sheet_declare, sheet_submit
from shaoxing_bases.core.tasks import DEADLINE_SWEEPERS
from shaoxing_bases.notifications.models import Notification

from .conftest import ALL_STATEMENTS, full_points, score_all, sheets_of

pytestmark = pytest.mark.django_db


def _deadline_in(panel, delta):
    now = timezone.now()
    Batch.objects.filter(pk=panel.batch_id).update(scoring_deadline=now + delta)
    return now


def test_the_sweep_is_registered():
    assert scoring_reminders_sweep in DEADLINE_SWEEPERS


def test_two_days_before_each_expert_with_open_sheets_is_reminded_once(open_panel):
    now = _deadline_in(open_panel, timedelta(days=2) - timedelta(minutes=1))
    assert scoring_reminders_sweep(now) == 3
    assert scoring_reminders_sweep(now) == 0
    assert ScoringReminder.objects.filter(kind=ReminderKind.TWO_DAYS).count() == 3
    assert Notification.objects.filter(title__contains="将于2天内截止").count() == 3


def test_one_day_before_follows_and_experts_who_finished_are_left_alone(open_panel):
    now = _deadline_in(open_panel, timedelta(days=2) - timedelta(minutes=1))
    scoring_reminders_sweep(now)
    done = sheets_of(open_panel)[0].member
    for sheet in sheets_of(open_panel):
        if sheet.member_id != done.pk:
            continue
        sheet = sheet_declare(sheet=sheet, actor=sheet.member.expert.user, statements=ALL_STATEMENTS)
        sheet_submit(
            sheet=sheet, actor=sheet.member.expert.user, points=full_points(open_panel), comment="同意"
        )
    later = now + timedelta(days=1)
    assert scoring_reminders_sweep(later) == 2
    assert not ScoringReminder.objects.filter(member=done, kind=ReminderKind.ONE_DAY).exists()


def test_nothing_before_two_days_after_the_deadline_or_once_all_is_in(open_panel):
    now = _deadline_in(open_panel, timedelta(days=3))
    assert scoring_reminders_sweep(now) == 0
    assert scoring_reminders_sweep(now + timedelta(days=3, seconds=1)) == 0
    score_all(open_panel)
    assert scoring_reminders_sweep(now + timedelta(days=2)) == 0
