"""Input of the county screening pages. Errors are Chinese and shown next to their fields."""

from django import forms

from applications.enums import ApplicationState, UnitType
from shaoxing_bases.accounts.models import Region
from shaoxing_bases.validators import normalize_phone, validate_plain_text

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
    here from its ValidationError). Prefixed with the criterion key. Left empty, the criterion is
    simply not judged yet."""

    outcome = forms.ChoiceField(
        label="判断结果",
        required=False,
        choices=JudgementOutcome.choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "请选择判断结果。"},
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
        required=False,  # "仅保存判断" sends none; `screening_decide` refuses a missing one
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


class ScreeningForm:
    """The screening page as one form: a `JudgementForm` per criterion left to judgement and the
    decision, posted together and saved together by `screening_record` (nothing is lost when one
    field is wrong: every part re-renders with what was typed)."""

    def __init__(self, rows, data=None) -> None:
        self.judgements = {
            row.key: JudgementForm(
                data,
                prefix=row.key,
                initial={
                    "outcome": row.judgement.outcome if row.judgement else None,
                    "note": row.judgement.note if row.judgement else "",
                },
            )
            for row in rows
            if row.needs_judgement
        }
        self.decision = DecisionForm(data)

    def is_valid(self) -> bool:
        results = [form.is_valid() for form in (*self.judgements.values(), self.decision)]
        return all(results)

    def judgement_inputs(self) -> dict:
        from .services import JudgementInput  # services import the models this module does not need

        return {
            key: JudgementInput(form.cleaned_data.get("outcome") or "", form.cleaned_data.get("note") or "")
            for key, form in self.judgements.items()
        }

    def add_service_errors(self, error) -> None:
        """ "<criterion>-<field>" errors beside that criterion's fields, the rest on the decision."""
        if not hasattr(error, "error_dict"):
            self.decision.add_error(None, error)
            return
        for name, messages in error.message_dict.items():
            key, _, field = name.rpartition("-")
            if key in self.judgements and field in self.judgements[key].fields:
                self.judgements[key].add_error(field, messages)
            elif name in self.decision.fields:
                self.decision.add_error(name, messages)
            else:
                self.decision.add_error(None, messages)

    @property
    def errors(self) -> list[tuple[str, str]]:
        """(anchor, message) of every error, for the summary beside the buttons."""
        found = []
        for key, form in self.judgements.items():
            for field_errors in form.errors.values():
                found += [(f"check-{key}", message) for message in field_errors]
        for field_errors in self.decision.errors.values():
            found += [("decision", message) for message in field_errors]
        return found


class FinanceOpinionForm(forms.Form):
    opinion = forms.CharField(
        validators=[validate_plain_text],
        label="财政部门意见",
        required=False,  # an empty opinion is `finance_opinion_give`'s to refuse, in its words
        widget=forms.Textarea(attrs={"class": "form-control", "rows": 3}),
        help_text=(
            f"如资金使用、财务管理等方面的意见，不超过 {OPINION_MAX_LENGTH} 字；"
            "将随推荐函附件报送市人力社保局。"
        ),
    )


class SignedScanForm(forms.Form):
    scan = forms.FileField(
        label="推荐函盖章扫描件（PDF）",
        widget=forms.FileInput(attrs={"class": "form-control", "accept": ".pdf,application/pdf"}),
        error_messages={"required": "请选择盖章扫描件（PDF）。"},
    )


class CountySettingsForm(forms.ModelForm):
    """The county HRSS bureau's letter settings (its 机关代字 and the letters' contact)."""

    class Meta:
        model = Region
        fields = ["doc_prefix", "contact_name", "contact_phone"]
        widgets = {
            "doc_prefix": forms.TextInput(attrs={"class": "form-control", "placeholder": "如：越人社"}),
            "contact_name": forms.TextInput(attrs={"class": "form-control"}),
            "contact_phone": forms.TextInput(attrs={"class": "form-control", "inputmode": "tel"}),
        }

    def clean_contact_phone(self) -> str:
        return normalize_phone(self.cleaned_data["contact_phone"])

    def _post_clean(self) -> None:
        """Saved through `county_settings_update`, which validates the region it saves."""
