import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.mark.parametrize("password", ["Kq7mPz2w", "kq7mpz2w!", "KQ7MPZ2W!", "Shaoxing@2026"])
def test_password_with_three_classes_is_accepted(password):
    validate_password(password)


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("Ab1!", "too short"),
        ("abcdefgh", "one class"),
        ("abcdefgh12", "two classes"),
        ("ABCDEFGH!!", "two classes"),
    ],
)
def test_password_too_weak_is_refused_in_chinese(password, reason):
    with pytest.raises(ValidationError) as excinfo:
        validate_password(password)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in " ".join(excinfo.value.messages)), reason
