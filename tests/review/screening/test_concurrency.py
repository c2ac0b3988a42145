"""Races on the county screening: two reviewers decide the same application at the same moment (one
wins, the other hears 已处理); a decision and the list's report to the city take turns.

Needs PostgreSQL (row locks across connections); SQLite serialises whole-database writes instead.
Run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/review_dev set:
.venv/bin/pytest tests/review/test_concurrency.py
"""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_fsm_log.models import StateLog

from applications.enums import ApplicationState, BatchState
from applications.models import Application
from review.screening import services
from review.screening.enums import RecommendationState, ScreeningDecision
from review.screening.models import Recommendation
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.exceptions import AlreadyHandled
from tests.applications.factories import BatchFactory
from tests.factories import UserFactory, county_list_for, region

from .conftest import YUECHENG, judge_all, make_screening_batch, make_submitted


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


def _county_list_broken(batch) -> bool:
    """The invariant: never a list with the city while a recommended application is missing from it."""
    submitted = Recommendation.objects.filter(
        batch=batch, region=region(YUECHENG), state=RecommendationState.SUBMITTED_TO_CITY
    ).exists()
    unlisted = Application.objects.filter(
        batch=batch,
        unit__region=region(YUECHENG),
        state=ApplicationState.RECOMMENDED,
        recommendation_entry__isnull=True,
    ).exists()
    return submitted and unlisted


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("first", ["decide", "submit"])
def test_a_decision_and_the_list_submission_serialise_on_the_county_list(monkeypatch, first):
    """One reviewer recommends an application while a colleague reports the county's co-signed list.

    Whoever takes the county list's row lock first finishes before the other one starts checking,
    so the list never reaches the city while an application recommended at that moment is missing.
    """
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE across connections); SQLite has none")
    decider = UserFactory(role=Role.COUNTY_HRSS, region=region(YUECHENG), username="race_decider")
    reporter = UserFactory(role=Role.COUNTY_HRSS, region=region(YUECHENG), username="race_reporter")
    batch = make_screening_batch()
    listed = make_submitted(batch, state=ApplicationState.RECOMMENDED)
    recommendation = county_list_for(batch=batch, region=region(YUECHENG))
    services.recommendation_entry_add(
        recommendation=recommendation, actor=reporter, application=listed, opinion="同意推荐"
    )
    # Co-signed earlier; then one more application reached the county (a data fix, a late one).
    Recommendation.objects.filter(pk=recommendation.pk).update(state=RecommendationState.COSIGNED)
    application = make_submitted(batch)
    judge_all(application, decider)

    # The first thread holds its locks for a while, inside the check the other would race.
    entered = threading.Event()
    times: dict[str, float] = {}
    # Hooked where the services call it (the modules of the services package, not the package).
    module = services.decisions if first == "decide" else services.recommendations
    hooked = "screening_closed_reason" if first == "decide" else "recommendation_problems"
    original = getattr(module, hooked)

    def slow(*args, **kwargs):
        result = original(*args, **kwargs)
        entered.set()
        time.sleep(0.5)
        times["first_checked"] = time.monotonic()
        return result

    monkeypatch.setattr(module, hooked, slow)
    outcomes: dict[str, str] = {}

    def decide():
        try:
            services.screening_decide(
                application=Application.objects.get(pk=application.pk),
                actor=decider,
                decision=ScreeningDecision.RECOMMEND,
            )
            outcomes["decide"] = "done"
        except (AlreadyHandled, ValidationError) as refused:
            outcomes["decide"] = str(refused)
        finally:
            times["decide"] = time.monotonic()
            connection.close()

    def submit():
        try:
            services.recommendation_submit(
                recommendation=Recommendation.objects.get(pk=recommendation.pk), actor=reporter
            )
            outcomes["submit"] = "done"
        except (AlreadyHandled, ValidationError) as refused:
            outcomes["submit"] = str(refused)
        finally:
            times["submit"] = time.monotonic()
            connection.close()

    def second(run):
        def wait_then_run():
            entered.wait(timeout=10)
            run()

        return wait_then_run

    run = {"decide": decide, "submit": submit}
    other = "submit" if first == "decide" else "decide"
    threads = [threading.Thread(target=run[first]), threading.Thread(target=second(run[other]))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert entered.is_set()
    # The second one waited on the county list's lock until the first one had finished.
    assert times[other] > times["first_checked"], (outcomes, times)
    assert not _county_list_broken(batch), outcomes
    # Here the decision always wins: a list is never reported while an application is undecided.
    assert outcomes["decide"] == "done", outcomes
    assert "尚未作出初审决定" in outcomes["submit"] or "未列入推荐名单" in outcomes["submit"], outcomes
