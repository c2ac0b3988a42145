"""The public home page is made of sections that the apps register, as the dashboard is of panels.

The platform knows no batch: `applications` registers the open batches with their deadline and a
立即申报 button; later stages add their public notices and the list of bases the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomeSection:
    key: str
    template: str
    #: Context of the section for the visitor (anonymous or not), given to its template as `home`;
    #: None: nothing to show.
    context: Callable[[object], dict | None]
    order: int = 100


_sections: dict[str, HomeSection] = {}


def register_home_section(section: HomeSection) -> HomeSection:
    """Add (or replace, by key) a section of the home page; called from an app's ``ready()``."""
    _sections[section.key] = section
    return section


@dataclass(frozen=True)
class RenderedSection:
    section: HomeSection
    context: dict


def home_sections_for(user) -> list[RenderedSection]:
    shown = []
    for section in sorted(_sections.values(), key=lambda item: (item.order, item.key)):
        context = section.context(user)
        if context is not None:
            shown.append(RenderedSection(section, context))
    return shown
