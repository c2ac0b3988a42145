"""Bootstrap styling of widgets (core.forms.style_field)."""

import pytest
from django import forms

from shaoxing_bases.core.forms import style_field


@pytest.mark.parametrize(
    ("widget", "css"),
    [
        (forms.TextInput(), "form-control"),
        (forms.Select(), "form-select"),
        (forms.CheckboxInput(), "form-check-input"),
        # Each option is a box of its own: as "form-control" the options were drawn as empty fields.
        (forms.RadioSelect(), "form-check-input"),
        (forms.RadioSelect(attrs={"class": "form-check-input"}), "form-check-input"),
        (forms.CheckboxSelectMultiple(), "form-check-input"),
    ],
)
def test_each_widget_gets_the_one_bootstrap_class_that_fits_it(widget, css):
    field = forms.CharField(widget=widget)
    style_field(field)
    assert field.widget.attrs["class"].split() == [css]
