"""Properties of the 统一社会信用代码 check (GB 32100-2015), with hypothesis.

Valid codes are built the way the standard builds them: registration authority and a category that
belongs to it, six digits of division code, an 8-character organisation code body with its GB 11714
check character, then the MOD 31 check character over the first 17 — both computed with the
validator's own helpers. The example-based tests are in ``test_validators.py``.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from shaoxing_bases.validators import (
    CREDIT_CODE_CHARSET,
    ORGANISATION_CATEGORIES,
    credit_code_check_char,
    normalize_credit_code,
    organisation_code_check_char,
    validate_credit_code,
)

PROPERTY = settings(max_examples=200, deadline=None)


@st.composite
def valid_credit_codes(draw) -> str:
    authority = draw(st.sampled_from(sorted(ORGANISATION_CATEGORIES)))
    category = draw(st.sampled_from(sorted(ORGANISATION_CATEGORIES[authority])))
    division = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    body = draw(st.text(alphabet=CREDIT_CODE_CHARSET, min_size=8, max_size=8))
    first17 = authority + category + division + body + organisation_code_check_char(body)
    return first17 + credit_code_check_char(first17)


@PROPERTY
@given(code=valid_credit_codes())
def test_every_well_formed_code_passes(code: str) -> None:
    validate_credit_code(code)  # raises on failure


@PROPERTY
@given(code=valid_credit_codes(), lower=st.booleans(), blank=st.sampled_from(["", " ", "\u3000", "\t"]))
def test_a_valid_code_passes_in_any_case_with_surrounding_blanks(code: str, lower: bool, blank: str) -> None:
    validate_credit_code(blank + (code.lower() if lower else code) + blank)


@PROPERTY
@given(code=valid_credit_codes())
def test_every_single_substitution_of_a_valid_code_fails(code: str) -> None:
    # Exhaustive over the 18 positions × the 30 other characters of the alphabet: the MOD 31 weights are
    # all non-zero modulo a prime, so no single mistyped character may slip through.
    accepted = []
    for position in range(len(code)):
        for char in CREDIT_CODE_CHARSET:
            if char == code[position]:
                continue
            mutated = code[:position] + char + code[position + 1 :]
            try:
                validate_credit_code(mutated)
            except ValidationError:
                continue
            accepted.append(mutated)
    assert accepted == [], f"{code}: single substitutions accepted"


@PROPERTY
@given(code=valid_credit_codes(), position=st.integers(min_value=0, max_value=17), char=st.characters())
def test_any_other_character_at_any_position_fails(code: str, position: int, char: str) -> None:
    # Any character at all, including full-width and letters outside the alphabet (I, O, Z, S, V),
    # unless normalising it gives back the very character it replaces (e.g. "ａ" for "A").
    if normalize_credit_code(char) == code[position]:
        return
    mutated = code[:position] + char + code[position + 1 :]

    with pytest.raises(ValidationError):
        validate_credit_code(mutated)
