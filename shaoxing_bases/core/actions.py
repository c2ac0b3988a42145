"""Running a service from a POST view, the one way every page does it.

A view binds its form, then hands the service call to `perform`: a second click (`AlreadyHandled`)
becomes a warning, a refusal (`ValidationError`) is shown beside the posted form's fields — or, for
a button without a form, as an error message — and success becomes the given message. The view
then only decides where to go: re-render the page with the form when `refused`, else redirect.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError

from .exceptions import AlreadyHandled
from .forms import add_service_errors


@dataclass(frozen=True)
class Outcome:
    done: bool
    result: Any = None
    refused: ValidationError | None = None


def perform(
    request,
    action: Callable[[], Any],
    *,
    success: str | Callable[[Any], str],
    form: forms.BaseForm | None = None,
) -> Outcome:
    try:
        result = action()
    except AlreadyHandled as handled:
        messages.warning(request, handled.message)
        return Outcome(done=False)
    except ValidationError as error:
        if form is not None:
            add_service_errors(error, form)
        else:
            messages.error(request, "；".join(error.messages))
        return Outcome(done=False, refused=error)
    messages.success(request, success(result) if callable(success) else success)
    return Outcome(done=True, result=result)
