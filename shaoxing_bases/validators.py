"""统一社会信用代码 (unified social credit identifier) validation per GB 32100-2015.

Layout of the 18-character code::

    9 1 330602 70447884-6 N
    │ │ │      │          └─ 18: check character (GB/T 17710 MOD 31-3 over the first 17)
    │ │ │      └──────────── 9–17: 主体标识码 = GB 11714 organisation code (its own MOD 11 check at 17)
    │ │ └─────────────────── 3–8: 登记管理机关行政区划码 (GB/T 2260 division of the registering authority)
    │ └───────────────────── 2: 机构类别代码 (organisation category, meaning depends on position 1)
    └─────────────────────── 1: 登记管理部门代码 (registration authority)

``validate_credit_code`` is a plain function, so it can go straight into a model or form field's
``validators=[...]`` (and serialises into migrations by import path). It normalises before checking but
does not change the stored value: forms should ``clean`` with :func:`normalize_credit_code` as well.

A handful of codes issued by early pilot regions in 2015 (e.g. some Fujian ``M000…`` codes) do not satisfy
the standard's own check character; they are rejected here, like any other code that fails the check.

Contact phone numbers (the unit forms, colleague accounts and the Excel unit import) are checked here too:
:func:`normalize_phone` first, then :func:`validate_phone` on the normalised value.

Free text typed by users (names, addresses, descriptions, filters) goes through :func:`validate_plain_text`
(multi-line) or :func:`validate_single_line_text`: they refuse the characters that cannot be stored
(NUL: PostgreSQL rejects it), break exports (control characters are illegal in XLSX/XML) or make what is
shown differ from what is stored (bidirectional overrides and zero-width characters, the "Trojan Source"
trick that can make an address or a name read differently on screen and in print).
"""

from __future__ import annotations

import re
import unicodedata

from django.core.exceptions import ValidationError

__all__ = [
    "CREDIT_CODE_CHARSET",
    "CREDIT_CODE_LENGTH",
    "ORGANISATION_CATEGORIES",
    "SHAOXING_COUNTY_DIVISIONS",
    "credit_code_check_char",
    "division_code",
    "normalize_credit_code",
    "normalize_phone",
    "organisation_code_check_char",
    "shaoxing_county_division",
    "validate_credit_code",
    "validate_phone",
    "validate_plain_text",
    "validate_single_line_text",
]

CREDIT_CODE_LENGTH = 18

#: GB 32100-2015 代码字符集: digits and capitals without I, O, Z, S, V; the index of a character is its value.
CREDIT_CODE_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CHAR_VALUES = {char: value for value, char in enumerate(CREDIT_CODE_CHARSET)}

#: Weights for positions 1–17 (3**i mod 31, GB 32100-2015 表 4).
_CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

#: Weights for the 8-character body of a GB 11714 organisation code.
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

#: 登记管理部门代码 → the 机构类别代码 it may be combined with (GB 32100-2015 表 2/表 3, including the
#: later additions A = 中央军委改革和编制办公室 and N = 农业).
ORGANISATION_CATEGORIES: dict[str, dict[str, str]] = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},  # 机构编制
    "2": {"1": "外国常驻新闻机构", "9": "其他"},  # 外交
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },  # 司法行政
    "4": {"1": "外国在华文化中心", "9": "其他"},  # 文化
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},  # 民政
    "6": {
        "1": "外国旅游部门常驻代表机构",
        "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
        "9": "其他",
    },  # 旅游
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},  # 宗教
    "8": {"1": "基层工会", "9": "其他"},  # 工会
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},  # 工商（市场监管）
    "A": {"1": "军队事业单位", "9": "其他"},  # 中央军委改革和编制办公室
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},  # 农业
    "Y": {"1": "其他"},  # 其他
}

#: Shaoxing's six county-level divisions (GB/T 2260), keyed by division code.
SHAOXING_COUNTY_DIVISIONS: dict[str, str] = {
    "330602": "越城区",
    "330603": "柯桥区",
    "330604": "上虞区",
    "330624": "新昌县",
    "330681": "诸暨市",
    "330683": "嵊州市",
}

#: Division codes retired by the 2013 reorganisation that still appear in codes issued to firms registered
#: before it (绍兴县 → 柯桥区, 上虞市 → 上虞区).
_LEGACY_SHAOXING_DIVISIONS = {"330621": "330603", "330682": "330604"}

_MESSAGES = {
    "length": "统一社会信用代码应为18位",
    "charset": "统一社会信用代码含有无效字符（不使用I、O、Z、S、V）",
    "registration_authority": "统一社会信用代码第1位（登记管理部门代码）无效",
    "organisation_category": "统一社会信用代码第2位（机构类别代码）与登记管理部门不匹配",
    "division": "统一社会信用代码第3至8位应为6位数字的行政区划代码",
    "check_digit": "统一社会信用代码校验位错误，请核对",
    "org_check_digit": "统一社会信用代码中的组织机构代码（第9至17位）校验位错误，请核对",
}


def normalize_credit_code(code: str | None) -> str:
    """Return ``code`` with all whitespace removed, full-width characters folded to ASCII, upper-cased.

    ``None`` becomes ``""``. No other repair is attempted (hyphens and the like stay and fail validation).
    """
    if code is None:
        return ""
    folded = unicodedata.normalize("NFKC", str(code))
    return "".join(folded.split()).upper()


def credit_code_check_char(first17: str) -> str:
    """Return the position-18 check character for the first 17 characters of a credit code.

    ``first17`` must already be normalised and drawn from :data:`CREDIT_CODE_CHARSET`.
    """
    if len(first17) != CREDIT_CODE_LENGTH - 1:
        raise ValueError("需要统一社会信用代码的前17位")
    total = sum(
        _CHAR_VALUES[char] * weight for char, weight in zip(first17, _CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_CHARSET[(31 - total % 31) % 31]


def _org_char_value(char: str) -> int:
    """GB 11714 character value: digits are themselves, A=10 … Z=35."""
    if char.isdigit():
        return int(char)
    return ord(char) - ord("A") + 10


def organisation_code_check_char(body: str) -> str:
    """Return the GB 11714 check character for the 8-character body of an organisation code.

    ``check = 11 - (Σ value × weight mod 11)``, written as ``X`` when it is 10 and ``0`` when it is 11.
    """
    if len(body) != len(_ORG_CODE_WEIGHTS) or not body.isascii() or not body.isalnum():
        raise ValueError("需要组织机构代码的前8位（数字或大写字母）")
    total = sum(
        _org_char_value(char) * weight for char, weight in zip(body.upper(), _ORG_CODE_WEIGHTS, strict=True)
    )
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def _fail(code: str, value: str) -> ValidationError:
    return ValidationError(_MESSAGES[code], code=code, params={"value": value})


def validate_credit_code(code: str | None) -> None:
    """Raise :class:`~django.core.exceptions.ValidationError` unless ``code`` is a valid 统一社会信用代码.

    Checks run in this order, and the first failure is reported (``ValidationError.code`` in brackets):
    length [``length``], character set [``charset``], position 1 [``registration_authority``],
    position 1+2 combination [``organisation_category``], positions 3–8 are digits [``division``],
    position 18 [``check_digit``], then the organisation code's own check at position 17
    [``org_check_digit``]. The overall check runs before the organisation-code check so that a single
    mistyped character is always reported as the overall check failing.
    """
    value = normalize_credit_code(code)
    if len(value) != CREDIT_CODE_LENGTH:
        raise _fail("length", value)
    if any(char not in _CHAR_VALUES for char in value):
        raise _fail("charset", value)
    categories = ORGANISATION_CATEGORIES.get(value[0])
    if categories is None:
        raise _fail("registration_authority", value)
    if value[1] not in categories:
        raise _fail("organisation_category", value)
    if not value[2:8].isdigit():
        raise _fail("division", value)
    if credit_code_check_char(value[:17]) != value[17]:
        raise _fail("check_digit", value)
    if organisation_code_check_char(value[8:16]) != value[16]:
        raise _fail("org_check_digit", value)


def division_code(code: str | None) -> str:
    """Return positions 3–8 (the registering authority's division code) of a credit code.

    The code is normalised first; a value that is not 18 characters long or whose positions 3–8 are not
    six digits raises :class:`ValueError`. Call it on codes that have passed :func:`validate_credit_code`.
    """
    value = normalize_credit_code(code)
    division = value[2:8]
    if len(value) != CREDIT_CODE_LENGTH or not (division.isascii() and division.isdigit()):
        raise ValueError("不是有效的统一社会信用代码，无法取得行政区划代码")
    return division


def shaoxing_county_division(code: str | None) -> str | None:
    """Return the current Shaoxing county division code a credit code was registered in, else ``None``.

    Retired codes are mapped to their successors (330621 → 330603 柯桥区, 330682 → 330604 上虞区).
    Codes registered at city level (330600) or outside Shaoxing give ``None``.
    """
    division = division_code(code)
    division = _LEGACY_SHAOXING_DIVISIONS.get(division, division)
    return division if division in SHAOXING_COUNTY_DIVISIONS else None


# --- phone numbers --------------------------------------------------------------------------------

# Mainland mobile (11 digits, 1[3-9]) or a landline with its area code: 0575-88123456, 057588123456,
# 010-62345678, with an optional extension (0575-88123456-801).
_MOBILE_RE = re.compile(r"1[3-9]\d{9}")
_LANDLINE_RE = re.compile(r"0\d{2,3}-?[2-9]\d{6,7}(?:-\d{1,6})?")


def normalize_phone(value: str | None) -> str:
    """Fold full-width digits and drop blanks; a +86/0086 country prefix on a mobile is dropped."""
    text = "".join(unicodedata.normalize("NFKC", value or "").split())
    return re.sub(r"^(?:\+86|0086)-?(?=1[3-9]\d{9}$)", "", text)


def validate_phone(value: str) -> None:
    """Raise :class:`~django.core.exceptions.ValidationError` (``invalid_phone``) unless ``value`` is a
    mobile or landline number. It checks ``value`` as given: normalise it with :func:`normalize_phone` first.
    """
    if not (_MOBILE_RE.fullmatch(value) or _LANDLINE_RE.fullmatch(value)):
        raise ValidationError(
            "请输入正确的手机号码（11位）或带区号的固定电话（如0575-88123456）。", code="invalid_phone"
        )


# --- free text ------------------------------------------------------------------------------------

#: Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the Arabic letter
#: mark: they reorder what is displayed without changing what is stored.
_BIDI_CONTROLS = frozenset("\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Zero-width and direction marks (U+200B–U+200F), word joiner (U+2060), BOM / zero-width no-break space
#: (U+FEFF): invisible, so two names that look the same compare different.
_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")
_MULTILINE_ALLOWED = frozenset("\t\n\r")


def _text_problem(value: str, allowed: frozenset[str]) -> tuple[str, str, int] | None:
    """(code, character, 1-based position) of the first refused character, or None."""
    for position, char in enumerate(value, start=1):
        if char in allowed:
            continue
        point = ord(char)
        if point < 0x20 or 0x7F <= point <= 0x9F:
            return "control_character", char, position
        if char in _BIDI_CONTROLS:
            return "bidi_control", char, position
        if char in _ZERO_WIDTH:
            return "zero_width", char, position
        if 0xD800 <= point <= 0xDFFF:  # a lone surrogate cannot be stored as UTF-8
            return "control_character", char, position
    return None


_TEXT_MESSAGES = {
    "control_character": "内容中含有不可见的控制字符（U+{point:04X}，第{position}个字符），"
    "请删除后重新输入。",
    "bidi_control": "内容中含有改变文字显示方向的字符（U+{point:04X}，第{position}个字符），"
    "会使显示的内容与实际内容不一致，请删除后重新输入。",
    "zero_width": "内容中含有零宽（不可见）字符（U+{point:04X}，第{position}个字符），请删除后重新输入。",
}


def _check_text(value: object, allowed: frozenset[str]) -> None:
    if value is None:
        return
    problem = _text_problem(str(value), allowed)
    if problem is None:
        return
    code, char, position = problem
    raise ValidationError(
        _TEXT_MESSAGES[code].format(point=ord(char), position=position),
        code=code,
        params={"point": f"U+{ord(char):04X}", "position": position},
    )


def validate_plain_text(value: object) -> None:
    """Raise :class:`~django.core.exceptions.ValidationError` when free text (possibly several lines)
    contains NUL or another C0/C1 control character other than tab, line feed and carriage return, a
    bidirectional override or isolate (U+202A–U+202E, U+2066–U+2069, U+061C), or a zero-width character
    (U+200B–U+200F, U+2060, U+FEFF). The message names the character and its position, in Chinese.

    Codes: ``control_character``, ``bidi_control``, ``zero_width``. A plain function, so it can go into a
    model or form field's ``validators=[...]``. ``None`` passes (the field's own ``required`` decides).
    """
    _check_text(value, _MULTILINE_ALLOWED)


def validate_single_line_text(value: object) -> None:
    """:func:`validate_plain_text` for one-line fields (names, addresses, search boxes): tab, line feed
    and carriage return are refused as well."""
    _check_text(value, frozenset())
