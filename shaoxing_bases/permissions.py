"""The one way to ask who may do what: named django-rules permissions.

Each app's ``rules.py`` registers its permissions with :func:`add_perm` (predicates combined from
``shaoxing_bases.accounts.rules``). The same name is then asked by

* views — :func:`permission_required` gates the page by role (the permission asked without an
  object) and :func:`get_object_for` fetches the object through the user's scoped queryset and asks
  the permission on it (outside the scope: 404, audited);
* templates — ``{% can "review.cosign_recommendation" recommendation as may_cosign %}``
  (``core/templatetags/permissions.py``) decides which buttons to show;
* services — :func:`require_perm` before they change anything.

A permission asked **without an object** answers "may this user do this kind of thing at all" (the
role: menus, page gates); asked **with an object** it also checks the object's scope (own unit, own
county). Object predicates are wrapped in :func:`scoped`, which is what makes the first question
answerable; a permission registered with ``scoped=True`` cannot be *required* without its object,
so a service can never skip the scope by forgetting the object.

``rules.has_perm`` is called directly, never ``user.has_perm``: Django grants a superuser every
permission there, and an administrator must not co-sign a county's list or score an application.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any

import rules
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

#: Permission names registered through `add_perm`, with whether each needs an object.
REGISTRY: dict[str, bool] = {}


def scoped(predicate: rules.Predicate) -> rules.Predicate:
    """An object predicate that holds when there is no object (the role-level question)."""

    @rules.predicate(name=f"scoped({predicate.name})")
    def check(user, obj=None) -> bool:
        return obj is None or bool(predicate.test(user, obj))

    return check


def add_perm(name: str, predicate: rules.Predicate, *, scoped: bool = False) -> None:
    """Register one named permission. ``scoped``: it concerns one object (see module docstring)."""
    rules.add_perm(name, predicate)
    REGISTRY[name] = scoped


# --- who asked what: a probe for the tests that prove view, template and service agree ---------


@dataclass(frozen=True)
class PermissionCheck:
    layer: str  # "view", "template" or "service"
    perm: str
    user: Any
    obj: Any
    granted: bool


_probes: list[Callable[[PermissionCheck], None]] = []


@contextmanager
def permission_probe() -> Iterator[list[PermissionCheck]]:
    """Collect every permission asked through this module while the block runs (tests)."""
    seen: list[PermissionCheck] = []
    _probes.append(seen.append)
    try:
        yield seen
    finally:
        _probes.remove(seen.append)


def ask(perm: str, user, obj=None, *, layer: str) -> bool:
    """Whether `user` holds `perm` (on `obj`). Unknown names are a programming error."""
    if perm not in REGISTRY:
        raise LookupError(f"permission {perm!r} is not registered")
    granted = bool(user is not None and rules.has_perm(perm, user, obj))
    for probe in _probes:
        probe(PermissionCheck(layer, perm, user, obj, granted))
    return granted


# --- services ------------------------------------------------------------------------------------


def require_perm(actor, perm: str, obj: Model | None = None) -> None:
    """Raise PermissionDenied unless `actor` holds `perm` on `obj`. The services' first check."""
    if REGISTRY.get(perm) and obj is None:
        raise TypeError(f"{perm} concerns one object: pass it")
    if not ask(perm, actor, obj, layer="service"):
        raise PermissionDenied


# --- views ---------------------------------------------------------------------------------------


def permission_required(perm: str, *, hide: bool = False):
    """View decorator: signed in (else the login page) and holding `perm` at all (else 403, which the
    403 handler audits; with ``hide``, 404 and an audit entry: an official document's address says
    nothing to whom may not read it). The object-level question is asked by `get_object_for`.

    The permission is kept on the view (``view.permission_required``) so that the access tests can
    compare it with what the template and the service asked.
    """
    if perm not in REGISTRY:
        raise LookupError(f"permission {perm!r} is not registered")

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not ask(perm, request.user, layer="view"):
                if hide:
                    raise HiddenObject(detail={"permission": perm})
                raise PermissionDenied
            return view(request, *args, **kwargs)

        guarded = login_required(wrapped)
        guarded.permission_required = perm  # type: ignore[attr-defined]
        return guarded

    return decorator


def public(view):
    """Marks a view anyone may open, signed in or not (the access tests require a declaration)."""
    view.permission_required = None
    return view


def get_object_for(request, perm: str, scoped_queryset: QuerySet, *, via=None, **lookup):
    """The object from the user's scoped queryset, on which the user must hold `perm`.

    An object that exists but lies outside the user's scope (another county's application, another
    unit's file) answers 404 like one that does not exist, and the probe is recorded in the audit
    trail: the user learns nothing, the bureau learns that someone tried. An object the user may see
    but not act on this way (finance on the HRSS's step) answers 403. ``via(found)`` names the object
    the permission is about when it is not the row itself (a file's application).
    """
    found = scoped_queryset.filter(**lookup).first()
    if found is not None:
        if ask(perm, request.user, via(found) if via else found, layer="view"):
            return found
        raise PermissionDenied
    model = scoped_queryset.model
    if model._default_manager.filter(**lookup).exists():
        raise HiddenObject(
            object_repr=f"{model._meta.verbose_name}（范围外）",
            detail={"model": model._meta.label, "lookup": {key: str(value) for key, value in lookup.items()}},
        )
    raise Http404


class HiddenObject(Http404):
    """A 404 that hides something from this user: still a denial the bureau should see. The 404
    handler (`core.views.page_not_found`) records it in the audit trail, as the 403 handler does
    for a plain denial, so that this module stays below the audit app."""

    def __init__(self, *, object_repr: str = "", detail: dict) -> None:
        super().__init__("not found")
        self.object_repr = object_repr
        self.detail = detail
