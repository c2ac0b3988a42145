"""Free text refuses characters that cannot be stored, break exports or disguise what is shown."""

import pytest
from django.core.exceptions import ValidationError

from shaoxing_bases.validators import validate_plain_text, validate_single_line_text


@pytest.mark.parametrize(
    "value",
    [
        "",
        None,
        "浙江省绍兴市越城区解放北路1号",
        "第一行\n第二行\r\n\t缩进",
        "Ünïcödé — 全角！？《》",
        "emoji 🙂 and math ∑",
    ],
)
def test_plain_text_accepts_ordinary_text(value):
    validate_plain_text(value)


@pytest.mark.parametrize(
    ("value", "code", "point", "position"),
    [
        ("abc\x00", "control_character", "U+0000", 4),
        ("a\x07b", "control_character", "U+0007", 2),
        ("\x1b[31m", "control_character", "U+001B", 1),
        ("a\x7f", "control_character", "U+007F", 2),
        ("a\x85b", "control_character", "U+0085", 2),  # C1 (NEL)
        ("绍兴\u202e市", "bidi_control", "U+202E", 3),  # right-to-left override
        ("\u202aab", "bidi_control", "U+202A", 1),
        ("ab\u2066c\u2069", "bidi_control", "U+2066", 3),  # isolates
        ("ab\u2069", "bidi_control", "U+2069", 3),
        ("越城\u200b区", "zero_width", "U+200B", 3),
        ("a\u200fb", "zero_width", "U+200F", 2),  # right-to-left mark
        ("a\u2060b", "zero_width", "U+2060", 2),
        ("\ufeffabc", "zero_width", "U+FEFF", 1),
    ],
)
def test_plain_text_refuses_and_names_the_character(value, code, point, position):
    with pytest.raises(ValidationError) as caught:
        validate_plain_text(value)
    error = caught.value
    assert error.code == code
    (message,) = error.messages
    assert point in message
    assert f"第{position}个字符" in message
    assert "请删除后重新输入" in message


def test_single_line_text_refuses_line_breaks_and_tabs():
    for value in ("a\nb", "a\rb", "a\tb"):
        validate_plain_text(value)
        with pytest.raises(ValidationError, match="控制字符"):
            validate_single_line_text(value)
    validate_single_line_text("绍兴市越城区")


def test_validators_serialise_into_migrations():
    # Plain module-level functions: a model field's validators=[...] can name them by import path.
    from django.db.migrations.serializer import serializer_factory

    for validator in (validate_plain_text, validate_single_line_text):
        path, _imports = serializer_factory(validator).serialize()
        assert path == f"shaoxing_bases.validators.{validator.__name__}"
