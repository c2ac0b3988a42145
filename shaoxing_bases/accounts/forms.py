from django import forms
from django.contrib.auth.forms import AuthenticationForm

from shaoxing_bases.validators import normalize_phone

from .models import Region


class LoginForm(AuthenticationForm):
    """Django's login form with the bureau's wording and Bootstrap classes."""

    error_messages = {
        "invalid_login": "用户名或密码错误，请重新输入。连续输错5次，账号将在本机锁定30分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    username = forms.CharField(
        label="用户名",
        max_length=150,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "class": "form-control"}
        ),
        error_messages={"required": "请输入用户名。"},
    )
    password = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
        error_messages={"required": "请输入密码。"},
    )


class SSOMockForm(forms.Form):
    """The development stand-in for the province's sign-in page (MockZwfwClient only)."""

    username = forms.RegexField(
        label="政务服务网用户名（模拟）",
        regex=r"^[\w.@+-]+$",
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "class": "form-control"}),
        error_messages={"required": "请输入用户名。", "invalid": "用户名只能包含字母、数字和 @ . + - _。"},
    )
    state = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)


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
