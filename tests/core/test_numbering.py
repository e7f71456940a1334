"""Ticket numbers and business days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.numbering import business_day, format_number, next_seq, parse_number, spoken_number

RIGA = ZoneInfo("Europe/Riga")


def test_numbers_start_at_001_and_are_zero_padded() -> None:
    assert format_number("A", next_seq(None)) == "A001"
    assert format_number("BC", 42) == "BC042"


def test_past_999_the_number_grows_a_digit_and_never_repeats() -> None:
    numbers = [format_number("A", seq) for seq in range(1, 1502)]
    assert numbers[998] == "A999"
    assert numbers[999] == "A1000"
    assert numbers[-1] == "A1501"
    assert len(set(numbers)) == len(numbers)


def test_sequence_numbers_start_at_one() -> None:
    with pytest.raises(ValueError):
        format_number("A", 0)


def test_spoken_number_drops_leading_zeros() -> None:
    assert spoken_number("A042") == "A 42"
    assert spoken_number("A1000") == "A 1000"


def test_a_two_letter_prefix_is_spoken_as_letters_then_the_number() -> None:
    """The kiosk's copy of this rule said "BC042" (only a one-letter prefix was split off,
    so a synthesiser spelled B, C, 0, 4, 2) while the hall display said "BC 42". Right:
    "BC 42", the prefix spelled and the number said as a number, as the hall calls it."""
    assert spoken_number("BC042") == "BC 42"
    assert spoken_number("BC007") == "BC 7"
    assert spoken_number("not a number") == "not a number"


def test_business_day_follows_riga_not_utc() -> None:
    # 23:30 UTC on 22 Nov is 01:30 on 23 Nov in Riga (UTC+2 in winter).
    assert business_day(datetime(2026, 11, 22, 23, 30, tzinfo=UTC), RIGA) == date(2026, 11, 23)
    # 21:30 UTC on 22 Jun is 00:30 on 23 Jun in Riga (UTC+3 in summer).
    assert business_day(datetime(2026, 6, 22, 21, 30, tzinfo=UTC), RIGA) == date(2026, 6, 23)


@pytest.mark.parametrize(
    ("utc", "expected"),
    [
        # Spring forward, 29 March 2026: 03:00 local becomes 04:00 (01:00 UTC).
        (datetime(2026, 3, 28, 21, 59, tzinfo=UTC), date(2026, 3, 28)),
        (datetime(2026, 3, 28, 22, 0, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 20, 59, tzinfo=UTC), date(2026, 3, 29)),
        (datetime(2026, 3, 29, 21, 0, tzinfo=UTC), date(2026, 3, 30)),
        # Fall back, 25 October 2026: 04:00 local becomes 03:00 (01:00 UTC).
        (datetime(2026, 10, 24, 20, 59, tzinfo=UTC), date(2026, 10, 24)),
        (datetime(2026, 10, 24, 21, 0, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 21, 59, tzinfo=UTC), date(2026, 10, 25)),
        (datetime(2026, 10, 25, 22, 0, tzinfo=UTC), date(2026, 10, 26)),
    ],
)
def test_business_day_boundary_is_local_midnight_across_dst(utc: datetime, expected: date) -> None:
    assert business_day(utc, RIGA) == expected


def test_business_day_may_start_later_than_midnight() -> None:
    night = datetime(2026, 11, 23, 2, 0, tzinfo=RIGA)
    assert business_day(night, RIGA, time(4, 0)) == date(2026, 11, 22)
    assert business_day(night.replace(hour=4), RIGA, time(4, 0)) == date(2026, 11, 23)


def test_business_day_refuses_naive_times() -> None:
    with pytest.raises(ValueError):
        business_day(datetime(2026, 1, 1, 12, 0), RIGA)


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("A042", "A042"),
        ("a42", "A042"),
        (" A - 42 ", "A042"),
        ("а42", "A042"),  # Cyrillic а from a Russian keyboard
        ("AB7", "AB007"),
        ("A1000", "A1000"),
        ("A0001", "A001"),
    ],
)
def test_parse_number_reads_what_visitors_type(typed: str, number: str) -> None:
    assert parse_number(typed) == number


@pytest.mark.parametrize("typed", ["", "42", "A", "A0", "ABC1", "A4B", "Ж12", "A١٢", "A123456"])
def test_parse_number_refuses_what_is_no_ticket_number(typed: str) -> None:
    assert parse_number(typed) is None
