"""Forms of the unit's own transitions: the submission confirmation and the withdrawal."""

from django import forms

from shaoxing_bases.validators import validate_plain_text


class SubmitForm(forms.Form):
    """提交确认. Whether ticking `confirmed` is needed (some clauses fail the auto-check) is the
    service's rule: `application_submit` refuses without it and the view shows that here."""

    confirmed = forms.BooleanField(
        label="我单位已知悉上述条件自动核验未通过，仍确认提交，由区县初审判断",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, needs_confirmation: bool = False, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.needs_confirmation = needs_confirmation  # the template shows the box only then


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        validators=[validate_plain_text],
        label="撤回原因（选填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"max_length": "撤回原因不能超过 %(limit_value)d 个字（当前 %(show_value)d 个）。"},
    )
