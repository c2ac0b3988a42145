"""What other areas do when the decision approves an application (registered from their ``ready()``).

``review`` must not import ``reporting``; the training base is created through this registry instead:
``reporting/apps.py`` registers ``reporting.services.training_base_create``.
"""

from collections.abc import Callable
from datetime import datetime

from applications.models import Application

#: fn(*, application, document_number, approved_at, actor) -> object
ApprovalEffect = Callable[..., object]
_effects: list[ApprovalEffect] = []


def register_approval_effect(fn: ApprovalEffect) -> ApprovalEffect:
    """Run ``fn(application=, document_number=, approved_at=, actor=)`` inside the issuing transaction
    for every application the decision approves (after its state is ``approved``). An exception rolls
    the whole issue back: number, approvals and bases. Registering the same function twice is a no-op."""
    if fn not in _effects:
        _effects.append(fn)
    return fn


def approval_effects() -> tuple[ApprovalEffect, ...]:
    return tuple(_effects)


def run_approval_effects(
    *, application: Application, document_number: str, approved_at: datetime, actor
) -> None:
    for effect in _effects:
        effect(application=application, document_number=document_number, approved_at=approved_at, actor=actor)
