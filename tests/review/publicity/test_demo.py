"""The publicity demo: after seeding, a notice open now with an objection under re-examination (and
one waiting), and an earlier notice that ran, closed and had its objection dismissed. Seeding again
changes nothing."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from applications.enums import BatchState
from applications.models import Batch
from review.publicity.enums import ObjectionState, PublicityState
from review.publicity.models import Objection, Publicity
from review.publicity.selectors import decision_blockers

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_one_notice_open_and_one_ready_for_the_decision():
    call_command("seed_demo", stages="publicity,concluded")
    year = timezone.localdate().year
    open_now = Publicity.objects.get(batch__year=year - 2)
    assert open_now.accepts_objections()
    assert open_now.state == PublicityState.OPEN
    states = set(Objection.objects.filter(publicity=open_now).values_list("state", flat=True))
    assert ObjectionState.UNDER_REVIEW in states
    under_review = Objection.objects.get(publicity=open_now, state=ObjectionState.UNDER_REVIEW)
    assert under_review.reviewer is not None
    assert under_review.evidence

    # The earlier notice ran its seven days and closed with its objection dismissed, so nothing
    # blocked the decision's seeder (order 50), which issued the decision and concluded both.
    earlier = Publicity.objects.get(batch__year=year - 3)
    assert earlier.has_ended(timezone.now())
    assert list(earlier.objections.values_list("state", flat=True)) == [ObjectionState.DISMISSED]
    assert decision_blockers(earlier.batch) == []
    assert earlier.state == PublicityState.CONCLUDED
    assert Batch.objects.get(year=year - 3).state == BatchState.CONCLUDED

    count = Objection.objects.count()
    call_command("seed_demo", stages="publicity,concluded")
    assert Objection.objects.count() == count
    assert Publicity.objects.count() == 2
