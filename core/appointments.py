"""Appointment slots: which times of a day a service can be booked, and how many places each has.

The rules (`core.model.AppointmentRules`, per service) come from the catalogue:

- the hours that take appointments (the service's own, else the service's hours, else
  the centre's), always cut to the centre's hours of that date, so a holiday has no
  slots and a shortened day has fewer (dated exceptions, also those admins add);
- slots of `slot_length` back to back from the start of each range, the last one ending
  by the end of the range;
- a slot's capacity: `parallel`, but never more than the counters serving the service
  that are not on a planned break during the slot;
- bookable from `minimum_notice` after now up to `days_ahead` local days after today;
- `occupancy` (counted by the store) holds what already takes a place: bookings, slots
  held for a form being filled in, and cancelled bookings within their `release_delay`.

Nothing here reads the clock: `now` is passed in. Instants are aware datetimes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from core.hours import OpeningHours
from core.model import AppointmentPolicy, AppointmentRules, Counter, Service, TimeRange


@dataclass(frozen=True)
class Slot:
    """One bookable time of one service."""

    starts_at: datetime
    ends_at: datetime
    capacity: int
    taken: int

    @property
    def free(self) -> int:
        """Places still free (never negative)."""
        return max(self.capacity - self.taken, 0)


def _intersect(first: Sequence[TimeRange], second: Sequence[TimeRange]) -> tuple[TimeRange, ...]:
    result = []
    for a in first:
        for b in second:
            opens, closes = (
                max(a.opens_minute, b.opens_minute),
                min(a.closes_minute, b.closes_minute),
            )
            if opens < closes:
                result.append(TimeRange(opens, closes))
    return tuple(sorted(result))


def appointment_ranges(service: Service, hours: OpeningHours, day: date) -> tuple[TimeRange, ...]:
    """The local ranges of `day` in which the service takes appointments (empty when it
    takes none, or the centre is closed that day)."""
    rules = service.appointments
    if rules is None:
        return ()
    centre = hours.ranges_on(day)
    own: tuple[TimeRange, ...] | None = None
    if rules.weekly is not None:
        own = rules.weekly.get(day.weekday(), ())
    elif service.weekly_hours is not None and day not in hours.exceptions:
        own = service.weekly_hours.get(day.weekday(), ())
    return centre if own is None else _intersect(own, centre)


def slot_capacity(
    service_id: str, rules: AppointmentRules, counters: Sequence[Counter], slot: TimeRange
) -> int:
    """`parallel`, bounded by the counters that serve the service and have no planned
    break overlapping the slot."""
    serving = sum(
        1
        for counter in counters
        if service_id in counter.profile.service_ids
        and not any(
            pause.opens_minute < slot.closes_minute and slot.opens_minute < pause.closes_minute
            for pause in counter.breaks
        )
    )
    return min(rules.parallel, serving)


def day_slots(
    service: Service,
    hours: OpeningHours,
    counters: Sequence[Counter],
    day: date,
    occupancy: Mapping[datetime, int],
) -> tuple[Slot, ...]:
    """Every slot of `day` with a capacity above zero, in time order; `occupancy` maps a
    slot's start to the places already taken."""
    rules = service.appointments
    if rules is None:
        return ()
    length = int(rules.slot_length.total_seconds() // 60)
    slots = []
    for time_range in appointment_ranges(service, hours, day):
        start = time_range.opens_minute
        while start + length <= time_range.closes_minute:
            minutes = TimeRange(start, start + length)
            capacity = slot_capacity(service.id, rules, counters, minutes)
            if capacity > 0:
                starts_at = hours.at(day, start)
                slots.append(
                    Slot(
                        starts_at=starts_at,
                        ends_at=hours.at(day, start + length),
                        capacity=capacity,
                        taken=occupancy.get(starts_at, 0),
                    )
                )
            start += length
    return tuple(slots)


def bookable_days(rules: AppointmentRules, hours: OpeningHours, now: datetime) -> tuple[date, ...]:
    """The local days from today to `days_ahead` days after it."""
    today = hours.local(now).date()
    return tuple(today + timedelta(days=offset) for offset in range(rules.days_ahead + 1))


def is_bookable(slot: Slot, rules: AppointmentRules, hours: OpeningHours, now: datetime) -> bool:
    """Whether the slot may be booked at `now`: free, far enough ahead, not too far."""
    if slot.free <= 0 or slot.starts_at < now + rules.minimum_notice:
        return False
    last_day = hours.local(now).date() + timedelta(days=rules.days_ahead)
    return hours.local(slot.starts_at).date() <= last_day


def find_slot(
    service: Service,
    hours: OpeningHours,
    counters: Sequence[Counter],
    starts_at: datetime,
    occupancy: Mapping[datetime, int],
) -> Slot | None:
    """The slot of the service starting exactly at `starts_at`, or None."""
    day = hours.local(starts_at).date()
    for slot in day_slots(service, hours, counters, day, occupancy):
        if slot.starts_at == starts_at:
            return slot
    return None


class CheckInTiming(StrEnum):
    """Where `now` lies against a booking's check-in window."""

    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


def check_in_timing(starts_at: datetime, policy: AppointmentPolicy, now: datetime) -> CheckInTiming:
    """Early before `starts_at - check_in_early`; late after `starts_at + check_in_late`."""
    if now < starts_at - policy.check_in_early:
        return CheckInTiming.EARLY
    if now > starts_at + policy.check_in_late:
        return CheckInTiming.LATE
    return CheckInTiming.ON_TIME


def check_in_opens(starts_at: datetime, policy: AppointmentPolicy) -> datetime:
    """When check-in for a booking at `starts_at` opens."""
    return starts_at - policy.check_in_early
