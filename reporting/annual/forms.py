"""Input parsing of the annual-report pages; the rules and their messages live in the services."""

from django import forms
from django.db import models

from shaoxing_bases.core.forms import BootstrapFormMixin

from .enums import CityDecision, QueueFilter, ReviewDecision
from .models import COMMENT_MAX_LENGTH, TEXT_MAX_LENGTH, AnnualReport
from .sections import Section

MAX_COUNT = 10_000_000
MAX_AMOUNT = 10**12


def _form_field(name: str) -> forms.Field:
    field = AnnualReport._meta.get_field(name)
    label = str(field.verbose_name)
    if isinstance(field, models.TextField):
        return forms.CharField(
            label=label,
            required=False,
            max_length=TEXT_MAX_LENGTH,
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": f"{label}不能超过 {TEXT_MAX_LENGTH} 字。"},
        )
    if isinstance(field, models.DecimalField):
        return forms.DecimalField(
            label=label,
            required=False,
            min_value=0,
            max_value=MAX_AMOUNT,
            max_digits=14,
            decimal_places=2,
            widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            help_text="选填：留空表示未填写。" if field.null else "",
            error_messages={
                "min_value": f"{label}不能为负数。",
                "max_value": f"{label}数额过大，请核对。",
                "invalid": f"{label}应为金额（元，最多两位小数）。",
                "max_digits": f"{label}数额过大，请核对。",
                "max_decimal_places": f"{label}最多两位小数。",
                "max_whole_digits": f"{label}数额过大，请核对。",
            },
        )
    return forms.IntegerField(
        label=label,
        required=False,
        min_value=0,
        max_value=MAX_COUNT,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={
            "min_value": f"{label}不能为负数。",
            "max_value": f"{label}数值过大，请核对。",
            "invalid": f"{label}应为非负整数。",
        },
    )


class SectionForm(BootstrapFormMixin, forms.Form):
    """One section of the report: the fields named in ``reporting.annual.sections``."""

    def __init__(self, section: Section, report: AnnualReport, *args, **kwargs) -> None:
        kwargs.setdefault("initial", {name: getattr(report, name) for name in section.fields})
        super().__init__(*args, **kwargs)
        self.section = section
        for name in section.fields:
            self.fields[name] = _form_field(name)
        self._style_widgets()

    def values(self) -> dict[str, object]:
        """Blank counts and amounts are 0 (the report's default); the optional received funds stay None."""
        values: dict[str, object] = {}
        for name, value in self.cleaned_data.items():
            field = AnnualReport._meta.get_field(name)
            if value is None and not field.null:
                value = 0
            values[name] = value
        return values


class ReviewForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="审核结论",
        choices=ReviewDecision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "请选择审核结论。", "invalid_choice": "请选择审核结论。"},
    )
    comment = forms.CharField(
        label="审核意见",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="退回修改时必填，写明需要修改的内容。",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs["class"] = "form-check-input"
        self.fields["comment"].widget.attrs["class"] = "form-control"


class CityDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="备案意见",
        choices=CityDecision.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择备案或提出问题。", "invalid_choice": "请选择备案或提出问题。"},
    )
    note = forms.CharField(
        label="意见或问题",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="退回区县时必填。",
    )


class OpenYearForm(forms.Form):
    year = forms.IntegerField(
        label="年度",
        min_value=2022,
        max_value=2100,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
        error_messages={
            "required": "请填写年度。",
            "invalid": "年度应为四位数字。",
            "min_value": "年度应在 2022—2100 之间。",
            "max_value": "年度应在 2022—2100 之间。",
        },
    )


class LateWindowForm(forms.Form):
    until = forms.DateField(
        label="补报截止日期",
        widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}),
        help_text="基地可在该日24时前提交。",
        error_messages={"required": "请选择补报截止日期。", "invalid": "请填写有效日期，如 2027-01-15。"},
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(choices=[("", "全部"), *QueueFilter.choices], required=False)
