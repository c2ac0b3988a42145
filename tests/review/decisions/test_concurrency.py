"""Two city HRSS staff issue the same decision at once: one number, one set of bases.

Needs PostgreSQL (SELECT … FOR UPDATE across connections); SQLite has no row locks and skips.
"""

import threading

import pytest
from django.db import connection

from reporting.models import TrainingBase
from review.decisions.models import ApprovalLetter, Decision
from review.decisions.services import decision_issue
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.documents.models import DocumentNumberSequence
from tests.factories import UserFactory

from .conftest import cosigned, make_publicity_batch

pytestmark = pytest.mark.django_db(transaction=True)


def test_concurrent_issues_give_one_number_and_one_set_of_bases():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    hrss_a = UserFactory(role=Role.CITY_HRSS, username="issue_a")
    hrss_b = UserFactory(role=Role.CITY_HRSS, username="issue_b")
    finance = UserFactory(role=Role.CITY_FINANCE, username="issue_finance")
    batch = make_publicity_batch(applications=3)
    decision = cosigned(batch, hrss_a, finance)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def issue(actor):
        try:
            start.wait()
            decision_issue(decision=Decision.objects.get(pk=decision.pk), actor=actor)
            outcomes[actor.username] = "won"
        except AlreadyHandled as handled:
            outcomes[actor.username] = handled.message
        finally:
            connection.close()

    threads = [threading.Thread(target=issue, args=(actor,)) for actor in (hrss_a, hrss_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes.values(), key=len)[0] == "won", outcomes
    assert list(outcomes.values()).count("won") == 1, outcomes
    loser = next(message for message in outcomes.values() if message != "won")
    assert "不能重复发文" in loser
    assert TrainingBase.objects.filter(batch=batch).count() == 3
    assert ApprovalLetter.objects.filter(decision=decision).count() == 3
    assert DocumentNumberSequence.objects.get(prefix="绍市人社发").last == 1
    assert DocumentNumberSequence.objects.get(prefix="绍市人社函").last == 3
