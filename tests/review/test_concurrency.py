"""Two reviewers decide the same application at the same moment: one wins, the other hears 已处理.

Needs PostgreSQL (row locks across connections); SQLite serialises whole-database writes instead.
Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/review_dev .venv/bin/pytest tests/review -k concurrent
"""

import threading
import time

import pytest
from django.db import connection
from django_fsm_log.models import StateLog

from applications.enums import ApplicationState, BatchState
from applications.models import Application
from applications.services import AlreadyHandled
from review import services
from review.enums import ScreeningDecision
from shaoxing_bases.accounts.enums import Role
from tests.applications.factories import BatchFactory
from tests.factories import UserFactory, region

from .conftest import YUECHENG, judge_all, make_submitted


@pytest.mark.django_db(transaction=True)
def test_concurrent_decisions_one_wins_the_other_hears_already_handled(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE across connections); SQLite has none")
    reviewer_a = UserFactory(role=Role.COUNTY_HRSS, region=region(YUECHENG), username="race_a")
    reviewer_b = UserFactory(role=Role.COUNTY_HRSS, region=region(YUECHENG), username="race_b")
    application = make_submitted(BatchFactory(state=BatchState.OPEN))
    judge_all(application, reviewer_a)

    # Hold the row lock a little longer, so that the second reviewer really waits on it.
    original = services.screening_closed_reason

    def slow_closed_reason(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "screening_closed_reason", slow_closed_reason)
    start = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(actor, decision, reason):
        try:
            start.wait()
            services.screening_decide(
                application=Application.objects.get(pk=application.pk),
                actor=actor,
                decision=decision,
                reason=reason,
            )
            outcomes[actor.username] = "won"
        except AlreadyHandled as handled:
            outcomes[actor.username] = handled.message
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(reviewer_a, ScreeningDecision.RECOMMEND, "")),
        threading.Thread(target=decide, args=(reviewer_b, ScreeningDecision.RETURN, "请补充材料")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert list(outcomes.values()).count("won") == 1, outcomes
    loser = next(message for message in outcomes.values() if message != "won")
    assert "该申报已处理" in loser
    application.refresh_from_db()
    assert application.state in (ApplicationState.RECOMMENDED, ApplicationState.RETURNED)
    assert StateLog.objects.for_(application).count() == 1
