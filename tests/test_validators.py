"""统一社会信用代码 and phone validation (shaoxing_bases.validators). No database, no settings needed."""

import pytest
from django.core.exceptions import ValidationError

from shaoxing_bases.validators import (
    ORGANISATION_CATEGORIES,
    SHAOXING_COUNTY_DIVISIONS,
    credit_code_check_char,
    division_code,
    normalize_credit_code,
    normalize_phone,
    organisation_code_check_char,
    shaoxing_county_division,
    validate_credit_code,
    validate_phone,
)

# Independent oracle (written differently from the module on purpose): the value of a character is its
# index in the charset, position weights are 3**i mod 31, and the GB 11714 body uses A=10 … Z=35.
_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _oracle_check_char(first17: str) -> str:
    total = sum(_CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(first17))
    return _CHARSET[-total % 31]


def _oracle_org_check_char(body: str) -> str:
    total = sum(int(c, 36) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    return {10: "X", 11: "0"}.get(11 - total % 11, str(11 - total % 11))


# Real, published codes. Every one was checked with a separate script before being listed here, and
# test_oracle_real_codes_consistent re-checks them with the oracle above.
REAL_CODES = [
    "914403001922038216",  # 华为技术有限公司 (Shenzhen)
    "91330100716105852F",  # 阿里巴巴（中国）有限公司 (Hangzhou)
    "9144030071526726XG",  # 深圳市腾讯计算机系统有限公司 (position 17 = X)
    "91330602704478846N",  # Shaoxing 越城区 enterprise (public repo customer list)
    "91330602MA29BUJP6F",  # Shaoxing 越城区, post-2015 "MA" organisation code
    "9133060256236528X9",  # Shaoxing 越城区, organisation check character X
    "91330621327903199R",  # Shaoxing, registered under the retired 绍兴县 code 330621 (now 柯桥区)
    "91330621MA2JUD752G",  # Shaoxing 330621, "MA" organisation code
    "913306046651737746",  # Shaoxing 上虞区 (address 曹娥街道, public SAP customer export)
    "91330604609674830U",  # 绍兴汇丽环保有限公司, 上虞区
    "91330624MA2JR4PF83",  # Shaoxing 新昌县
    "913306830620335968",  # Shaoxing 嵊州市
    "91330683687864146N",  # Shaoxing 嵊州市
    "913306007266150396",  # registered at Shaoxing city level (330600)
    "12330681471481007R",  # 事业单位 (category 12) in 诸暨市
    "1233078347180163XH",  # 事业单位 in Zhejiang 330783
    "93420625MA4D071U7X",  # 农民专业合作社 (category 93), Hubei
    "91500112MA61ADXW0E",  # Chongqing; organisation check value 11 → "0"
    "913502123031288102",  # Xiamen; organisation check "0", overall check "2"
    "91512081MA62K0260E",  # the worked example quoted in GB 32100 explanations
]


def _error_code(value):
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(value)
    return excinfo.value.code


def test_oracle_real_codes_consistent():
    for code in REAL_CODES:
        assert _oracle_check_char(code[:17]) == code[17], code
        assert _oracle_org_check_char(code[8:16]) == code[16], code


@pytest.mark.parametrize("code", REAL_CODES)
def test_validate_credit_code_real_code_passes(code):
    assert validate_credit_code(code) is None


@pytest.mark.parametrize("code", REAL_CODES)
def test_credit_code_check_char_real_code_matches(code):
    assert credit_code_check_char(code[:17]) == code[17]
    assert organisation_code_check_char(code[8:16]) == code[16]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("59467239", "9"),  # the GB 11714 worked example 59467239-9
        ("56236528", "X"),  # remainder 1 → 10 → X
        ("MA61ADXW", "0"),  # remainder 0 → 11 → 0
        ("70447884", "6"),
    ],
)
def test_organisation_code_check_char_known_body(body, expected):
    assert organisation_code_check_char(body) == expected


@pytest.mark.parametrize("code", ["91330602704478846N", "91330621MA2JUD752G", "9144030071526726XG"])
def test_validate_credit_code_single_substitution_fails_check_digit(code):
    """Every single-character change that keeps the layout valid is caught by the position-18 check."""
    tried = 0
    for position in range(2, 18):
        alphabet = "0123456789" if position < 8 else _CHARSET
        for replacement in alphabet:
            if replacement == code[position]:
                continue
            changed = code[:position] + replacement + code[position + 1 :]
            assert _error_code(changed) == "check_digit", changed
            tried += 1
    assert tried == 6 * 9 + 10 * 30


@pytest.mark.parametrize("code", ["91330602704478846N", "12330681471481007R"])
def test_validate_credit_code_adjacent_transposition_fails_check_digit(code):
    for position in range(2, 16):
        if position == 7 or code[position] == code[position + 1]:
            continue  # 7↔8 would put a letter into the division; equal neighbours do not change anything
        swapped = code[:position] + code[position + 1] + code[position] + code[position + 2 :]
        assert _error_code(swapped) == "check_digit", swapped


@pytest.mark.parametrize(
    "code",
    [
        "913306027044788404",  # 91330602 70447884-0: overall check recomputed, org check should be 6
        "91330602562365280F",  # 56236528-0, should be X
        "123306814714810004",  # 47148100-0, should be 7
    ],
)
def test_validate_credit_code_org_code_check_fails(code):
    assert _oracle_check_char(code[:17]) == code[17]  # the overall check alone would accept it
    assert _error_code(code) == "org_check_digit"


@pytest.mark.parametrize(
    "value",
    ["", "9133060270447884", "91330602704478846", "91330602704478846N1", "91330602-70447884-6N", None],
)
def test_validate_credit_code_wrong_length_fails(value):
    assert _error_code(value) == "length"


def test_validate_credit_code_wrong_length_message():
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("9133060270447884")
    assert excinfo.value.messages == ["统一社会信用代码应为18位"]


@pytest.mark.parametrize("letter", ["I", "O", "Z", "S", "V"])
@pytest.mark.parametrize("position", [9, 12, 17])
def test_validate_credit_code_forbidden_letter_fails(letter, position):
    code = "91330602MA29BUJP6F"
    changed = code[:position] + letter + code[position + 1 :]
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code(changed)
    assert excinfo.value.code == "charset"
    assert excinfo.value.messages == ["统一社会信用代码含有无效字符（不使用I、O、Z、S、V）"]


@pytest.mark.parametrize("value", ["9133060270447884-6", "91330602704478846#", "9133060270447884６Ñ"])
def test_validate_credit_code_punctuation_fails_charset(value):
    assert _error_code(value) == "charset"


def test_validate_credit_code_check_digit_message():
    with pytest.raises(ValidationError) as excinfo:
        validate_credit_code("91330602704478846M")
    assert excinfo.value.code == "check_digit"
    assert excinfo.value.messages == ["统一社会信用代码校验位错误，请核对"]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("91330602704478846n", "91330602704478846N"),
        ("  91330602ma29bujp6f\n", "91330602MA29BUJP6F"),
        ("9133 0602 7044 7884 6N", "91330602704478846N"),
        ("\t9144030071526726xg ", "9144030071526726XG"),
        ("９１３３０６０２７０４４７８８４６Ｎ", "91330602704478846N"),  # full-width input from Chinese IMEs
        ("91330602\u3000704478846N", "91330602704478846N"),  # ideographic space
        (None, ""),
    ],
)
def test_normalize_credit_code_lowercase_and_whitespace_normalised(raw, expected):
    assert normalize_credit_code(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "91330602704478846n",
        " 91330602ma29bujp6f ",
        "9133 0602 7044 7884 6N",
        "９１３３０６０２７０４４７８８４６ｎ",
    ],
)
def test_validate_credit_code_lowercase_and_whitespace_pass(raw):
    assert validate_credit_code(raw) is None


@pytest.mark.parametrize("prefix", ["0A", "Q1", "B1"])
def test_validate_credit_code_unknown_registration_authority_fails(prefix):
    first17 = prefix + "330602704478846"
    assert _error_code(first17 + _oracle_check_char(first17)) == "registration_authority"


@pytest.mark.parametrize("prefix", ["94", "99", "Y2", "14", "N4", "A2"])
def test_validate_credit_code_category_not_in_table_fails(prefix):
    first17 = prefix + "330602704478846"
    assert _error_code(first17 + _oracle_check_char(first17)) == "organisation_category"


@pytest.mark.parametrize(
    "prefix",
    [
        authority + category
        for authority, categories in ORGANISATION_CATEGORIES.items()
        for category in categories
    ],
)
def test_validate_credit_code_every_table_category_passes(prefix):
    # Synthetic codes (real organisation code 70447884-6, check character from the oracle), one per
    # authority/category pair in GB 32100-2015 表 2/表 3.
    first17 = prefix + "330602704478846"
    assert validate_credit_code(first17 + _oracle_check_char(first17)) is None


def test_organisation_categories_match_standard_table():
    table = {authority: "".join(categories) for authority, categories in ORGANISATION_CATEGORIES.items()}
    assert table == {
        "1": "1239",
        "2": "19",
        "3": "123459",
        "4": "19",
        "5": "1239",
        "6": "129",
        "7": "129",
        "8": "19",
        "9": "123",
        "A": "19",
        "N": "1239",
        "Y": "1",
    }


@pytest.mark.parametrize("code", ["9133A602704478846N", "913306A2704478846N"])
def test_validate_credit_code_letter_in_division_fails(code):
    assert _error_code(code) == "division"


@pytest.mark.parametrize(
    ("code", "division"),
    [
        ("91330602704478846N", "330602"),
        ("91330621327903199R", "330621"),
        ("913306046651737746", "330604"),
        ("91330624MA2JR4PF83", "330624"),
        ("12330681471481007R", "330681"),
        ("913306830620335968", "330683"),
        ("913306007266150396", "330600"),
        ("914403001922038216", "440300"),
        (" 91330602ma29bujp6f ", "330602"),
    ],
)
def test_division_code_real_code_extracted(code, division):
    assert division_code(code) == division


@pytest.mark.parametrize("value", ["", None, "9133060270447884", "9133A602704478846N"])
def test_division_code_malformed_raises(value):
    with pytest.raises(ValueError, match="行政区划代码"):
        division_code(value)


@pytest.mark.parametrize(
    ("code", "county"),
    [
        ("91330602704478846N", "330602"),  # 越城区
        ("91330621327903199R", "330603"),  # 绍兴县 (330621) → 柯桥区
        ("91330621MA2JUD752G", "330603"),
        ("91330604609674830U", "330604"),  # 上虞区
        ("91330624MA2JR4PF83", "330624"),  # 新昌县
        ("12330681471481007R", "330681"),  # 诸暨市
        ("91330683687864146N", "330683"),  # 嵊州市
        ("913306007266150396", None),  # city level
        ("91330100716105852F", None),  # Hangzhou
    ],
)
def test_shaoxing_county_division_real_code_inferred(code, county):
    assert shaoxing_county_division(code) == county


def test_shaoxing_county_divisions_cover_six_counties():
    assert SHAOXING_COUNTY_DIVISIONS == {
        "330602": "越城区",
        "330603": "柯桥区",
        "330604": "上虞区",
        "330624": "新昌县",
        "330681": "诸暨市",
        "330683": "嵊州市",
    }


def test_validate_credit_code_usable_as_field_validator():
    from django.forms import CharField

    field = CharField(max_length=18, validators=[validate_credit_code])
    assert field.clean("91330602704478846N") == "91330602704478846N"
    with pytest.raises(ValidationError) as excinfo:
        field.clean("91330602704478846M")
    assert excinfo.value.error_list[0].code == "check_digit"


# --- phone numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("138 1234 8000", "13812348000"),
        ("１３８１２３４８０００", "13812348000"),  # full-width digits
        ("０５７５－８８１２３４５６", "0575-88123456"),
        ("+86 138 1234 8000", "13812348000"),
        ("+8613812348000", "13812348000"),
        ("008613812348000", "13812348000"),
        ("+86-13812348000", "13812348000"),
        ("+86057588123456", "+86057588123456"),  # the prefix is dropped from mobiles only
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_phone_folds_width_blanks_and_country_prefix(raw, normalized):
    assert normalize_phone(raw) == normalized


@pytest.mark.parametrize(
    "phone",
    ["13812348000", "19912348000", "0575-88123456", "057588123456", "010-62345678", "0575-88123456-801"],
)
def test_validate_phone_accepts_mobiles_and_landlines(phone):
    validate_phone(phone)


@pytest.mark.parametrize(
    "phone",
    [
        "",
        "12345",
        "23812348000",  # no mobile starts with 2
        "12812348000",  # nor with 12
        "138123480001",  # 12 digits
        "88123456",  # landline without its area code
        "0575-8812",
        "0575-18123456",  # a local number never starts with 0 or 1
        "0575-88123456-1234567",  # extension too long
        "+86057588123456",
        "１３８１２３４８０００",  # checked as given: normalise first
    ],
)
def test_validate_phone_refuses_malformed_numbers(phone):
    with pytest.raises(ValidationError) as excinfo:
        validate_phone(phone)
    assert excinfo.value.code == "invalid_phone"
