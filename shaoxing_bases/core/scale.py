"""Provincial-scale data for `manage.py seed_scale` (the benchmark's dataset), one seeder per area.

Each area registers a seeder that adds its share with bulk operations (minutes, not hours, for
~5,000 units and 10,000+ applications over five batches, and each later stage's rows on top); the
command runs them in order. Like the demo registry, `core` imports no area: they register here
from their ``ready()``.
"""

from collections.abc import Callable
from dataclasses import dataclass

#: A scale seeder takes the size factor (1.0 = the provincial load) and returns lines to report.
ScaleSeeder = Callable[[float], list[str]]


@dataclass(frozen=True)
class ScaleStep:
    order: int
    name: str
    seed: ScaleSeeder


_steps: dict[str, ScaleStep] = {}


def register_scale(name: str, *, order: int) -> Callable[[ScaleSeeder], ScaleSeeder]:
    """Decorator: ``@register_scale("applications", order=10)``; lower orders run first."""

    def decorator(seed: ScaleSeeder) -> ScaleSeeder:
        _steps[name] = ScaleStep(order, name, seed)
        return seed

    return decorator


def scale_steps() -> list[ScaleStep]:
    return sorted(_steps.values(), key=lambda step: (step.order, step.name))


def demo_batch_years() -> list[int]:
    """The years of the demo's five batches: the ones the applications, screening and panels steps
    fill. Later steps may add earlier concluded batches of their own (the bases' step does), which
    those steps leave alone, so that running `seed_scale` again adds nothing."""
    from .demo import demo_batch_plans

    return [plan.year for plan in demo_batch_plans()]
