"""Forms of the unit's own transitions: the submission confirmation and 放弃本批次申报 (withdrawal).

撤回修改 (recall) has no input: its page is a confirmation with one button."""

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
    """放弃本批次申报. Whether `confirmed` must be ticked is the service's rule
    (`application_withdraw(..., confirmed=...)` refuses without it); the view shows its refusal here."""

    reason = forms.CharField(
        validators=[validate_plain_text],
        label="放弃原因（选填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        error_messages={"max_length": "放弃原因不能超过 %(limit_value)d 个字（当前 %(show_value)d 个）。"},
    )
    confirmed = forms.BooleanField(
        label="我单位已知悉：放弃后本批次不能再次申报，且不能恢复",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
