"""Response helpers shared by the views."""

from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponseBase

if TYPE_CHECKING:
    from shaoxing_bases.accounts.models import User


def private_download(response: HttpResponseBase) -> HttpResponseBase:
    """Letters, evidence and exports hold personal and official data: never cached on the way,
    never sniffed into something else by the browser."""
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class SignedInRequest(HttpRequest):
    """A request past `permission_required`: its user is signed in (for the type checker)."""

    user: "User"
