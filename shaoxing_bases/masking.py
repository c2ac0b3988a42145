"""Display masking for personal data (phone numbers, ID numbers). Pure functions, no Django.

Every function returns ``""`` for ``None`` or blank input, never raises on odd input, and falls back to
:func:`mask_generic` — which reveals at most the last third (and never more than 4 characters) — for
anything it does not recognise, so a malformed value is never shown in more detail than a well-formed one.
Short values (6 characters or fewer) are masked completely.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["mask_generic", "mask_id_number", "mask_phone"]

MASK_CHAR = "*"
_SHORT = 6  # values this short reveal nothing

# Mainland mobile: 11 digits starting 1[3-9], optionally written with +86/0086/86 and spaces or hyphens.
_MOBILE_RE = re.compile(r"(?P<cc>\+86|0086|86)?(?P<number>1[3-9]\d{9})")
# Landline: optional area code (010 and 02x are 3 digits, the rest 4), a 7–8 digit local number and an
# optional extension.
_LANDLINE_RE = re.compile(
    r"(?:\(?(?P<area>0(?:10|2\d)|0[3-9]\d{2})\)?[-\s]?)?(?P<local>[2-9]\d{6,7})(?:(?:-|转|ext\.?|#)\s?(?P<ext>\d{1,6}))?",
    re.IGNORECASE,
)
_ID18_RE = re.compile(r"\d{17}[\dX]")
_ID15_RE = re.compile(r"\d{15}")


def _clean(value: object) -> str:
    if value is None:
        return ""
    return unicodedata.normalize("NFKC", str(value)).strip()


def mask_generic(value: object) -> str:
    """Mask everything but the last ``min(4, len // 3)`` characters: ``"ABCDEFGHI"`` → ``"******GHI"``.

    Values of 6 characters or fewer are masked completely (``"12345"`` → ``"*****"``).
    """
    text = _clean(value)
    visible = 0 if len(text) <= _SHORT else min(4, len(text) // 3)
    return MASK_CHAR * (len(text) - visible) + text[len(text) - visible :]


def mask_phone(value: object) -> str:
    """Mask a phone number for display.

    * mobile ``13812348000`` → ``138****8000`` (a ``+86`` prefix is kept: ``+86 138****8000``);
    * landline ``0575-88123456`` → ``0575-****3456``; without area code ``88123456`` → ``****3456``;
      an extension is masked entirely (``0575-88123456-801`` → ``0575-****3456-***``);
    * anything else goes through :func:`mask_generic`.
    """
    text = _clean(value)
    if not text:
        return ""
    compact = re.sub(r"[\s\-()]", "", text)
    mobile = _MOBILE_RE.fullmatch(compact)
    if mobile:
        number = mobile["number"]
        masked = f"{number[:3]}{MASK_CHAR * 4}{number[-4:]}"
        return f"+86 {masked}" if mobile["cc"] else masked
    landline = _LANDLINE_RE.fullmatch(text)
    if landline:
        local = landline["local"]
        masked = MASK_CHAR * (len(local) - 4) + local[-4:]
        if landline["area"]:
            masked = f"{landline['area']}-{masked}"
        if landline["ext"]:
            masked = f"{masked}-{MASK_CHAR * len(landline['ext'])}"
        return masked
    return mask_generic(text)


def mask_id_number(value: object) -> str:
    """Mask a 居民身份证号码 so that the birth date and most of the sequence number are hidden.

    * 18-digit ``110105199001010123`` → ``110105********0123`` (region code and last 4 shown);
    * legacy 15-digit ``110105900101012`` → ``110105******012`` (the last 4 would include the birth day);
    * anything else (passports, permits, garbage) goes through :func:`mask_generic`.
    """
    text = _clean(value)
    if not text:
        return ""
    compact = re.sub(r"\s", "", text).upper()
    if _ID18_RE.fullmatch(compact):
        return f"{compact[:6]}{MASK_CHAR * 8}{compact[-4:]}"
    if _ID15_RE.fullmatch(compact):
        return f"{compact[:6]}{MASK_CHAR * 6}{compact[-3:]}"
    return mask_generic(compact)
