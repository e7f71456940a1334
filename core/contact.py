"""A booking's contact: a phone number for SMS, an e-mail address, checked and normalised.

Normalised forms are what the per-person booking limit compares: `+371 2000 0000`,
`20000000` and `+37120000000` are one phone; `Anna@Example.LV` and `anna@example.lv`
one address. Nothing here sends anything.
"""

from __future__ import annotations

import re

from core.errors import InvalidInput

DEFAULT_COUNTRY_CODE = "371"
"""Latvia: an 8-digit number written without a country code is Latvian."""
NATIONAL_DIGITS = 8
E164_MAX_DIGITS = 15
"""ITU-T E.164: at most 15 digits including the country code."""
E164_MIN_DIGITS = 8
EMAIL_MAX_LENGTH = 254
"""RFC 5321 section 4.5.3.1.3 (a path of 256 octets, less the angle brackets)."""
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"\A[^@\s\"<>(),;:\\\[\]]{{1,64}}@{_LABEL}(?:\.{_LABEL})+\Z")
_SEPARATORS = re.compile(r"[\s().-]")


def normalize_phone(text: str, field: str = "phone") -> str:
    """`+37120000000` from what a person typed; `InvalidInput` `{field: "invalid_phone"}`
    for anything that is not an E.164 number (or 8 national digits)."""
    compact = _SEPARATORS.sub("", text.strip())
    if compact.startswith("00"):
        compact = "+" + compact[2:]
    if compact.isdigit() and len(compact) == NATIONAL_DIGITS:
        compact = "+" + DEFAULT_COUNTRY_CODE + compact
    digits = compact[1:]
    if not (
        compact.startswith("+")
        and digits.isascii()
        and digits.isdigit()
        and E164_MIN_DIGITS <= len(digits) <= E164_MAX_DIGITS
        and not digits.startswith("0")
    ):
        raise InvalidInput("This is not a phone number.", {field: "invalid_phone"})
    return compact


def normalize_email(text: str, field: str = "email") -> str:
    """The address with its domain in lower case (the local part too: no centre relies
    on case-sensitive mailboxes); `InvalidInput` `{field: "invalid_email"}` otherwise."""
    address = text.strip()
    if len(address) > EMAIL_MAX_LENGTH or not address.isascii() or not _EMAIL.match(address):
        raise InvalidInput("This is not an e-mail address.", {field: "invalid_email"})
    return address.lower()


def mask_phone(phone: str) -> str:
    """`+371 ••• ••• 00` style: what a confirmation page shows of a stored number."""
    return phone[:4] + "•" * max(len(phone) - 6, 0) + phone[-2:]


def mask_email(email: str) -> str:
    """`a•••@example.lv`."""
    local, _, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def short_name(name: str) -> str:
    """`Anna B.`: the first word of a name and the initial of the last, what a clerk's
    list of the day's bookings shows (enough to greet, less to leak); a one-word name
    stays as it is."""
    words = name.split()
    if len(words) < 2:
        return name.strip()
    return f"{words[0]} {words[-1][0]}."
