"""Input of the publicity pages. Forms parse; the rules (window, limits, states) are the services',
whose ValidationError comes back beside the field (`core.forms.add_service_errors`)."""

import uuid

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from shaoxing_bases.core.forms import BootstrapFormMixin
from shaoxing_bases.core.uploads import ALLOWED_DESCRIPTION

from .models import FINDINGS_MAX_LENGTH, REASONS_MAX_LENGTH, Publicity
from .services import ObjectionInput, PublicitySettings
from .services.publishing import DEFAULT_CONTACT


class StartForm(BootstrapFormMixin, forms.Form):
    starts_on = forms.DateField(
        label="公示开始日期",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "请选择公示开始日期。", "invalid": "请输入正确的日期。"},
    )
    contact_department = forms.CharField(
        label="异议受理部门", max_length=100, initial=DEFAULT_CONTACT["contact_department"]
    )
    contact_phone = forms.CharField(label="联系电话", max_length=30, initial=DEFAULT_CONTACT["contact_phone"])
    contact_address = forms.CharField(
        label="通信地址", max_length=200, initial=DEFAULT_CONTACT["contact_address"]
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("required", f"请填写{field.label}。")
            field.error_messages["required"] = f"请填写{field.label}。"
        self._style_widgets()

    def settings(self) -> PublicitySettings:
        data = self.cleaned_data
        return PublicitySettings(
            starts_on=data["starts_on"],
            contact_department=data["contact_department"],
            contact_phone=data["contact_phone"],
            contact_address=data["contact_address"],
        )


class ObjectionForm(BootstrapFormMixin, forms.Form):
    entry = forms.TypedChoiceField(label="异议对象（公示单位）", coerce=int, empty_value=None)
    name = forms.CharField(label="姓名", max_length=50, help_text="实名反映，匿名异议不予受理。")
    phone = forms.CharField(
        label="联系电话", max_length=20, help_text="用于核实情况；凭受理编号和此号码查询办理结果。"
    )
    organisation = forms.CharField(label="工作单位（选填）", max_length=100, required=False)
    reasons = forms.CharField(
        label="异议事由",
        max_length=REASONS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=f"请写明具体事实，不超过{REASONS_MAX_LENGTH}字。",
    )
    evidence = forms.FileField(
        label="证明材料（选填）",
        required=False,
        help_text=f"{ALLOWED_DESCRIPTION}，不超过{filesizeformat(settings.UPLOAD_MAX_BYTES)}。",
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    submission_key = forms.UUIDField(
        widget=forms.HiddenInput,
        error_messages={
            "required": "页面已过期，请刷新后重新提交。",
            "invalid": "页面已过期，请刷新后重新提交。",
        },
    )

    def __init__(self, *args, publicity: Publicity, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entry"].choices = [("", "请选择"), *((entry.pk, entry.unit_name) for entry in entries)]
        if not self.is_bound:
            self.initial["submission_key"] = uuid.uuid4()
        messages = {
            "entry": "请选择公示名单中的单位。",
            "name": "请填写真实姓名（实名反映）。",
            "phone": "请填写联系电话。",
            "reasons": "请填写异议事由。",
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message
        self.fields["entry"].error_messages["invalid_choice"] = "请选择公示名单中的单位。"
        self.fields["reasons"].error_messages["max_length"] = f"异议事由不能超过{REASONS_MAX_LENGTH}字。"
        self._style_widgets()

    def objection_input(self) -> ObjectionInput:
        data = self.cleaned_data
        return ObjectionInput(
            entry_id=data["entry"],
            name=data["name"],
            phone=data["phone"],
            organisation=data.get("organisation") or "",
            reasons=data["reasons"],
            submission_key=str(data["submission_key"]),
        )


class LookupForm(BootstrapFormMixin, forms.Form):
    receipt_no = forms.CharField(
        label="受理编号", max_length=20, error_messages={"required": "请填写受理编号。"}
    )
    phone = forms.CharField(
        label="联系电话", max_length=20, error_messages={"required": "请填写提交异议时的联系电话。"}
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()


class AssignForm(BootstrapFormMixin, forms.Form):
    reviewer = forms.TypedChoiceField(label="复核人", coerce=int, empty_value=None, required=False)
    note = forms.CharField(label="复核要求（选填）", max_length=300, required=False)

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [
            ("", "市人力社保局自行复核"),
            *(
                (member.expert.user_id, f"{member.expert.name}（{member.expert.employer}）")
                for member in members
            ),
        ]
        self.fields["reviewer"].error_messages["invalid_choice"] = (
            "只能安排本批次评审组中与该单位无利害关系的专家复核。"
        )
        self.fields["reviewer"].help_text = "可选本批次评审组中未回避该单位、且不在该单位任职的专家。"
        self._style_widgets()


class OpinionForm(BootstrapFormMixin, forms.Form):
    opinion = forms.CharField(
        label="复核意见",
        max_length=FINDINGS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": "请填写复核意见。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()


class DecideForm(BootstrapFormMixin, forms.Form):
    outcome = forms.ChoiceField(
        label="复核结论",
        choices=[("dismissed", "异议不成立"), ("upheld", "异议成立（取消该单位认定资格）")],
        widget=forms.RadioSelect,
        error_messages={"required": "请选择复核结论。", "invalid_choice": "请选择复核结论。"},
    )
    findings = forms.CharField(
        label="复核情况及理由",
        max_length=FINDINGS_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="异议人可凭受理编号查看；异议成立的，同时告知被异议单位。",
        error_messages={"required": "请填写复核情况及理由。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()
