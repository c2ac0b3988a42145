"""Registry of sample builders: one demo PDF per document kind, for ``manage.py render_samples``.

Each app that renders documents registers its kinds in ``<app>/documents.py``::

    from shaoxing_bases.documents.registry import register_sample

    @register_sample("approval_letter", "批复函")
    def approval_letter_sample() -> bytes:
        application = ...  # create whatever demo rows the document needs
        return render_pdf("review/documents/approval_letter.html", {...})

:func:`sample_builders` imports those modules (``autodiscover_modules("documents")``), so nothing
has to list the kinds in a central place, and a reviewer can look at every kind's real layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules

SampleBuild = Callable[[], bytes]


@dataclass(frozen=True)
class SampleBuilder:
    kind: str  # file-name safe key, e.g. "gbt9704_specimen"
    title: str  # Chinese name shown by render_samples, e.g. "公文格式样张"
    build: SampleBuild


_builders: dict[str, SampleBuilder] = {}


def register_sample(kind: str, title: str) -> Callable[[SampleBuild], SampleBuild]:
    """Decorator registering ``() -> bytes`` as the sample PDF of document ``kind``.

    ``kind`` becomes a file name, so it is restricted to ``[a-z0-9_]``. Registering a second,
    different function under the same kind is a programming error and raises at import time.
    """
    if (
        not kind
        or not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in kind)
        or kind.lower() != kind
    ):
        raise ImproperlyConfigured(f"sample kind must match [a-z0-9_]+, got {kind!r}")

    def decorator(build: SampleBuild) -> SampleBuild:
        existing = _builders.get(kind)
        if existing is not None and _qualname(existing.build) != _qualname(build):
            first, second = _qualname(existing.build), _qualname(build)
            raise ImproperlyConfigured(f"sample kind {kind!r} is registered twice: {first} and {second}")
        _builders[kind] = SampleBuilder(kind=kind, title=title, build=build)
        return build

    return decorator


def autodiscover() -> None:
    """Import the built-in samples and every installed app's ``documents`` module (idempotent)."""
    import_module("shaoxing_bases.documents.samples")
    autodiscover_modules("documents")


def sample_builders() -> list[SampleBuilder]:
    """All registered sample builders, sorted by kind (stable output file order)."""
    autodiscover()
    return [_builders[kind] for kind in sorted(_builders)]


def _qualname(function: Callable[..., object]) -> str:
    # Compared by name, not identity: a module imported twice (e.g. under a test runner's reload)
    # re-registers an equal function, which is harmless.
    return f"{function.__module__}.{function.__qualname__}"
