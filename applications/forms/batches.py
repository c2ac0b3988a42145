"""The city's form for a yearly batch (申报批次): its settings and the deadlines of its workflow.

What may change depends on how far the batch has gone: everything while it is in preparation; once
it has opened, only the deadlines of the stages still ahead, and only later (a unit that planned for a
deadline must never find it earlier). Times are typed and shown in Asia/Shanghai whatever the active
time zone.
"""

from datetime import datetime
from itertools import pairwise
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from ..enums import BatchState
from ..models import Batch

SHANGHAI = ZoneInfo("Asia/Shanghai")

#: The deadlines in the order the workflow meets them.
DEADLINE_FIELDS = ("opens_at", "submission_deadline", "screening_deadline", "scoring_deadline")

#: Once a batch has opened, the deadlines that may still move (forward only) in each state.
MOVABLE_DEADLINES: dict[str, tuple[str, ...]] = {
    BatchState.OPEN: ("submission_deadline", "screening_deadline", "scoring_deadline"),
    BatchState.SCREENING: ("screening_deadline", "scoring_deadline"),
    BatchState.EXPERT_REVIEW: ("scoring_deadline",),
}


def batch_is_editable(batch: Batch) -> bool:
    return batch.state == BatchState.DRAFT or bool(MOVABLE_DEADLINES.get(batch.state))


def _shanghai_time(value: datetime) -> str:
    return timezone.localtime(value, SHANGHAI).strftime("%Y-%m-%d %H:%M")


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
    """Create a batch, or edit one as far as its state allows (see :data:`MOVABLE_DEADLINES`)."""

    class Meta:
        model = Batch
        fields = [
            "year",
            "title",
            "policy_code",
            *DEADLINE_FIELDS,
            "quota",
            "pass_mark",
            "publicity_days",
            "publicity_working_days",
        ]
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
        self.state = self.instance.state if self.instance.pk else BatchState.DRAFT
        if self.state == BatchState.DRAFT:
            self.movable: tuple[str, ...] = tuple(self.fields)
        else:
            self.movable = MOVABLE_DEADLINES.get(self.state, ())
        for name, field in self.fields.items():
            if name not in self.movable:
                field.disabled = True

    @property
    def is_restricted(self) -> bool:
        """True once the batch has opened: only some deadlines may move."""
        return self.state != BatchState.DRAFT

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year is not None and Batch.objects.filter(year=year).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                f"{year}年度的申报批次已存在，每个年度只能设立一个批次。", code="unique"
            )
        return year

    def clean(self):
        cleaned = super().clean()
        now = timezone.now()
        for name in DEADLINE_FIELDS:
            value, original = cleaned.get(name), getattr(self.instance, name, None)
            # The input has minutes only: an untouched time must not look moved by its seconds.
            if value is not None and original is not None and _same_minute(value, original):
                cleaned[name] = value = original
            if name in self.movable and value is not None and value != original:
                self._check_moved(name, value, original, now)
        self._check_order(cleaned)
        return cleaned

    def _check_moved(self, name: str, value: datetime, original: datetime | None, now: datetime) -> None:
        if self.is_restricted and original is not None and value < original:
            self.add_error(
                name, f"批次已开始申报，截止时间只能向后顺延，不能早于原定的{_shanghai_time(original)}。"
            )
        elif name != "opens_at" and value <= now:
            self.add_error(name, "截止时间必须晚于当前时间。")

    def _check_order(self, cleaned: dict) -> None:
        messages = {
            "submission_deadline": "申报截止时间必须晚于开始申报时间。",
            "screening_deadline": "区县初审截止时间必须晚于申报截止时间。",
            "scoring_deadline": "专家评审截止时间必须晚于区县初审截止时间。",
        }
        for earlier, later in pairwise(DEADLINE_FIELDS):
            first, second = cleaned.get(earlier), cleaned.get(later)
            if first is not None and second is not None and second <= first and later not in self.errors:
                self.add_error(later, messages[later])
