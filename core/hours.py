"""Opening hours: a weekly schedule, dated exceptions and per-service hours.

All times are local wall-clock times in the centre's zone; instants passed in
and returned are aware datetimes. Nothing here reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from core.i18n import format_day_time, t
from core.model import Service, TimeRange

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
SEARCH_DAYS = 400
"""How far ahead `next_opening` looks before concluding the centre never opens."""


@dataclass(frozen=True)
class DayException:
    """Different hours on one date: a holiday (no ranges) or an extended day."""

    day: date
    ranges: tuple[TimeRange, ...]
    note: str = ""


@dataclass(frozen=True)
class CentreStatus:
    """Whether the centre is open now, and the next change."""

    is_open: bool
    opens_at: datetime | None
    """When closed: the next opening (None if no opening is scheduled)."""
    closes_at: datetime | None
    """When open: the end of the current opening range."""
    day_closes_at: datetime | None
    """The end of the last range of the current local day (None when closed all day)."""


@dataclass(frozen=True)
class OpeningHours:
    """The centre's hours in its time zone."""

    timezone: str = "Europe/Riga"
    weekly: Mapping[int, tuple[TimeRange, ...]] = field(default_factory=dict)
    exceptions: Mapping[date, DayException] = field(default_factory=dict)

    @property
    def zone(self) -> ZoneInfo:
        """The centre's time zone."""
        return ZoneInfo(self.timezone)

    def with_exceptions(self, extra: Mapping[date, DayException]) -> OpeningHours:
        """These hours with more dated exceptions (later ones win)."""
        return replace(self, exceptions={**self.exceptions, **extra})

    def ranges_on(self, day: date) -> tuple[TimeRange, ...]:
        """The opening ranges of a local date, exceptions applied."""
        exception = self.exceptions.get(day)
        if exception is not None:
            return exception.ranges
        return self.weekly.get(day.weekday(), ())

    def local(self, now: datetime) -> datetime:
        """`now` as local wall-clock time."""
        return now.astimezone(self.zone)

    def at(self, day: date, minute: int) -> datetime:
        """The aware instant of a local date and minute-of-day."""
        day_offset, minute_of_day = divmod(minute, 24 * 60)
        local_day = day + timedelta(days=day_offset)
        wall = time(minute_of_day // 60, minute_of_day % 60)
        return datetime.combine(local_day, wall, tzinfo=self.zone)

    def status(self, now: datetime) -> CentreStatus:
        """Open or closed at `now`, with the next opening or closing."""
        local = self.local(now)
        minute = local.hour * 60 + local.minute
        ranges = self.ranges_on(local.date())
        day_close = self.at(local.date(), ranges[-1].closes_minute) if ranges else None
        if day_close is not None and day_close <= now:
            day_close = None
        for time_range in ranges:
            if time_range.contains(minute):
                closes = self.at(local.date(), time_range.closes_minute)
                return CentreStatus(True, None, closes, day_close)
        return CentreStatus(False, self.next_opening(now), None, day_close)

    def is_open(self, now: datetime) -> bool:
        """Whether the centre is open at `now`."""
        return self.status(now).is_open

    def next_opening(self, now: datetime) -> datetime | None:
        """The first opening instant strictly after `now`."""
        local = self.local(now)
        for offset in range(SEARCH_DAYS):
            day = local.date() + timedelta(days=offset)
            for time_range in self.ranges_on(day):
                opens = self.at(day, time_range.opens_minute)
                if opens > now:
                    return opens
        return None

    def day_closing(self, now: datetime) -> datetime | None:
        """The end of the last opening range of `now`'s local day, if still ahead."""
        return self.status(now).day_closes_at


def service_is_open(service: Service, hours: OpeningHours, now: datetime) -> bool:
    """A service is open when the centre is, and within its own hours if it has them."""
    if not hours.is_open(now):
        return False
    if service.weekly_hours is None:
        return True
    local = hours.local(now)
    minute = local.hour * 60 + local.minute
    day = local.date()
    if day in hours.exceptions:
        # On a dated exception the centre's hours rule every service.
        return True
    return any(r.contains(minute) for r in service.weekly_hours.get(day.weekday(), ()))


def service_closing(service: Service, hours: OpeningHours, now: datetime) -> datetime | None:
    """When the service stops serving today (the earlier of its and the centre's end)."""
    centre_close = hours.day_closing(now)
    if centre_close is None or service.weekly_hours is None:
        return centre_close
    local = hours.local(now)
    if local.date() in hours.exceptions:
        return centre_close
    own = service.weekly_hours.get(local.date().weekday(), ())
    if not own:
        return None
    own_close = hours.at(local.date(), own[-1].closes_minute)
    return min(own_close, centre_close)


def breaks_ahead(
    breaks: Sequence[TimeRange], at: Callable[[int], datetime], now: datetime
) -> tuple[tuple[datetime, datetime], ...]:
    """Today's planned breaks that have not ended by `now`, as instants.

    `at` turns a local minute of today into an aware instant.
    """
    result = []
    for pause in breaks:
        starts, ends = at(pause.opens_minute), at(pause.closes_minute)
        if ends > now:
            result.append((starts, ends))
    return tuple(result)


def on_break(breaks: Sequence[TimeRange], at: Callable[[int], datetime], now: datetime) -> bool:
    """Whether `now` falls in one of today's planned breaks."""
    return any(starts <= now < ends for starts, ends in breaks_ahead(breaks, at, now))


def parse_range(text: str) -> TimeRange:
    """Parse `08:30-12:00` (also with an en dash) into a `TimeRange`.

    Raises ValueError with a readable message on bad input.
    """
    cleaned = text.replace("–", "-").replace(" ", "")
    parts = cleaned.split("-")
    if len(parts) != 2:
        raise ValueError(f"expected a range like 08:30-17:00, got {text!r}")
    opens, closes = (parse_minute(part, text) for part in parts)
    if closes <= opens:
        raise ValueError(f"closing time must be after opening time in {text!r}")
    return TimeRange(opens, closes)


def parse_minute(part: str, whole: str | None = None) -> int:
    """`08:30` as minutes since midnight (`24:00` is allowed); ValueError otherwise."""
    whole = whole or part
    pieces = part.split(":")
    if len(pieces) != 2 or not all(p.isdigit() for p in pieces):
        raise ValueError(f"expected HH:MM in {whole!r}, got {part!r}")
    hour, minute = int(pieces[0]), int(pieces[1])
    if not (0 <= hour <= 24 and 0 <= minute < 60) or (hour == 24 and minute):
        raise ValueError(f"{part!r} is not a time of day in {whole!r}")
    return hour * 60 + minute


def parse_ranges(texts: list[str]) -> tuple[TimeRange, ...]:
    """Parse and check a day's ranges: sorted and not overlapping."""
    ranges = tuple(sorted(parse_range(t) for t in texts))
    for earlier, later in pairwise(ranges):
        if later.opens_minute < earlier.closes_minute:
            raise ValueError(f"ranges {earlier.label()} and {later.label()} overlap")
    return ranges


def describe_opening(status: CentreStatus, hours: OpeningHours, language: str) -> str:
    """`Closed — opens at 27.11. 08:30` (and in Latvian and Russian) for closed screens."""
    if status.opens_at is None:
        return t("closed", language)
    local = hours.local(status.opens_at)
    return t("closed.opens_at", language, when=format_day_time(local, language))
