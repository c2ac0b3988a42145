"""Two minute sweeps at the same moment (two beats by mistake, a redelivered task): every December
timer still acts once. Needs PostgreSQL (row locks across connections)."""

import threading
from datetime import datetime

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from reporting.annual.enums import NoticeKind
from reporting.annual.models import AnnualReport, AnnualReportNotice
from reporting.annual.services import annual_reports_sweep
from shaoxing_bases.notifications.models import Notification

from .factories import base_member, make_base


def _race(moment: datetime) -> list[object]:
    start = threading.Barrier(2)
    results: list[object] = []

    def sweep():
        try:
            with time_machine.travel(moment, tick=False):
                start.wait()
                results.append(annual_reports_sweep())
        except Exception as error:
            results.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_open_remind_and_mark_overdue_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (SELECT … FOR UPDATE across connections)")
    approved = timezone.make_aware(datetime(2025, 3, 1))
    bases = [make_base(approved_at=approved) for _ in range(3)]
    members = [base_member(base) for base in bases]

    opened = _race(timezone.make_aware(datetime(2026, 12, 1, 0, 1)))
    assert not [result for result in opened if isinstance(result, Exception)], opened
    assert AnnualReport.objects.filter(year=2026).count() == 3
    assert Notification.objects.filter(recipient__in=members).count() == 3

    reminded = _race(timezone.make_aware(datetime(2026, 12, 15, 0, 1)))
    # skip_locked may split the rows between the two sweeps; together they remind each base once.
    assert sum(result for result in reminded if isinstance(result, int)) == 3, reminded
    assert AnnualReportNotice.objects.filter(kind=NoticeKind.REMINDER_1).count() == 3

    overdue = _race(timezone.make_aware(datetime(2027, 1, 1, 0, 1)))
    assert sum(result for result in overdue if isinstance(result, int)) == 3, overdue
    assert AnnualReportNotice.objects.filter(kind=NoticeKind.OVERDUE).count() == 3
    assert Notification.objects.filter(recipient__in=members, title__contains="已逾期").count() == 3
