"""Password rule of 等保2.0 level 2: at least three of four character classes."""

import string

from django.core.exceptions import ValidationError

CHARACTER_CLASSES = (
    ("大写字母", lambda ch: ch in string.ascii_uppercase),
    ("小写字母", lambda ch: ch in string.ascii_lowercase),
    ("数字", lambda ch: ch in string.digits),
    ("特殊符号", lambda ch: not ch.isalnum() and not ch.isspace()),
)


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3) -> None:
        self.min_classes = min_classes

    def validate(self, password: str, user=None) -> None:
        present = sum(1 for _name, test in CHARACTER_CLASSES if any(test(ch) for ch in password))
        if present < self.min_classes:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        names = "、".join(name for name, _test in CHARACTER_CLASSES)
        return f"密码须至少包含{names}中的{self.min_classes}类。"


class MinimumLengthValidator:
    """Django's length rule, with a Chinese message (Django's own catalogue lacks this plural form)."""

    def __init__(self, min_length: int = 8) -> None:
        self.min_length = min_length

    def validate(self, password: str, user=None) -> None:
        if len(password) < self.min_length:
            raise ValidationError(self.get_help_text(), code="password_too_short")

    def get_help_text(self) -> str:
        return f"密码长度至少为{self.min_length}个字符。"
