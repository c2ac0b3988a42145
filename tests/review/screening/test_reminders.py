"""Deadline reminders to county HRSS, 3 days and 1 day before the screening deadline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationState
from applications.models import Batch
from review.screening.enums import RecommendationState, ReminderKind
from review.screening.models import Recommendation, ScreeningReminder
from review.screening.services import screening_reminders_sweep
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.tasks import DEADLINE_SWEEPERS, sweep_deadlines
from shaoxing_bases.notifications.models import Notification

from .conftest import KEQIAO

pytestmark = pytest.mark.django_db


def deadline_in(batch, delta):
    Batch.objects.filter(pk=batch.pk).update(screening_deadline=timezone.now() + delta)
    batch.refresh_from_db()


def test_sweeper_is_registered_with_the_minute_sweep():
    assert screening_reminders_sweep in DEADLINE_SWEEPERS


def test_three_days_before_the_deadline_reminds_once_however_often_the_sweep_runs(
    batch, submitted, hrss, other_hrss
):
    submitted()
    deadline_in(batch, timedelta(days=2, hours=20))
    assert screening_reminders_sweep() == 1
    assert screening_reminders_sweep() == 0
    sweep_deadlines()
    notifications = Notification.objects.filter(recipient=hrss)
    assert notifications.count() == 1
    assert "3天内截止" in notifications.get().title
    assert not Notification.objects.filter(recipient=other_hrss).exists()  # nothing open in 柯桥区
    reminder = ScreeningReminder.objects.get()
    assert (reminder.kind, reminder.recipients) == (ReminderKind.THREE_DAYS, 1)


def test_one_day_before_sends_the_second_reminder_once(batch, submitted, hrss):
    submitted()
    deadline_in(batch, timedelta(days=2))
    screening_reminders_sweep()
    deadline_in(batch, timedelta(hours=20))
    screening_reminders_sweep()
    screening_reminders_sweep()
    titles = sorted(Notification.objects.filter(recipient=hrss).values_list("title", flat=True))
    assert len(titles) == 2
    assert any("1天内截止" in title for title in titles)
    assert set(ScreeningReminder.objects.values_list("kind", flat=True)) == set(ReminderKind.values)


def test_a_late_sweep_sends_only_the_more_urgent_reminder(batch, submitted, hrss):
    submitted()
    deadline_in(batch, timedelta(hours=5))
    screening_reminders_sweep()
    assert list(ScreeningReminder.objects.values_list("kind", flat=True)) == [ReminderKind.ONE_DAY]
    assert Notification.objects.filter(recipient=hrss).count() == 1


def test_no_reminder_far_from_or_after_the_deadline(batch, submitted, hrss):
    submitted()
    deadline_in(batch, timedelta(days=4))
    assert screening_reminders_sweep() == 0
    deadline_in(batch, -timedelta(minutes=1))
    assert screening_reminders_sweep() == 0
    assert not Notification.objects.exists()


def test_county_with_every_decision_made_and_list_reported_is_not_reminded(batch, submitted, hrss):
    submitted(state=ApplicationState.RECOMMENDED)
    Recommendation.objects.create(batch=batch, region=hrss.region)
    deadline_in(batch, timedelta(days=1, hours=12))
    assert screening_reminders_sweep() == 1  # recommended but the list is not reported yet
    Recommendation.objects.filter(batch=batch).update(state=RecommendationState.SUBMITTED_TO_CITY)
    deadline_in(batch, timedelta(hours=12))
    assert screening_reminders_sweep() == 0


def test_each_county_with_open_work_gets_its_own_reminder(batch, submitted, hrss, other_hrss):
    submitted()
    submitted(division=KEQIAO)
    deadline_in(batch, timedelta(days=3))
    assert screening_reminders_sweep() == 2
    assert Notification.objects.filter(recipient=other_hrss).count() == 1


def test_list_awaiting_the_cosignature_reminds_county_finance_too(
    batch, submitted, hrss, finance, other_finance
):
    submitted(state=ApplicationState.RECOMMENDED)
    recommendation = Recommendation.objects.create(batch=batch, region=hrss.region)
    Recommendation.objects.filter(pk=recommendation.pk).update(state=RecommendationState.AWAITING_COSIGN)
    deadline_in(batch, timedelta(days=2))
    assert screening_reminders_sweep() == 1
    notice = Notification.objects.get(recipient=finance)
    assert "会签" in notice.title
    assert notice.url == reverse("review:recommendation", args=[recommendation.pk])
    assert Notification.objects.filter(recipient=hrss).count() == 1
    assert not Notification.objects.filter(recipient=other_finance).exists()
    assert ScreeningReminder.objects.get().recipients == 2
    assert screening_reminders_sweep() == 0
    assert Notification.objects.filter(recipient=finance).count() == 1


@pytest.mark.parametrize("state", [RecommendationState.DRAFT, RecommendationState.COSIGNED])
def test_finance_is_not_reminded_when_nothing_awaits_its_cosignature(batch, submitted, hrss, finance, state):
    submitted(state=ApplicationState.RECOMMENDED)
    recommendation = Recommendation.objects.create(batch=batch, region=hrss.region)
    Recommendation.objects.filter(pk=recommendation.pk).update(state=state)
    deadline_in(batch, timedelta(days=2))
    assert screening_reminders_sweep() == 1
    assert not Notification.objects.filter(recipient=finance).exists()


def test_a_reminder_nobody_received_does_not_block_a_later_one(batch, submitted, make_user):
    """No active county HRSS account yet: nothing is recorded, so the reminder goes out once someone
    can read it."""
    submitted()
    deadline_in(batch, timedelta(days=2))
    assert screening_reminders_sweep() == 0
    assert not ScreeningReminder.objects.exists()
    hrss = make_user(Role.COUNTY_HRSS, "330602", username="late_hrss")
    assert screening_reminders_sweep() == 1
    assert Notification.objects.filter(recipient=hrss, title__contains="3天内截止").count() == 1
    assert ScreeningReminder.objects.get().recipients == 1
