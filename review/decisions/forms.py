"""Input of the decision pages; the rules and their messages live in the services."""

from django import forms

from shaoxing_bases.core.forms import BootstrapFormMixin
from shaoxing_bases.validators import validate_plain_text

from .models import BODY_MAX_LENGTH, REASON_MAX_LENGTH, TITLE_MAX_LENGTH


class DecisionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(
        label="标题",
        max_length=TITLE_MAX_LENGTH,
        error_messages={"required": "请填写标题。", "max_length": f"标题不能超过{TITLE_MAX_LENGTH}个字。"},
    )
    body = forms.CharField(
        label="正文",
        max_length=BODY_MAX_LENGTH,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="每段一行；名单由系统按公示中的拟认定单位生成，作为附件。",
        error_messages={"required": "请填写正文。", "max_length": f"正文不能超过{BODY_MAX_LENGTH}个字。"},
    )
    decision_date = forms.DateField(
        label="成文日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写成文日期。", "invalid": "请按 年-月-日 填写成文日期。"},
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._style_widgets()


class CosignForm(forms.Form):
    comment = forms.CharField(
        label="会签意见（可选）",
        required=False,
        max_length=REASON_MAX_LENGTH,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        error_messages={"max_length": f"会签意见不能超过{REASON_MAX_LENGTH}个字。"},
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label="退回理由（必填）",
        max_length=REASON_MAX_LENGTH,
        validators=[validate_plain_text],
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        error_messages={
            "required": "请填写退回理由。",
            "max_length": f"退回理由不能超过{REASON_MAX_LENGTH}个字。",
        },
    )
