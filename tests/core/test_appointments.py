"""Appointment slots from the catalogue: hours, length, parallel places bounded by the
counters serving the service, notice, horizon, holidays and shortened days."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from itertools import pairwise

import pytest

from core.appointments import (
    CheckInTiming,
    appointment_ranges,
    bookable_days,
    check_in_timing,
    day_slots,
    find_slot,
    is_bookable,
)
from core.catalogue import Catalogue, load_catalogue_text
from core.contact import mask_email, mask_phone, normalize_email, normalize_phone
from core.errors import CatalogueError, InvalidInput
from core.hours import DayException
from core.model import AppointmentPolicy, Service, TimeRange
from tests.support.catalogues import RIGA, demo_catalogue, single_service_toml

MONDAY = date(2026, 11, 23)
TUESDAY_SHORTENED = date(2026, 11, 17)
"""A pre-holiday day of the demo catalogue: 08:30-16:00."""
HOLIDAY = date(2026, 11, 18)


def _service(catalogue: Catalogue, service_id: str, **rules: object) -> Service:
    service = catalogue.service(service_id)
    assert service.appointments is not None
    return replace(service, appointments=replace(service.appointments, **rules))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=RIGA)


def test_slots_fill_the_centres_day_back_to_back() -> None:
    catalogue = demo_catalogue()
    slots = day_slots(
        catalogue.service("residence"), catalogue.hours, catalogue.counters, MONDAY, {}
    )
    assert slots[0].starts_at == at(MONDAY, 8, 30)
    assert slots[-1].ends_at == at(MONDAY, 19, 0)
    assert len(slots) == (19 * 60 - 8 * 60 - 30) // 15
    assert all(b.starts_at == a.ends_at for a, b in pairwise(slots))


def test_parallel_places_never_exceed_the_counters_serving_the_service_then() -> None:
    catalogue = demo_catalogue()
    # Residence is served at c1 (break 12:00-12:30), c2 (12:30-13:00) and c5 (13:00-13:30).
    service = _service(catalogue, "residence", parallel=5)
    by_start = {
        slot.starts_at: slot.capacity
        for slot in day_slots(service, catalogue.hours, catalogue.counters, MONDAY, {})
    }
    assert by_start[at(MONDAY, 9)] == 3
    assert by_start[at(MONDAY, 12)] == 2
    assert by_start[at(MONDAY, 12, 45)] == 2
    assert by_start[at(MONDAY, 13, 15)] == 2
    assert by_start[at(MONDAY, 14)] == 3
    bounded = _service(catalogue, "residence", parallel=1)
    assert {
        s.capacity for s in day_slots(bounded, catalogue.hours, catalogue.counters, MONDAY, {})
    } == {1}


def test_a_slot_whose_only_counter_is_on_a_break_is_not_offered() -> None:
    catalogue = load_catalogue_text(
        single_service_toml(1).replace(
            'services = ["residence"]', 'services = ["residence"]\nbreaks = ["12:00-13:00"]'
        )
        + "\n[services.appointments]\nslot_minutes = 30\nparallel = 2\n"
    )
    starts = [
        s.starts_at
        for s in day_slots(
            catalogue.service("residence"), catalogue.hours, catalogue.counters, MONDAY, {}
        )
    ]
    assert at(MONDAY, 11, 30) in starts
    assert at(MONDAY, 12) not in starts and at(MONDAY, 12, 30) not in starts
    assert at(MONDAY, 13) in starts


def test_holidays_have_no_slots_and_shortened_days_fewer() -> None:
    catalogue = demo_catalogue()
    service = catalogue.service("residence")
    assert day_slots(service, catalogue.hours, catalogue.counters, HOLIDAY, {}) == ()
    short = day_slots(service, catalogue.hours, catalogue.counters, TUESDAY_SHORTENED, {})
    assert short[-1].ends_at == at(TUESDAY_SHORTENED, 16)
    # An exception an admin adds later counts the same way.
    closed = catalogue.hours.with_exceptions({MONDAY: DayException(MONDAY, ())})
    assert day_slots(service, closed, catalogue.counters, MONDAY, {}) == ()


def test_a_services_own_appointment_hours_are_cut_to_the_centres_hours() -> None:
    catalogue = demo_catalogue()
    specialist = catalogue.service("specialist")
    assert appointment_ranges(specialist, catalogue.hours, MONDAY) == (
        TimeRange(9 * 60, 12 * 60),
        TimeRange(14 * 60, 18 * 60),
    )
    shorter = catalogue.hours.with_exceptions(
        {MONDAY: DayException(MONDAY, (TimeRange(8 * 60 + 30, 15 * 60),))}
    )
    assert appointment_ranges(specialist, shorter, MONDAY) == (
        TimeRange(9 * 60, 12 * 60),
        TimeRange(14 * 60, 15 * 60),
    )
    assert appointment_ranges(specialist, catalogue.hours, MONDAY + timedelta(days=1)) == ()
    # Without hours of its own, a service takes appointments in its opening hours.
    board = catalogue.service("building-board")
    assert appointment_ranges(board, catalogue.hours, MONDAY) == ()
    assert appointment_ranges(board, catalogue.hours, MONDAY + timedelta(days=1)) == (
        TimeRange(9 * 60, 12 * 60),
        TimeRange(13 * 60, 17 * 60),
    )
    assert appointment_ranges(catalogue.service("certificates"), catalogue.hours, MONDAY) == ()


def test_occupancy_takes_places_and_a_full_slot_is_not_bookable() -> None:
    catalogue = demo_catalogue()
    service = catalogue.service("residence")
    start = at(MONDAY, 14)
    slot = find_slot(service, catalogue.hours, catalogue.counters, start, {start: 1})
    assert slot is not None and (slot.capacity, slot.taken, slot.free) == (2, 1, 1)
    now = at(MONDAY, 9)
    assert is_bookable(slot, service.appointments, catalogue.hours, now)
    full = find_slot(service, catalogue.hours, catalogue.counters, start, {start: 2})
    assert full is not None and full.free == 0
    assert not is_bookable(full, service.appointments, catalogue.hours, now)
    assert find_slot(service, catalogue.hours, catalogue.counters, at(MONDAY, 14, 5), {}) is None


def test_minimum_notice_and_the_booking_horizon() -> None:
    catalogue = demo_catalogue()
    service = catalogue.service("residence")
    rules = service.appointments
    assert rules is not None
    now = at(MONDAY, 9)

    def slot_at(moment: datetime):
        found = find_slot(service, catalogue.hours, catalogue.counters, moment, {})
        assert found is not None
        return found

    assert not is_bookable(slot_at(at(MONDAY, 10, 45)), rules, catalogue.hours, now)
    assert is_bookable(slot_at(at(MONDAY, 11)), rules, catalogue.hours, now)
    last = MONDAY + timedelta(days=14)
    assert bookable_days(rules, catalogue.hours, now)[-1] == last
    assert is_bookable(slot_at(at(last, 9)), rules, catalogue.hours, now)
    assert not is_bookable(slot_at(at(last + timedelta(days=1), 9)), rules, catalogue.hours, now)


@pytest.mark.parametrize(
    ("minutes", "timing"),
    [
        (-31, CheckInTiming.EARLY),
        (-30, CheckInTiming.ON_TIME),
        (10, CheckInTiming.ON_TIME),
        (11, CheckInTiming.LATE),
    ],
)
def test_the_check_in_window(minutes: int, timing: CheckInTiming) -> None:
    booked = at(MONDAY, 14)
    policy = AppointmentPolicy()
    assert check_in_timing(booked, policy, booked + timedelta(minutes=minutes)) is timing


def test_appointment_settings_are_checked_with_the_field_named() -> None:
    base = single_service_toml(1)
    with pytest.raises(CatalogueError, match=r"services\[0\]\.appointments\.slot_minutes"):
        load_catalogue_text(base + "\n[services.appointments]\nparallel = 2\n")
    with pytest.raises(CatalogueError, match=r"appointments\.late_arrival"):
        load_catalogue_text('[appointments]\nlate_arrival = "shout"\n' + base)
    with pytest.raises(CatalogueError, match=r"appointments.*colour"):
        load_catalogue_text(base + "\n[services.appointments]\nslot_minutes = 5\ncolour = 1\n")


@pytest.mark.parametrize(
    ("typed", "normal"),
    [
        ("20 000 000", "+37120000000"),
        ("+371 2000-0000", "+37120000000"),
        ("0049 30 1234567", "+49301234567"),
    ],
)
def test_phone_numbers_are_normalised(typed: str, normal: str) -> None:
    assert normalize_phone(typed) == normal


@pytest.mark.parametrize("typed", ["", "123", "+0123456789", "2000000a", "+371 2000 0000 0000 0"])
def test_what_is_not_a_phone_number_is_refused(typed: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        normalize_phone(typed)
    assert caught.value.fields == {"phone": "invalid_phone"}


def test_email_addresses_are_checked_and_masked() -> None:
    assert normalize_email(" Anna@Example.LV ") == "anna@example.lv"
    for wrong in ("anna", "anna@", "@example.lv", "anna@example", "an na@example.lv"):
        with pytest.raises(InvalidInput):
            normalize_email(wrong)
    assert mask_email("anna@example.lv") == "a•••@example.lv"
    assert mask_phone("+37120000000") == "+371••••••00"
