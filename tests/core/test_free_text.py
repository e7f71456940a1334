"""One rule for free text: what is refused, what is normalised, how long, per field kind."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.free_text import (
    RULES,
    TextProblem,
    TextRule,
    clean_text,
    fitted,
    is_refused,
    text_problem,
)

REFUSED = {
    "NUL": "\x00",
    "escape": "\x1b",
    "tab": "\t",
    "DEL": "\x7f",
    "C1 next line": "\x85",
    "line separator": "\u2028",
    "paragraph separator": "\u2029",
    "right-to-left override": "\u202e",
    "left-to-right embedding": "\u202a",
    "first strong isolate": "\u2068",
    "pop directional isolate": "\u2069",
    "lone high surrogate": "\ud800",
    "lone low surrogate": "\udfff",
    "noncharacter U+FFFE": "\ufffe",
    "noncharacter U+FDD0": "\ufdd0",
    "noncharacter U+10FFFF": "\U0010ffff",
}
KINDS = sorted(RULES)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("name", sorted(REFUSED))
def test_every_field_kind_refuses_the_same_characters(kind: str, name: str) -> None:
    rule = RULES[kind]
    text = f"Ja{REFUSED[name]}nis"
    assert text_problem(text, rule)[1] is TextProblem.CONTROL_CHARACTERS
    with pytest.raises(InvalidInput) as caught:
        clean_text(text, rule, "field")
    assert caught.value.fields == {"field": "control_characters"}
    assert f"U+{ord(REFUSED[name]):04X} at position 3" in caught.value.message


@pytest.mark.parametrize("kind", KINDS)
def test_line_breaks_only_where_the_field_has_lines(kind: str) -> None:
    rule = RULES[kind]
    cleaned, problem = text_problem("first\r\nsecond\rthird\nfourth", rule)
    if rule.multiline:
        assert problem is None and cleaned == "first\nsecond\nthird\nfourth"
    else:
        assert problem is TextProblem.CONTROL_CHARACTERS


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_kind_normalises_to_nfc_and_trims(kind: str) -> None:
    decomposed = "  Be\u0304rzin\u0327s\u030c \n"  # Bērziņš typed with combining marks
    assert clean_text(decomposed, RULES[kind], "field") == "Bērziņš"


@pytest.mark.parametrize("kind", KINDS)
def test_every_field_kind_has_its_maximum_length_after_normalising(kind: str) -> None:
    rule = RULES[kind]
    assert clean_text("ā" * rule.max_length, rule, "f") == "ā" * rule.max_length
    # Combining marks fold into one letter each: the limit counts what is stored.
    assert clean_text("a\u0304" * rule.max_length, rule, "f") == "ā" * rule.max_length
    with pytest.raises(InvalidInput) as caught:
        clean_text("x" * (rule.max_length + 1), rule, "f")
    assert caught.value.fields == {"f": "too_long"}


def test_required_text_is_not_blank() -> None:
    with pytest.raises(InvalidInput) as caught:
        clean_text(" \u3000 ", RULES["ticket_note"], "note", required=True)
    assert caught.value.fields == {"note": "required"}
    assert clean_text("", RULES["ticket_note"], "note") == ""


def test_letters_of_every_script_and_emoji_are_accepted() -> None:
    text = "Jānis Bērziņš · Иван Петров · محمد · 李雷 · 👍🏽 · ‎x"
    assert clean_text(text, RULES["display_name"], "n") == text


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    text=st.text(
        st.one_of(st.characters(), st.sampled_from(sorted(REFUSED.values()))), max_size=60
    ),
    kind=st.sampled_from(KINDS),
)
def test_accepted_text_is_clean_nfc_and_stable(text: str, kind: str) -> None:
    rule = RULES[kind]
    cleaned, problem = text_problem(text, rule)
    if problem is not None:
        return
    assert not any(is_refused(ch, multiline=rule.multiline) for ch in cleaned)
    assert cleaned == unicodedata.normalize("NFC", cleaned) == cleaned.strip()
    assert len(cleaned) <= rule.max_length
    assert text_problem(cleaned, rule) == (cleaned, None)  # cleaning again changes nothing
    cleaned.encode("utf-8")  # storable


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    text=st.text(
        st.one_of(
            st.characters(),
            st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp"]),
            st.sampled_from(sorted(REFUSED.values())),
        ),
        max_size=20,
    )
)
def test_refused_means_a_refused_character_is_present(text: str) -> None:
    rule = TextRule(1000)
    problem = text_problem(text, rule)[1]
    inner = unicodedata.normalize("NFC", text.strip()).strip()
    assert (problem is TextProblem.CONTROL_CHARACTERS) == any(is_refused(ch) for ch in inner)


@settings(max_examples=200, derandomize=True, deadline=None)
@given(
    text=st.text(st.one_of(st.characters(), st.sampled_from(sorted(REFUSED.values())))),
    kind=st.sampled_from(KINDS),
)
def test_fitted_machine_text_is_always_accepted(text: str, kind: str) -> None:
    rule = RULES[kind]
    assert text_problem(fitted(text, rule), rule)[1] is None


def test_fitted_marks_what_it_replaced() -> None:
    assert fitted("USB\x1b[31m error\u202e", RULES["device_detail"]) == "USB\ufffd[31m error\ufffd"
