"""Free text a person types: one rule for what is refused, what is normalised, how long.

Every text a person (or a terminal on a person's behalf) types that Rinda stores
or shows to others goes through `clean_text` with the `TextRule` of its field
kind (see `RULES`): display names, the hall-display ticker, device status
details, print errors, clerks' notes, application fields and notes, opening-hours
exception notes.

Refused (problem `control_characters`), wherever they stand:

- C0 controls U+0000-U+001F (NUL, tab, escape ...), except a line feed in a
  multi-line field; DEL U+007F and C1 controls U+0080-U+009F;
- line and paragraph separators U+2028, U+2029 (they end a line in JavaScript);
- bidirectional embeddings, overrides and isolates U+202A-U+202E and
  U+2066-U+2069, which reorder what a reader sees (CVE-2021-42574, "Trojan
  Source"; Unicode Technical Standard #39 section 3.4);
- lone surrogates U+D800-U+DFFF (not characters: they cannot be stored as
  UTF-8) and the 66 noncharacters U+FDD0-U+FDEF and U+xxFFFE/U+xxFFFF
  (Unicode 15, section 23.7).

Normalised first: a carriage return or CR LF becomes a line feed in a
multi-line field; whitespace (spaces, tabs, line breaks) at both ends is
trimmed; the text is put in Unicode Normalization Form C (UAX #15), so the same
letters typed on different keyboards compare equal. Length is counted in code
points after normalising.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from core.errors import InvalidInput


class TextProblem(StrEnum):
    """Stable codes of what is wrong with a text (field error codes of the API)."""

    REQUIRED = "required"
    TOO_LONG = "too_long"
    CONTROL_CHARACTERS = "control_characters"


@dataclass(frozen=True)
class TextRule:
    """How one kind of field is checked: its longest length, whether it has lines."""

    max_length: int
    multiline: bool = False


DISPLAY_NAME = TextRule(100)
"""A person's name as staff and displays show it."""
TICKER = TextRule(500)
"""The text that runs along the bottom of the hall displays."""
DEVICE_DETAIL = TextRule(500, multiline=True)
"""A terminal's words about its state: a printer fault, a print error (an exception's
message may run over lines)."""
SOFTWARE_VERSION = TextRule(40)
CATALOGUE_ID = TextRule(64)
"""An id from a centre's catalogue (a service's, as the network hub receives it)."""
CATALOGUE_NAME = TextRule(200)
"""A centre's or a service's name in one language, as the network hub receives it."""
TICKET_NOTE = TextRule(1000, multiline=True)
"""A clerk's note on a visit."""
DELIVERED_SERVICE = TextRule(200)
APPLICATION_NOTE = TextRule(2000, multiline=True)
"""A back-office note on an application (and the note of a status change)."""
HOURS_NOTE = TextRule(200)
"""Why a day has different opening hours ("Christmas Eve")."""
APPLICATION_LINE = TextRule(200)
"""A one-line application field; its own maximum length comes from the field."""
APPLICATION_TEXT = TextRule(2000, multiline=True)
"""The application's own text."""

RULES: dict[str, TextRule] = {
    "display_name": DISPLAY_NAME,
    "ticker": TICKER,
    "device_detail": DEVICE_DETAIL,
    "software_version": SOFTWARE_VERSION,
    "ticket_note": TICKET_NOTE,
    "delivered_service": DELIVERED_SERVICE,
    "application_note": APPLICATION_NOTE,
    "hours_note": HOURS_NOTE,
    "application_line": APPLICATION_LINE,
    "application_text": APPLICATION_TEXT,
}
"""Every field kind of free text, by name (the API documentation lists them)."""

BIDI_CONTROLS = frozenset(range(0x202A, 0x202F)) | frozenset(range(0x2066, 0x206A))
LINE_SEPARATORS = frozenset({0x2028, 0x2029})


def is_refused(character: str, *, multiline: bool = False) -> bool:
    """Whether one character is never accepted in free text (see the module's list)."""
    code = ord(character)
    if code < 0x20:
        return not (multiline and character == "\n")
    return (
        0x7F <= code <= 0x9F
        or code in LINE_SEPARATORS
        or code in BIDI_CONTROLS
        or 0xD800 <= code <= 0xDFFF
        or 0xFDD0 <= code <= 0xFDEF
        or (code & 0xFFFE) == 0xFFFE
    )


def first_refused(text: str, *, multiline: bool = False) -> int | None:
    """The index of the first refused character, or None."""
    for index, character in enumerate(text):
        if is_refused(character, multiline=multiline):
            return index
    return None


def normalise(text: str, rule: TextRule) -> str:
    """Line ends unified (multi-line fields), trimmed, NFC: the text as stored."""
    if rule.multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text.strip()).strip()


def text_problem(text: str, rule: TextRule) -> tuple[str, TextProblem | None]:
    """The normalised text and what is wrong with it (None when it is fine).

    Whitespace at the ends is trimmed before the check (a pasted line's final
    line break is no fault). An empty result is not a problem here: whether a
    field is required is the caller's rule."""
    cleaned = normalise(text, rule)
    if first_refused(cleaned, multiline=rule.multiline) is not None:
        return cleaned, TextProblem.CONTROL_CHARACTERS
    if len(cleaned) > rule.max_length:
        return cleaned, TextProblem.TOO_LONG
    return cleaned, None


def describe(problem: TextProblem, text: str, rule: TextRule) -> str:
    """A sentence for a person about the problem (English; clients translate the code)."""
    if problem is TextProblem.CONTROL_CHARACTERS:
        cleaned = normalise(text, rule)
        index = first_refused(cleaned, multiline=rule.multiline)
        where = "" if index is None else f" (U+{ord(cleaned[index]):04X} at position {index + 1})"
        return f"The text contains a control or formatting character that is not allowed{where}."
    if problem is TextProblem.TOO_LONG:
        return f"The text is longer than {rule.max_length} characters."
    return "The text is empty."


def clean_text(text: str, rule: TextRule, field: str, *, required: bool = False) -> str:
    """The accepted, normalised text; raises `InvalidInput` with `{field: problem}`."""
    cleaned, problem = text_problem(text, rule)
    if problem is None and required and not cleaned:
        problem = TextProblem.REQUIRED
    if problem is not None:
        raise InvalidInput(describe(problem, text, rule), {field: problem.value})
    return cleaned


def fitted(text: str, rule: TextRule) -> str:
    """Machine-made text (an exception's message) made acceptable: each refused
    character becomes U+FFFD, and the text is cut to the rule's length. Terminals send
    their own words this way, so a heartbeat is never refused for what a library said."""
    cleaned = normalise(text, rule)
    kept = "".join("\ufffd" if is_refused(ch, multiline=rule.multiline) else ch for ch in cleaned)
    return kept[: rule.max_length].strip()
