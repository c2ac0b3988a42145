"""Input of the county screening pages. Errors are Chinese and shown next to their fields."""

from django import forms

from applications.enums import ApplicationState, UnitType
from shaoxing_bases.validators import validate_plain_text

from .enums import QUEUE_STATES, JudgementOutcome, ScreeningDecision
from .models import COMMENT_MAX_LENGTH, NOTE_MAX_LENGTH, OPINION_MAX_LENGTH

STATE_LABELS = dict(ApplicationState.choices)


class QueueFilterForm(forms.Form):
    """Filters of the county work queue (GET); unknown values are ignored, never an error page."""

    status = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部状态"), *((state, STATE_LABELS[state]) for state in QUEUE_STATES)],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )
    unit_type = forms.ChoiceField(
        label="单位类型",
        required=False,
        choices=[("", "全部类型"), *UnitType.choices],
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
    )


class JudgementForm(forms.Form):
    """One criterion: 确认符合 or 认定不符合 (the latter with a reason — the service's rule, shown
    here from its ValidationError). Prefixed with the criterion key, which travels in a separate
    ``key`` field and is checked by the service."""

    outcome = forms.ChoiceField(
        label="判断结果",
        choices=JudgementOutcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择判断结果。", "invalid_choice": "请选择判断结果。"},
    )
    note = forms.CharField(
        validators=[validate_plain_text],
        label="说明",
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 1}),
        help_text="认定不符合时必填，如“佐证材料未体现风险管理制度”。",
        error_messages={"max_length": f"说明不能超过 {NOTE_MAX_LENGTH} 字。"},
    )


class DecisionForm(forms.Form):
    """The first-round decision (初审结论) with the reason shown to the unit. Which decisions need a
    reason is `screening_decide`'s rule; its ValidationError comes back here."""

    decision = forms.ChoiceField(
        label="初审结论",
        choices=ScreeningDecision.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"required": "请选择初审结论。", "invalid_choice": "请选择初审结论。"},
    )
    reason = forms.CharField(
        validators=[validate_plain_text],
        label="初审意见（告知申报单位）",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 4}),
        help_text="退回修改、初审不通过须填写理由；推荐时可填写推荐意见。",
        error_messages={"max_length": f"初审意见不能超过 {COMMENT_MAX_LENGTH} 字。"},
    )


class EntryAddForm(forms.Form):
    """Put a recommended application on the list, with the county's opinion."""

    application = forms.ModelChoiceField(
        label="候选单位",
        queryset=None,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "请选择候选单位。",
            "invalid_choice": "该申报不能列入推荐名单，请刷新页面。",
        },
    )
    opinion = forms.CharField(
        validators=[validate_plain_text],
        label="推荐意见",
        max_length=OPINION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=f"简要说明推荐理由，不超过 {OPINION_MAX_LENGTH} 字，将写入推荐函。",
        error_messages={
            "required": "请填写推荐意见。",
            "max_length": f"推荐意见不能超过 {OPINION_MAX_LENGTH} 字。",
        },
    )

    def __init__(self, *args, applications, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications
        self.fields["application"].label_from_instance = lambda application: application.unit.name


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        validators=[validate_plain_text],
        label="推荐意见",
        max_length=OPINION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control form-control-sm", "rows": 2}),
        error_messages={
            "required": "请填写推荐意见。",
            "max_length": f"推荐意见不能超过 {OPINION_MAX_LENGTH} 字。",
        },
    )


class TransitionForm(forms.Form):
    """The comment that goes with a step of the list (提请会签, 会签, 退回, 报送)."""

    comment = forms.CharField(
        validators=[validate_plain_text],
        label="意见",
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 2}),
        error_messages={"max_length": f"意见不能超过 {COMMENT_MAX_LENGTH} 字。"},
    )
