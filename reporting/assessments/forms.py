"""Input of an assessment and of the city's decision on an exit. The rules and their messages live
in the services; the forms parse."""

from django import forms

from shaoxing_bases.core.forms import BootstrapFormMixin

from ..enums import AssessmentResult
from .services import AssessmentInput


class DateInput(forms.DateInput):
    input_type = "date"


class AssessmentForm(BootstrapFormMixin, forms.Form):
    assessed_on = forms.DateField(label="考核日期", widget=DateInput())
    scope = forms.CharField(
        label="考核范围和内容",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如：2025年度建设情况和项目开展情况，培训规模、师资、设备、经费使用。",
    )
    findings = forms.CharField(label="考核发现", max_length=4000, widget=forms.Textarea(attrs={"rows": 4}))
    result = forms.ChoiceField(label="考核结论", choices=AssessmentResult.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label="整改或退出理由",
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="结论为“整改”或“退出”时必填：写明未达标的情形和整改要求。",
    )
    rectification_deadline = forms.DateField(
        label="整改期限", required=False, widget=DateInput(), help_text="结论为“整改”时必填。"
    )
    evidence = forms.FileField(
        label="证明材料",
        required=False,
        help_text="考核记录、现场照片等，PDF、JPG、PNG 一个文件（按内容识别）。表单有错误时请重新选择文件。",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        self.fields["result"].widget.attrs["class"] = "form-check-input"

    def to_input(self) -> AssessmentInput:
        data = self.cleaned_data
        return AssessmentInput(
            assessed_on=data["assessed_on"],
            scope=data["scope"],
            findings=data["findings"],
            result=data["result"],
            reasons=data.get("reasons", ""),
            rectification_deadline=data.get("rectification_deadline"),
        )


class ExitDecisionForm(BootstrapFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="决定",
        choices=[("approve", "同意退出（印发退出通知）"), ("reject", "不予退出")],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="市人力社保局意见",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="不予退出时必填；同意退出时写入退出通知。",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()
        self.fields["decision"].widget.attrs["class"] = "form-check-input"
