"""Demo data registry: each area registers a seeder; ``manage.py seed_demo`` runs them in order.

Seeders run after the demo accounts exist, each in its own transaction, and must be idempotent
(``make run`` seeds on every start). They go through the services, never by writing states, so that
the demo shows what the portal really does. ``core`` imports no domain app: the apps register here
from their ``ready()``.
"""

from collections.abc import Callable
from dataclasses import dataclass

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
