"""Input of a funding record. The rules and their messages live in the service (`_check`)."""

from django import forms
from django.utils import timezone

from shaoxing_bases.core.forms import BootstrapFormMixin

from ..enums import FundingPurpose
from .services import FundingInput


class FundingForm(BootstrapFormMixin, forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    amount = forms.DecimalField(
        label="金额（元）",
        max_digits=14,
        decimal_places=2,
        help_text="单位：元，最多两位小数。",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    purpose = forms.ChoiceField(label="用途", choices=[("", "请选择"), *FundingPurpose.choices])
    document_reference = forms.CharField(
        label="拨款文件文号", max_length=100, help_text="如 越财社〔2025〕12号。"
    )
    note = forms.CharField(label="说明", max_length=300, required=False, help_text="用途为“其他”时必填。")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self._style_widgets()

    def to_input(self) -> FundingInput:
        data = self.cleaned_data
        return FundingInput(
            year=data["year"],
            amount=data["amount"],
            purpose=data["purpose"],
            document_reference=data["document_reference"],
            note=data.get("note", ""),
        )
