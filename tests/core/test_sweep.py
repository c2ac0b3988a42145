"""The minute sweep runs every registered sweeper in isolation: one that raises, even with a broken
query, leaves the others running; slow work goes to its own task through `enqueue_after_commit`."""

import pytest
from django.db import connection

from shaoxing_bases import background
from shaoxing_bases.accounts.models import User
from shaoxing_bases.background import enqueue_after_commit
from shaoxing_bases.core.tasks import sweep_deadlines


def _broken_python():
    raise RuntimeError("sweeper bug")


def _broken_query():
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table_for_the_sweep")


def _sweepers(monkeypatch, *sweepers):
    monkeypatch.setattr(background, "DEADLINE_SWEEPERS", list(sweepers))


def _counting(ran: list, name: str, moved: int = 1):
    def sweeper():
        # A query, so that a transaction aborted by an earlier sweeper would fail here.
        ran.append((name, User.objects.count()))
        return moved

    sweeper.__qualname__ = name
    return sweeper


@pytest.mark.django_db
@pytest.mark.parametrize("broken", [_broken_python, _broken_query])
def test_a_sweeper_that_raises_leaves_the_others_running(monkeypatch, caplog, broken):
    ran: list = []
    _sweepers(monkeypatch, _counting(ran, "first"), broken, _counting(ran, "last", moved=2))
    assert sweep_deadlines() == 3
    assert [name for name, _count in ran] == ["first", "last"]
    assert f"sweeper {__name__}.{broken.__qualname__} failed" in caplog.text


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broken", [_broken_python, _broken_query])
def test_a_sweeper_that_raises_leaves_the_others_running_in_the_worker(monkeypatch, broken):
    # As in the worker: no surrounding transaction, each sweeper commits on its own.
    ran: list = []
    _sweepers(monkeypatch, broken, _counting(ran, "after"))
    assert not connection.in_atomic_block
    assert sweep_deadlines.delay().get() == 1
    assert [name for name, _count in ran] == ["after"]


@pytest.mark.django_db
def test_enqueue_after_commit_waits_for_the_commit_and_never_raises(
    monkeypatch, django_capture_on_commit_callbacks, caplog
):
    from kombu.exceptions import OperationalError

    sent = []

    class FakeTask:
        name = "tests.fake"

        def delay(self, **kwargs):
            if kwargs.get("fail"):
                raise OperationalError("broker down")
            sent.append(kwargs)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        enqueue_after_commit(FakeTask(), fail=True)
        enqueue_after_commit(FakeTask(), item=1)
        assert sent == []  # nothing before the commit
    assert len(callbacks) == 2
    assert sent == [{"item": 1}]
    assert "could not enqueue tests.fake" in caplog.text
