"""Input of the expert review pages. Forms parse; the rules (ranges, states, deadlines) are the
services', whose ValidationError comes back beside the field (`core.forms.add_service_errors`)."""

from decimal import Decimal

from django import forms

from applications.enums import AttachmentSection
from shaoxing_bases.accounts.selectors import city_finance_staff, city_hrss_staff, expert_accounts
from shaoxing_bases.core.forms import BootstrapFormMixin, style_field

from .enums import DECLARATION_STATEMENTS, RecusalReason, ReviewMode, Vote
from .models import COMMENT_MAX_LENGTH, Expert, Panel, RubricIndicator
from .services import parse_points, score_field
from .services.experts import EXPERT_FIELDS
from .services.forming import MAX_DRAW, drawable_experts


class ExpertForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Expert
        fields = EXPERT_FIELDS

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = expert_accounts().order_by("username")
        self.fields["user"].label_from_instance = lambda user: f"{user.username}（{user}）"
        self.fields["user"].help_text = "专家凭此账号登录评分；未关联账号的专家不能被抽取。"
        self._style_widgets()

    def data_for_service(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EXPERT_FIELDS}


class ExpertImportForm(forms.Form):
    file = forms.FileField(
        label="专家库 Excel 文件（.xlsx）",
        help_text="列名与“导出专家库”相同：姓名、工作单位、工作单位统一社会信用代码、职称/职业资格、专业领域、所在区县、手机号码、在库、登录账号。",
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".xlsx"}),
        error_messages={"required": "请选择要导入的 Excel 文件。"},
    )


class DrawForm(BootstrapFormMixin, forms.Form):
    specialty = forms.CharField(label="专业领域（留空为不限）", required=False, max_length=50)
    count = forms.IntegerField(
        label="抽取人数",
        min_value=1,
        max_value=MAX_DRAW,
        initial=5,
        error_messages={
            "required": "请填写抽取人数。",
            "invalid": "抽取人数应为整数。",
            "min_value": "抽取人数至少为 1 人。",
            "max_value": f"抽取人数最多为 {MAX_DRAW} 人。",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()


class MemberAddForm(BootstrapFormMixin, forms.Form):
    expert = forms.ModelChoiceField(label="专家库中的专家", queryset=Expert.objects.none(), required=False)
    user = forms.ModelChoiceField(
        label="或：市人力社保局、市财政局工作人员", queryset=expert_accounts().none(), required=False
    )

    def __init__(self, *args, panel: Panel, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expert"].queryset = drawable_experts(panel).order_by("name")
        self.fields["expert"].label_from_instance = lambda expert: f"{expert.name}（{expert.employer}）"
        self.fields["user"].queryset = (city_hrss_staff() | city_finance_staff()).order_by("role", "username")
        self.fields["user"].label_from_instance = lambda user: f"{user}（{user.role_label}）"
        self._style_widgets()


class ModeForm(forms.Form):
    mode = forms.ChoiceField(
        label="评审方式",
        choices=ReviewMode.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择评审方式。", "invalid_choice": "请选择评审方式。"},
    )


class IndicatorForm(BootstrapFormMixin, forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    name = forms.CharField(label="评分指标", max_length=60, error_messages={"required": "请填写指标名称。"})
    clauses = forms.CharField(label="对应条款", max_length=60, required=False)
    max_points = forms.DecimalField(
        label="分值",
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.5"),
        max_value=Decimal(100),
        error_messages={
            "required": "请填写分值。",
            "invalid": "分值应为数字。",
            "min_value": "分值至少为 0.5 分。",
            "max_value": "分值不能超过 100 分。",
            "max_decimal_places": "分值最多保留 2 位小数。",
        },
    )
    guidance = forms.CharField(
        label="评分说明", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence_sections = forms.MultipleChoiceField(
        label="对照证明材料",
        required=False,
        choices=AttachmentSection.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    training_scale = forms.BooleanField(label="培训规模指标（同分时优先比较）", required=False)
    DELETE = forms.BooleanField(label="删除该指标", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name != "evidence_sections" and not isinstance(field.widget, forms.HiddenInput):
                style_field(field)


RubricFormSet = forms.formset_factory(IndicatorForm, extra=1, max_num=30, validate_max=True)


def rubric_initial(indicators: list[RubricIndicator]) -> list[dict]:
    return [
        {
            "id": indicator.pk,
            "name": indicator.name,
            "clauses": indicator.clauses,
            "max_points": indicator.max_points,
            "guidance": indicator.guidance,
            "evidence_sections": indicator.evidence_sections,
            "training_scale": indicator.training_scale,
        }
        for indicator in indicators
    ]


class DeclareForm(forms.Form):
    statements = forms.MultipleChoiceField(
        label="无利害关系声明",
        choices=DECLARATION_STATEMENTS,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
    )


class RecuseForm(BootstrapFormMixin, forms.Form):
    reason = forms.ChoiceField(
        label="回避情形",
        choices=[("", "请选择"), *RecusalReason.declarable()],
        error_messages={"required": "请选择回避情形。", "invalid_choice": "请选择回避情形。"},
    )
    note = forms.CharField(
        label="具体说明", required=False, max_length=300, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()


class SheetForm(forms.Form):
    """One field per indicator (typed text, parsed to a Decimal here; the range is the service's
    rule), the comment and, in vote mode, the vote."""

    comment = forms.CharField(
        label="评审意见",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
        error_messages={"max_length": f"评审意见不能超过 {COMMENT_MAX_LENGTH} 字。"},
    )
    vote = forms.ChoiceField(
        label="表决意见",
        required=False,
        choices=Vote.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "请选择“同意”或“不同意”。"},
    )

    def __init__(self, *args, indicators: list[RubricIndicator], votes: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        if not votes:
            del self.fields["vote"]
            for indicator in indicators:
                self.fields[score_field(indicator)] = forms.CharField(
                    label=f"{indicator.name}得分",
                    required=False,
                    max_length=12,
                    widget=forms.TextInput(
                        attrs={
                            "class": "form-control score-input",
                            "inputmode": "decimal",
                            "autocomplete": "off",
                            "data-max": str(indicator.max_points),
                        }
                    ),
                )

    def clean(self):
        cleaned = super().clean()
        for indicator in self.indicators:
            name = score_field(indicator)
            if name not in self.fields:
                continue
            try:
                cleaned[name] = parse_points(self.data.get(name))
            except ValueError:
                self.add_error(name, f"“{indicator.name}”的得分应为数字（如 8 或 8.5）。")
        return cleaned

    def points(self) -> dict[int, Decimal | None]:
        return {indicator.pk: self.cleaned_data.get(score_field(indicator)) for indicator in self.indicators}


class ConfirmForm(BootstrapFormMixin, forms.Form):
    comment = forms.CharField(
        label="确认意见",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"确认意见不能超过 {COMMENT_MAX_LENGTH} 字。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()
