"""The dashboard (工作台) is made of panels that each area registers for the people it concerns.

A panel names the permission that decides who sees it and a function returning its template
context (None: nothing to show now). The dashboard view asks the permission like any other view, so
a new stage adds its panel here instead of a role-specific template.
"""

from collections.abc import Callable
from dataclasses import dataclass

from shaoxing_bases.permissions import REGISTRY, ask


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    perm: str
    template: str
    context: Callable[[object], dict | None]
    order: int = 100


_panels: dict[str, Panel] = {}


def register_panel(panel: Panel) -> Panel:
    """Add (or replace, by key) a panel; called from an app's ``ready()``."""
    if panel.perm not in REGISTRY:
        raise LookupError(f"panel {panel.key}: permission {panel.perm!r} is not registered")
    _panels[panel.key] = panel
    return panel


@dataclass(frozen=True)
class RenderedPanel:
    panel: Panel
    context: dict


def panels_for(user) -> list[RenderedPanel]:
    """The panels `user` may see that have something to show, in order."""
    shown = []
    for panel in sorted(_panels.values(), key=lambda item: (item.order, item.key)):
        if not ask(panel.perm, user, layer="view"):
            continue
        context = panel.context(user)
        if context is not None:
            shown.append(RenderedPanel(panel, context))
    return shown
