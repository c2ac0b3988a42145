"""Demo data registry: each area registers a seeder; ``manage.py seed_demo`` runs them in order.

Seeders run after the demo accounts exist, each in its own transaction, and must be idempotent
(``make run`` seeds on every start). They go through the services, never by writing states, so that
the demo shows what the portal really does. ``core`` imports no domain app: the apps register here
from their ``ready()``.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

#: A seeder returns the lines it reports ("批次：2026年度…（申报中）").
Seeder = Callable[[], list[str]]


@dataclass(frozen=True)
class DemoSeeder:
    order: int
    name: str
    seed: Seeder


_seeders: dict[str, DemoSeeder] = {}


def register_demo(name: str, *, order: int) -> Callable[[Seeder], Seeder]:
    """Decorator: ``@register_demo("applications", order=10)``; lower orders run first."""

    def decorator(seed: Seeder) -> Seeder:
        _seeders[name] = DemoSeeder(order, name, seed)
        return seed

    return decorator


def demo_seeders() -> list[DemoSeeder]:
    return sorted(_seeders.values(), key=lambda seeder: (seeder.order, seeder.name))


# --- the demo's timeline --------------------------------------------------------------------------
#
# After `make run` every role must find work at every stage at once, so the demo keeps one batch in
# each stage: next year's open for applications, this year's in county screening, earlier ones in
# expert review, in publicity and concluded (with training bases and their annual reports). A real
# bureau runs one batch at a time; the demo is a showcase of all of them. Every batch is taken there
# through the real services, at the times the steps happened (`demo_clock`), so timelines, deadlines,
# audit entries and documents look as they would.


@dataclass(frozen=True)
class DemoBatchPlan:
    year: int
    stage: str  # the batch state the demo leaves it in (applications.enums.BatchState values)
    opens_at: datetime
    submission_deadline: datetime
    screening_deadline: datetime
    scoring_deadline: datetime

    def at(self, days: float, hour: int = 9) -> datetime:
        """A moment `days` after the batch opened, at `hour` o'clock in Shanghai."""
        day = timezone.localtime(self.opens_at) + timedelta(days=days)
        return day.replace(hour=hour, minute=0, second=0, microsecond=0)


def _shanghai_day(value: datetime, hour: int) -> datetime:
    return timezone.localtime(value).replace(hour=hour, minute=0, second=0, microsecond=0)


#: The stages of the demo's timeline, in the order a batch goes through them.
DEMO_STAGES = ("open", "screening", "expert_review", "publicity", "concluded")
#: The stages `seed_demo --stages` asked for (None: all). The browser tests seed only what they show.
_only_stages: frozenset[str] | None = None


@contextmanager
def only_stages(stages: frozenset[str] | None) -> Iterator[None]:
    global _only_stages
    previous, _only_stages = _only_stages, stages
    try:
        yield
    finally:
        _only_stages = previous


def demo_batch_plans(now: datetime | None = None) -> list[DemoBatchPlan]:
    """The demo's batches, oldest first, with deadlines placed around `now` so that each is in its
    stage today (whatever day `make run` happens on); only those of `only_stages` when restricted."""
    now = now or timezone.now()
    year = timezone.localtime(now).year

    def plan(year_: int, stage: str, opened_days_ago: int, submission: int, screening: int, scoring: int):
        opens = _shanghai_day(now - timedelta(days=opened_days_ago), 9)
        return DemoBatchPlan(
            year=year_,
            stage=stage,
            opens_at=opens,
            submission_deadline=_shanghai_day(opens + timedelta(days=submission), 17),
            screening_deadline=_shanghai_day(opens + timedelta(days=screening), 17),
            scoring_deadline=_shanghai_day(opens + timedelta(days=scoring), 17),
        )

    plans = [
        # Concluded three years ago: its bases have filed annual reports since.
        plan(year - 3, "concluded", 3 * 365 + 120, 30, 45, 60),
        plan(year - 2, "publicity", 110, 40, 65, 100),
        plan(year - 1, "expert_review", 80, 40, 68, 87),
        plan(year, "screening", 50, 42, 56, 75),
        plan(year + 1, "open", 10, 45, 60, 75),
    ]
    return [plan for plan in plans if _only_stages is None or plan.stage in _only_stages]


@contextmanager
def demo_clock(when: datetime) -> Iterator[None]:
    """Run the block as if it were `when` (the services read the clock themselves)."""
    import time_machine  # imported here: only the demo travels in time

    with time_machine.travel(when, tick=False):
        yield
