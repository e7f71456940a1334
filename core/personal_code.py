"""Latvian personal code (*personas kods*) validation.

Two formats are in use (Population Register Law; PMLP, "Personas koda maiņa"):

* **Legacy** (assigned until 30 June 2017): `DDMMYY-CNNNZ`. The first six
  digits are the date of birth, `C` the century of birth (0 = 1800s,
  1 = 1900s, 2 = 2000s), `Z` a check digit: with weights
  1 6 3 7 9 10 5 8 4 2 over the first ten digits,
  `Z = (1101 - weighted sum) mod 11`, and a remainder of 10 is never issued.
* **Since 1 July 2017**: eleven digits, the first `3`, the second a random
  digit 2-9, the rest random. No date and no check digit, so only the shape
  can be checked.

The hyphen after the sixth digit is optional in both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

LEGACY_WEIGHTS = (1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CENTURIES = {"0": 1800, "1": 1900, "2": 2000}
LAST_LEGACY_BIRTH_DATE = date(2017, 6, 30)
"""Legacy codes were assigned until 30 June 2017, so no legacy birth date is later."""


class CodeProblem(StrEnum):
    """Why a personal code was refused (stable codes for field errors)."""

    FORMAT = "personal_code_format"
    DATE = "personal_code_date"
    CHECKSUM = "personal_code_checksum"


class CodeFormat(StrEnum):
    """Which of the two formats a valid code has."""

    LEGACY = "legacy"
    MODERN = "modern"


@dataclass(frozen=True)
class PersonalCode:
    """A valid personal code in normal form (`DDMMYY-NNNNN`)."""

    normalized: str
    format: CodeFormat
    birth_date: date | None


class InvalidPersonalCode(ValueError):
    """The code is not a valid Latvian personal code; `problem` says why."""

    def __init__(self, problem: CodeProblem, message: str) -> None:
        super().__init__(message)
        self.problem = problem


def parse_personal_code(text: str, today: date | None = None) -> PersonalCode:
    """Validate `text` and return it normalised, or raise `InvalidPersonalCode`.

    With `today`, a legacy code whose birth date lies in the future is refused.
    """
    compact = text.strip().replace(" ", "")
    if len(compact) == 12 and compact[6] == "-":
        compact = compact[:6] + compact[7:]
    if len(compact) != 11 or not compact.isascii() or not compact.isdigit():
        raise InvalidPersonalCode(
            CodeProblem.FORMAT, "A personal code has 11 digits, e.g. 010203-12345."
        )
    normalized = f"{compact[:6]}-{compact[6:]}"
    if compact[0] == "3":
        if compact[1] in "01":
            raise InvalidPersonalCode(
                CodeProblem.FORMAT, "A code starting with 3 continues with a digit from 2 to 9."
            )
        return PersonalCode(normalized, CodeFormat.MODERN, None)
    century = CENTURIES.get(compact[6])
    if century is None:
        raise InvalidPersonalCode(
            CodeProblem.DATE, "The seventh digit (century of birth) must be 0, 1 or 2."
        )
    try:
        birth = date(century + int(compact[4:6]), int(compact[2:4]), int(compact[0:2]))
    except ValueError:
        raise InvalidPersonalCode(
            CodeProblem.DATE, "The first six digits are not a real date of birth."
        ) from None
    if birth > LAST_LEGACY_BIRTH_DATE or (today is not None and birth > today):
        raise InvalidPersonalCode(
            CodeProblem.DATE, "The birth date in the code is later than codes of this format exist."
        )
    if legacy_check_digit(compact) != int(compact[10]):
        raise InvalidPersonalCode(CodeProblem.CHECKSUM, "The check digit does not match.")
    return PersonalCode(normalized, CodeFormat.LEGACY, birth)


def legacy_check_digit(digits: str) -> int:
    """The check digit of a legacy code's first ten digits (10 means no valid code)."""
    weighted = sum(int(d) * w for d, w in zip(digits[:10], LEGACY_WEIGHTS, strict=True))
    return (1101 - weighted) % 11


def is_valid_personal_code(text: str, today: date | None = None) -> bool:
    """Whether `text` is a valid personal code of either format."""
    try:
        parse_personal_code(text, today)
    except InvalidPersonalCode:
        return False
    return True
