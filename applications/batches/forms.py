"""The city's form for a yearly batch (申报批次): its settings and the deadlines of its workflow.

What may change depends on how far the batch has gone: everything while it is in preparation; once
it has opened, only the deadlines of the stages still ahead, and only later (a unit that planned for a
deadline must never find it earlier). Times are typed and shown in Asia/Shanghai whatever the active
time zone.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from ..models import Batch
from .services import DEADLINE_FIELDS, SETTINGS_FIELDS, batch_editable_fields

SHANGHAI = ZoneInfo("Asia/Shanghai")


def _same_minute(first: datetime, second: datetime) -> bool:
    return first.replace(second=0, microsecond=0) == second.replace(second=0, microsecond=0)


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "form-control", **(attrs or {})}, format="%Y-%m-%dT%H:%M")


#: The years a batch's times may fall in (those of `Batch.year`): anything else is a typing slip, and
#: year 1 or 9999 would overflow when converted between time zones.
MIN_YEAR, MAX_YEAR = 2022, 2100


class ShanghaiDateTimeField(forms.DateTimeField):
    """A `<input type="datetime-local">` whose wall-clock time is Asia/Shanghai (the bureau's time)."""

    widget = DateTimeLocalInput
    input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
    default_error_messages = {
        "invalid": "请输入有效的日期和时间，例如 2026-09-01 14:00。",
        "year_range": f"请输入{MIN_YEAR}年至{MAX_YEAR}年之间的日期和时间。",
    }

    def prepare_value(self, value):
        with timezone.override(SHANGHAI):
            return super().prepare_value(value)

    def to_python(self, value):
        with timezone.override(SHANGHAI):
            try:
                result = super().to_python(value)
            except OverflowError:
                raise forms.ValidationError(self.error_messages["year_range"], code="year_range") from None
        if result is not None and not MIN_YEAR <= result.year <= MAX_YEAR:
            raise forms.ValidationError(self.error_messages["year_range"], code="year_range")
        return result


class BatchForm(forms.ModelForm):
    """Create a batch, or edit one as far as its state allows (`batch_editable_fields`).

    The form parses what was typed; the rules (order of the deadlines, later only once opened, one
    batch a year) are `batch_create` / `batch_update`'s, whose errors the view puts back here.
    """

    class Meta:
        model = Batch
        fields = list(SETTINGS_FIELDS)
        field_classes = dict.fromkeys(DEADLINE_FIELDS, ShanghaiDateTimeField)
        help_texts = {
            "opens_at": "到达该时间后系统自动开始申报（每分钟检查一次）。",
            "submission_deadline": "到达该时间后不再接受提交，批次自动进入区县初审。",
            "screening_deadline": "区县完成初审并推荐的截止时间。",
            "scoring_deadline": "评审专家完成评分的截止时间。",
            "quota": "本批次拟认定的实训基地数量上限。",
            "pass_mark": "评审得分达到该分数方可入围（满分100分）。",
            "publicity_days": "公示期天数，默认7天。",
        }
        widgets = {
            "year": forms.NumberInput(attrs={"class": "form-control"}),
            "title": forms.TextInput(
                attrs={
                    "class": "form-control",
                    "placeholder": "例如：2026年度绍兴市市级高技能人才公共实训基地申报",
                }
            ),
            "policy_code": forms.Select(attrs={"class": "form-select"}),
            "quota": forms.NumberInput(attrs={"class": "form-control"}),
            "pass_mark": forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
            "publicity_days": forms.NumberInput(attrs={"class": "form-control"}),
            "publicity_working_days": forms.CheckboxInput(attrs={"class": "form-check-input"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.movable = batch_editable_fields(self.instance)
        for name, field in self.fields.items():
            if name not in self.movable:
                field.disabled = True

    @property
    def is_restricted(self) -> bool:
        """True once the batch has opened: only some deadlines may move."""
        return self.instance.pk is not None and self.movable != tuple(SETTINGS_FIELDS)

    def validate_unique(self) -> None:
        """One batch a year is the service's rule (with its own message); not checked twice."""

    def _post_clean(self) -> None:
        """The model's own validation runs in the service, on the values it will save."""

    def clean(self):
        cleaned = super().clean()
        # The input has minutes only: an untouched time must not look moved by its seconds.
        for name in DEADLINE_FIELDS:
            value, original = cleaned.get(name), getattr(self.instance, name, None)
            if value is not None and original is not None and _same_minute(value, original):
                cleaned[name] = original
        return cleaned

    def settings(self) -> dict:
        """The values the service may apply: the fields this batch's state leaves editable."""
        return {name: self.cleaned_data[name] for name in self.movable if name in self.cleaned_data}
