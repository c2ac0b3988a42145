"""Forms of the unit pages: self-registration, the unit's contact details, colleague accounts, the
staff's unit list filter.

The county of a unit follows its credit code where the code was issued by a Shaoxing county
(positions 3–8, GB 32100-2015); only codes issued elsewhere (city level 330600, other cities) let
the applicant choose one of the six counties.
"""

from collections.abc import Callable

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy

from shaoxing_bases.accounts.models import Region
from shaoxing_bases.core.forms import BootstrapFormMixin
from shaoxing_bases.validators import (
    normalize_credit_code,
    normalize_phone,
    shaoxing_county_division,
    validate_credit_code,
    validate_phone,
    validate_single_line_text,
)

from ..enums import UnitType
from ..models import ApplicantUnit
from .services import CONTACT_FIELDS

User = get_user_model()

DUPLICATE_CREDIT_CODE = "该统一社会信用代码已注册，请联系本单位已有账号添加同事账号"
DUPLICATE_USERNAME = "该用户名已被使用，请换一个。"
MISMATCH_MESSAGE = "两次输入的密码不一致。"
STRENGTH_HELP = (
    "至少8位，须包含大写字母、小写字母、数字、特殊符号中的至少3类；不能与用户名、姓名相近，不能使用常见密码。"
)
#: The unit's details a member may change on the unit profile (the service's own list, so the form
#: and `unit_update_contact` agree); the credit code, name, type and county are fixed at registration.
UNIT_DETAIL_FIELDS = CONTACT_FIELDS


def infer_county(credit_code: str) -> Region | None:
    """The Shaoxing county a (valid) credit code was issued in, or None for codes issued elsewhere."""
    try:
        division = shaoxing_county_division(credit_code)
    except ValueError:
        return None
    if division is None:
        return None
    return Region.objects.filter(code=division).first()


HINT_LIMITED = "查询过于频繁，请稍后再试。提交注册时仍会检查该信用代码是否已注册。"


def county_hint_for(raw_code: str, *, may_look_up: Callable[[], bool] = lambda: True) -> dict:
    """What the registration page says about a credit code typed so far (the htmx hint and re-renders).

    Whether a complete code is already registered is asked only when `may_look_up()` allows it: the
    live hint is rate-limited per client address, so that it cannot be used to list which
    organisations have accounts."""
    code = normalize_credit_code(raw_code)
    if not code:
        return {"state": "empty", "code": code}
    try:
        validate_credit_code(code)
    except ValidationError as error:
        if len(code) < 18:
            return {"state": "incomplete", "code": code}
        return {"state": "invalid", "code": code, "message": error.messages[0]}
    if not may_look_up():
        return {"state": "limited", "code": code, "message": HINT_LIMITED}
    if ApplicantUnit.objects.filter(credit_code=code).exists():
        return {"state": "registered", "code": code, "message": DUPLICATE_CREDIT_CODE}
    county = infer_county(code)
    if county is None:
        return {"state": "unknown", "code": code}
    return {"state": "inferred", "code": code, "county": county}


def _required_message(label: str, choose: bool = False) -> dict:
    return {"required": f"请{'选择' if choose else '填写'}{label}。"}


class UnitDetailsMixin:
    """Shared cleaning of the unit fields (the phone's format).

    An enterprise's size and field are not asked here: they are facts of each application (its
    figures, 国统字〔2017〕213号), frozen when it is handed in, not a label chosen once at registration."""

    def clean_contact_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data.get("contact_phone", ""))
        validate_phone(phone)
        return phone


class UnitRegistrationForm(BootstrapFormMixin, UnitDetailsMixin, forms.ModelForm):
    """单位信息 of the self-registration page."""

    # Longer than the 18 characters stored: blanks and full-width characters are folded away first.
    credit_code = forms.CharField(
        label="统一社会信用代码",
        max_length=40,
        help_text="18位，见营业执照或法人证书。",
        error_messages={"required": "请填写统一社会信用代码。"},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "autofocus": True,
                "aria-describedby": "county-hint",
                # Live county hint (htmx); without JavaScript the hint appears after submitting.
                "hx-get": reverse_lazy("applications:register"),
                "hx-trigger": "input changed delay:300ms, change",
                "hx-target": "#county-hint",
                "hx-swap": "outerHTML",
            }
        ),
    )
    region = forms.ModelChoiceField(
        label="所在区县",
        queryset=Region.objects.all(),
        required=False,
        empty_label="请选择",
        help_text="信用代码由绍兴各区、县（市）登记机关赋码的，系统自动识别所在区县，以信用代码为准。",
    )

    class Meta:
        model = ApplicantUnit
        fields = ("credit_code", "name", "unit_type", "region", *UNIT_DETAIL_FIELDS)
        error_messages = {
            "credit_code": {"unique": DUPLICATE_CREDIT_CODE, **_required_message("统一社会信用代码")},
            "name": _required_message("单位名称"),
            "unit_type": _required_message("单位类型", choose=True),
            "address": _required_message("通讯地址"),
            "legal_representative": _required_message("法定代表人"),
            "contact_person": _required_message("联系人"),
            "contact_phone": _required_message("联系电话"),
            "email": {**_required_message("电子邮箱"), "invalid": "请输入正确的电子邮箱地址。"},
        }
        widgets = {
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "contact_phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_type"].choices = [("", "请选择"), *UnitType.choices]
        self.county_note = ""
        self._style_widgets()

    def clean_credit_code(self) -> str:
        code = normalize_credit_code(self.cleaned_data.get("credit_code"))
        validate_credit_code(code)
        if ApplicantUnit.objects.filter(credit_code=code).exists():
            raise ValidationError(DUPLICATE_CREDIT_CODE, code="unique")
        return code

    def clean(self) -> dict:
        cleaned = super().clean()
        code = cleaned.get("credit_code")
        chosen = cleaned.get("region")
        inferred = infer_county(code) if code else None
        if inferred is not None:
            if chosen is not None and chosen.pk != inferred.pk:
                self.county_note = (
                    f"您选择的所在区县（{chosen.name}）与统一社会信用代码不一致，"
                    f"已按信用代码登记为{inferred.name}。"
                )
            cleaned["region"] = inferred
            self.errors.pop("region", None)
        elif chosen is None and code:
            self.add_error("region", "该信用代码不是绍兴市各区、县（市）赋码，请选择所在区县。")
        return cleaned


class AccountForm(BootstrapFormMixin, forms.Form):
    """账号信息 of the self-registration page: the unit's first account."""

    username = forms.CharField(
        label="用户名",
        max_length=150,
        help_text="用于登录，可使用字母、数字和 @/./+/-/_ 符号。",
        error_messages=_required_message("用户名"),
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )
    display_name = forms.CharField(
        label="姓名",
        max_length=50,
        error_messages=_required_message("姓名"),
        validators=[validate_single_line_text],
    )
    password1 = forms.CharField(
        label="密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required_message("密码"),
    )
    password2 = forms.CharField(
        label="确认密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": "请再次输入密码。"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password1"].help_text = STRENGTH_HELP
        self._style_widgets()

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        for validator in User._meta.get_field("username").validators:
            validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError(DUPLICATE_USERNAME, code="unique")
        return username

    def clean(self) -> dict:
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", MISMATCH_MESSAGE)
        elif password1:
            candidate = User(
                username=cleaned.get("username", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                validate_password(password1, user=candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def build_user(self, *, email: str = "", phone: str = "") -> User:
        return User(
            username=self.cleaned_data["username"],
            display_name=self.cleaned_data["display_name"],
            email=email,
            phone=phone,
        )


class UnitContactForm(BootstrapFormMixin, UnitDetailsMixin, forms.ModelForm):
    """What a member may change on the unit profile: never the credit code, the name or the county."""

    class Meta:
        model = ApplicantUnit
        fields = UNIT_DETAIL_FIELDS
        error_messages = UnitRegistrationForm.Meta.error_messages

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()


class MemberForm(BootstrapFormMixin, forms.Form):
    """添加同事账号: a colleague of the same unit, with an initial password they should change."""

    username = AccountForm.base_fields["username"]
    display_name = AccountForm.base_fields["display_name"]
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    email = forms.EmailField(
        label="电子邮箱", required=False, error_messages={"invalid": "请输入正确的电子邮箱地址。"}
    )
    password = forms.CharField(
        label="初始密码",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages=_required_message("初始密码"),
        help_text=STRENGTH_HELP + "请将初始密码告知同事本人。",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style_widgets()

    clean_username = AccountForm.clean_username

    def clean_phone(self) -> str:
        phone = normalize_phone(self.cleaned_data.get("phone", ""))
        if phone:
            validate_phone(phone)
        return phone

    def clean(self) -> dict:
        cleaned = super().clean()
        password = cleaned.get("password")
        if password:
            candidate = User(
                username=cleaned.get("username", ""),
                display_name=cleaned.get("display_name", ""),
                email=cleaned.get("email", ""),
            )
            try:
                validate_password(password, user=candidate)
            except ValidationError as error:
                self.add_error("password", error)
        return cleaned

    def build_user(self) -> User:
        return User(
            username=self.cleaned_data["username"],
            display_name=self.cleaned_data["display_name"],
            phone=self.cleaned_data["phone"],
            email=self.cleaned_data["email"],
        )


class UnitFilterForm(BootstrapFormMixin, forms.Form):
    """The staff's unit list: search, type and (city staff only) county."""

    q = forms.CharField(
        label="单位名称或信用代码", required=False, max_length=100, validators=[validate_single_line_text]
    )
    unit_type = forms.ChoiceField(
        label="单位类型", required=False, choices=[("", "全部类型"), *UnitType.choices]
    )
    region = forms.ModelChoiceField(
        label="所在区县", required=False, queryset=Region.objects.all(), empty_label="全部区县"
    )

    def __init__(self, *args, show_region: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_region:
            del self.fields["region"]
        self._style_widgets()
        self.fields["q"].widget.attrs["placeholder"] = "单位名称或统一社会信用代码"
