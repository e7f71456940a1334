"""Ticket numbers and the business day they belong to.

Numbers run per service prefix from 001 and restart at the business-day
boundary in the centre's time zone. Past 999 a number simply grows a digit
(`A999` is followed by `A1000`): wrapping back to `A001` would repeat a number
already in the hall that day, and a missing ticket is worse than a wider one.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

NUMBER_DIGITS = 3
"""Minimum width of the numeric part (`A001`)."""


def business_day(now: datetime, timezone: ZoneInfo, day_starts_at: time = time(0, 0)) -> date:
    """The business day `now` (an aware datetime) belongs to, in the centre's zone.

    The wall-clock boundary `day_starts_at` is applied in local time, so the
    day changes at the same local hour on either side of a DST change.
    """
    if now.tzinfo is None:
        raise ValueError("business_day needs an aware datetime")
    local = now.astimezone(timezone)
    if local.time() < day_starts_at:
        return local.date() - timedelta(days=1)
    return local.date()


def format_number(prefix: str, seq: int) -> str:
    """`A` and 7 give `A007`; 1234 gives `A1234` (the width grows past 999)."""
    if seq < 1:
        raise ValueError(f"ticket sequence numbers start at 1, got {seq}")
    return f"{prefix}{seq:0{NUMBER_DIGITS}d}"


def next_seq(last_seq_today: int | None) -> int:
    """The sequence number after `last_seq_today` (None when nothing was issued)."""
    return 1 if last_seq_today is None else last_seq_today + 1


_PRINTED_NUMBER = re.compile(r"([A-Z]{1,2})([0-9]+)")
"""A number as printed: the service prefix (1-2 capital Latin letters), then digits."""


def spoken_number(number: str) -> str:
    """How a ticket number is read aloud, by the kiosk and the hall display alike: the
    prefix, a space, the digits without leading zeros (`A042` -> `A 42`, `BC007` ->
    `BC 7`), so that a synthesiser spells the letters and says the digits as one
    number. Anything else is read as it is written."""
    match = _PRINTED_NUMBER.fullmatch(number)
    if match is None:
        return number
    prefix, digits = match.groups()
    return f"{prefix} {int(digits)}"


_LOOK_ALIKES = str.maketrans("АВСЕНКМОРТХ", "ABCEHKMOPTX")
"""Cyrillic capitals that look like Latin ones (a Russian keyboard types them)."""


def parse_number(text: str) -> str | None:
    """A ticket number as typed by a visitor, in its printed form, or None.

    Case, spaces, dashes and missing leading zeros do not matter:
    `a 42`, `A-042` and `а42` (Cyrillic а) all give `A042`.
    """
    cleaned = "".join(ch for ch in text.upper().translate(_LOOK_ALIKES) if ch not in " -_.")
    letters = len(cleaned) - len(cleaned.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    prefix, digits = cleaned[:letters], cleaned[letters:]
    if not 1 <= len(prefix) <= 2 or not digits.isascii() or not digits.isdigit():
        return None
    seq = int(digits)
    if seq < 1 or seq > 99999:
        return None
    return format_number(prefix, seq)
