"""Display masking of phone and ID numbers (shaoxing_bases.masking). Pure functions, no Django."""

import pytest

from shaoxing_bases.masking import mask_generic, mask_id_number, mask_phone


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13812348000", "138****8000"),
        ("19957518888", "199****8888"),
        (" 138 1234 8000 ", "138****8000"),
        ("138-1234-8000", "138****8000"),
        ("+86 138 1234 8000", "+86 138****8000"),
        ("8613812348000", "+86 138****8000"),
        ("１３８１２３４８０００", "138****8000"),  # full-width digits
        (13812348000, "138****8000"),
    ],
)
def test_mask_phone_mobile_masked(raw, expected):
    assert mask_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0575-88123456", "0575-****3456"),
        ("0575 88123456", "0575-****3456"),
        ("057588123456", "0575-****3456"),
        ("(0575)88123456", "0575-****3456"),
        ("0575-8812345", "0575-***2345"),
        ("010-65123456", "010-****3456"),
        ("01065123456", "010-****3456"),
        ("88123456", "****3456"),
        ("0575-88123456-801", "0575-****3456-***"),
        ("0575-88123456转801", "0575-****3456-***"),
    ],
)
def test_mask_phone_landline_masked(raw, expected):
    assert mask_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", None, "   ", "\u3000"])
def test_mask_phone_empty_returns_blank(raw):
    assert mask_phone(raw) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", "*"),
        ("110", "***"),
        ("12345", "*****"),
        ("1381234", "*****34"),  # 7 digits: not a phone number, last 2 at most
        ("1381234800", "*******800"),  # 10 digits: one short of a mobile
        ("138123480001", "********0001"),  # 12 digits: one too many
        ("400-800-8888", "********8888"),
        ("abc", "***"),
    ],
)
def test_mask_phone_garbage_masked_conservatively(raw, expected):
    assert mask_phone(raw) == expected


@pytest.mark.parametrize(
    "raw", ["1", "12", "1234567", "1381234800", "138123480001", "not a phone", "0575-", "+86 12"]
)
def test_mask_phone_garbage_never_reveals_more_than_a_third(raw):
    masked = mask_phone(raw)
    assert len(masked) == len(raw)
    assert len(masked.lstrip("*")) <= max(0, len(raw) // 3)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("110105199001010123", "110105********0123"),
        ("33060219850615002X", "330602********002X"),
        ("33060219850615002x", "330602********002X"),
        (" 330602 19850615 002X ", "330602********002X"),
        ("１１０１０５１９９００１０１０１２３", "110105********0123"),
    ],
)
def test_mask_id_number_18_digit_masked(raw, expected):
    assert mask_id_number(raw) == expected


def test_mask_id_number_hides_birth_date():
    masked = mask_id_number("110105199001010123")
    assert "19900101" not in masked
    assert masked[6:14] == "********"


def test_mask_id_number_15_digit_hides_birth_date_and_day():
    assert mask_id_number("110105900101012") == "110105******012"


@pytest.mark.parametrize("raw", ["", None, "  "])
def test_mask_id_number_empty_returns_blank(raw):
    assert mask_id_number(raw) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123", "***"),
        ("110105", "******"),
        ("1101051990", "*******990"),  # truncated ID: never shows the region code plus birth year
        ("E12345678", "******678"),  # passport
        ("11010519900101012", "*************1012"),  # 17 digits
        ("1101051990010101234", "***************1234"),  # 19 digits
        ("11010519900101012Y", "**************012Y"),
    ],
)
def test_mask_id_number_garbage_masked_conservatively(raw, expected):
    assert mask_id_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("abcdef", "******"),
        ("abcdefg", "*****fg"),
        ("abcdefghi", "******ghi"),
        ("abcdefghijklmnopqrst", "****************qrst"),
    ],
)
def test_mask_generic_reveals_at_most_last_four(raw, expected):
    assert mask_generic(raw) == expected
