from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm

#: The strength rules of settings.AUTH_PASSWORD_VALIDATORS, as the forms state them.
STRENGTH_HELP = (
    "至少8位，须包含大写字母、小写字母、数字、特殊符号中的至少3类；不能与用户名、姓名相近，不能使用常见密码。"
)


class LoginForm(AuthenticationForm):
    """Django's login form with the bureau's wording and Bootstrap classes."""

    error_messages = {
        # How many attempts are left is said beside it (LoginView: django-axes counts them).
        "invalid_login": "用户名或密码错误，请重新输入。",
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


class PasswordResetRequestForm(PasswordResetForm):
    """找回密码: the e-mail address of the account. What happens next is the service's business
    (`password_reset_request`); Django's own `save` is not used."""

    email = forms.EmailField(
        label="注册时填写的电子邮箱",
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True, "class": "form-control"}),
        error_messages={"required": "请输入电子邮箱。", "invalid": "请输入正确的电子邮箱地址。"},
    )


class NewPasswordForm(SetPasswordForm):
    """设置新密码 after a reset link. The strength rules are checked by the service
    (`password_reset_confirm`), whose errors the view puts beside the first field; this form only
    checks that both fields agree (Django's `save` is not used)."""

    new_password1 = forms.CharField(
        label="新密码",
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "autofocus": True, "class": "form-control"}
        ),
        help_text=STRENGTH_HELP,
        error_messages={"required": "请输入新密码。"},
    )
    new_password2 = forms.CharField(
        label="再次输入新密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password", "class": "form-control"}),
        error_messages={"required": "请再次输入新密码。"},
    )

    def clean(self) -> dict:
        cleaned = forms.Form.clean(self)  # not SetPasswordForm.clean: the service validates strength
        if cleaned.get("new_password1") and cleaned.get("new_password2") != cleaned.get("new_password1"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return cleaned


class UnlockForm(forms.Form):
    """解除锁定: the locked username (from the list's button)."""

    username = forms.CharField(max_length=150, error_messages={"required": "请选择要解锁的账号。"})
