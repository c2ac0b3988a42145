"""Form helpers shared by the apps: Bootstrap styling of widgets (the templates render fields whole,
``{{ field }}`` in ``components/field.html``, with no place to add a class), and a service's
ValidationError shown on the form that was posted."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict


def style_field(field: forms.Field) -> None:
    """Add the Bootstrap class that fits the field's widget, keeping any class it already has."""
    widget = field.widget
    if isinstance(widget, (forms.CheckboxInput, forms.RadioSelect, forms.CheckboxSelectMultiple)):
        css = "form-check-input"  # a box of its own; "form-control" would draw each option as a field
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    classes = widget.attrs.get("class", "").split()
    widget.attrs["class"] = " ".join(classes if css in classes else [*classes, css])


class BootstrapFormMixin:
    """Bootstrap classes on every widget (call ``_style_widgets`` at the end of ``__init__``), and
    ``is-invalid`` on the fields with errors once the form is validated."""

    fields: dict[str, forms.Field]
    errors: ErrorDict

    def _style_widgets(self) -> None:
        for field in self.fields.values():
            style_field(field)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]  # a mixin: the form class follows it in the MRO
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


def add_service_errors(error: ValidationError, *forms_: forms.BaseForm) -> None:
    """Put a service's ValidationError next to the field it names, on whichever form has that field;
    anything else (no field, a field none of the forms has) goes to the first form's non-field errors."""
    if not hasattr(error, "error_dict"):
        forms_[0].add_error(None, error)
        return
    for field, messages in error.message_dict.items():
        target = next((form for form in forms_ if field in form.fields), None)
        if target is None:
            forms_[0].add_error(None, messages)
        else:
            target.add_error(field, messages)
