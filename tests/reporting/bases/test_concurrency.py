"""Races on the bases: two city officials decide the same exit at the same moment (one notice, one
number; the other hears 已处理); two assessors record 整改 on one base at once (one opens the
rectification, the other is its follow-up — never two open rectifications).

Needs PostgreSQL (row locks across connections).
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from reporting.assessments import services
from reporting.assessments.services import AssessmentInput
from reporting.enums import AssessmentResult, BaseState, ExitDecision
from reporting.models import Assessment, TrainingBase
from shaoxing_bases.accounts.enums import Role
from shaoxing_bases.core.exceptions import AlreadyHandled
from shaoxing_bases.documents.models import DocumentNumberSequence
from tests.factories import UserFactory, region

from .conftest import make_base


def _race(monkeypatch, target, calls):
    """Run `target(*args)` for each args in `calls` in threads released together; the row lock is
    held a little longer (the PDF render) so that the second really waits on it."""
    original = services.exit_notice_pdf

    def slow_render(*args, **kwargs):
        time.sleep(0.3)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "exit_notice_pdf", slow_render)
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(*args):
        try:
            start.wait()
            target(*args)
            outcomes.append("won")
        except AlreadyHandled as handled:
            outcomes.append(handled.message)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=args) for args in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_exit_decisions_one_notice_one_number(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    base = make_base()
    county = UserFactory(role=Role.COUNTY_HRSS, region=region("330602"), username="race_county")
    officials = [UserFactory(role=Role.CITY_HRSS, username=f"race_city_{n}") for n in range(2)]
    proposal = services.assessment_record(
        base=base,
        actor=county,
        data=AssessmentInput(
            assessed_on=timezone.localdate(), scope="考核", findings="不达标", result="exit", reasons="未达标"
        ),
    )

    def decide(actor):
        services.assessment_decide_exit(
            assessment=Assessment.objects.get(pk=proposal.pk), actor=actor, approve=True
        )

    outcomes = _race(monkeypatch, decide, [(official,) for official in officials])

    assert outcomes.count("won") == 1, outcomes
    assert "已经决定" in next(outcome for outcome in outcomes if outcome != "won")
    proposal.refresh_from_db()
    assert proposal.exit_decision == ExitDecision.APPROVED
    assert TrainingBase.objects.get(pk=base.pk).state == BaseState.EXITED
    assert DocumentNumberSequence.objects.get(prefix="绍市人社发", year=timezone.localdate().year).last == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_rectifications_leave_one_open(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    base = make_base()
    county = UserFactory(role=Role.COUNTY_HRSS, region=region("330602"), username="race_county_r")
    city = UserFactory(role=Role.CITY_HRSS, username="race_city_r")
    data = AssessmentInput(
        assessed_on=timezone.localdate(),
        scope="考核",
        findings="台账不全",
        result=AssessmentResult.RECTIFY,
        reasons="补齐台账",
        rectification_deadline=timezone.localdate() + timedelta(days=20),
    )

    def record(actor):
        services.assessment_record(base=TrainingBase.objects.get(pk=base.pk), actor=actor, data=data)

    outcomes = _race(monkeypatch, record, [(county,), (city,)])

    assert outcomes == ["won", "won"]
    open_ones = Assessment.objects.filter(result="rectify", rectification_closed_at__isnull=True)
    assert open_ones.count() == 1
    assert open_ones.get().follow_up_of is not None
    assert TrainingBase.objects.get(pk=base.pk).state == BaseState.RECTIFYING
