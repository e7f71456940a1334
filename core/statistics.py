"""Service statistics from recorded visits: pure functions, time zone passed in.

A visit is grouped by its *issue* time in the centre's local time (so a ticket
issued at 23:50 and called at 00:10 belongs to the day it was issued, and a
day with a DST change has 23 or 25 hours, each counted where the wall clock
put it). Waits are measured in real elapsed seconds between aware times, so
a DST change inside a wait neither adds nor removes an hour, and counted in
whole seconds, so that the network hub's rollups (`core.histogram`) give the
same median and percentiles as the centre. A visit's figures are decided in
one place, `contribution`, which the hub uses too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.clerk_time import ACTIVITIES
from core.clerk_time import summary as clerk_summary
from core.histogram import Histogram, whole_seconds

GROUPINGS = ("service", "counter", "clerk", "hour", "day", "week", "quarter", "total")


@dataclass(frozen=True)
class Visit:
    """One ticket's story (or a walk-in's), as far as statistics need it."""

    ticket_id: str
    service_id: str
    status: str
    issued_at: datetime
    target_wait_seconds: float
    counter_id: str | None = None
    clerk: str | None = None
    first_called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    walk_direct: bool = False
    rating: int | None = None


COUNTS = ("issued", "served", "no_shows", "cancelled", "expired", "walk_direct", "within_target")
"""The plain counts among a group's figures."""
RATINGS = range(1, 6)


@dataclass(frozen=True)
class Contribution:
    """What one visit adds to its group's figures: the one place where a visit's
    status and times become counts, a wait, a service time and a rating.

    Used by the centre's statistics and by the network hub's rollups alike (the
    hub adds a visit's contribution and takes it back when the visit changes)."""

    issued: int = 0
    walk_direct: int = 0
    served: int = 0
    no_shows: int = 0
    cancelled: int = 0
    expired: int = 0
    wait_seconds: int | None = None
    """Whole seconds from issue to first call; None for a walk-in or a visit not
    yet (or never) called."""
    within_target: int = 0
    service_seconds: int | None = None
    """Whole seconds from the start of service to its finish."""
    rating: int | None = None


def contribution(visit: Visit) -> Contribution:
    """A visit's figures.

    - A ticket counts as issued, a walk-in (served without a ticket) as walk-direct.
    - Served, no-show, cancelled and expired follow its current status.
    - Its wait is the whole seconds from issue to its *first* call (later calls,
      transfers and parking do not restart it); a walk-in has none.
    - It is within target when that wait is at most its service's target wait
      (the service level is the share of called visits within target: DOMAIN.md).
    - Its service time is the whole seconds from the start to the finish of its
      last service; its rating is the visitor's feedback, if given."""
    status = visit.status
    wait = None
    if visit.first_called_at is not None and not visit.walk_direct:
        wait = whole_seconds(visit.issued_at, visit.first_called_at)
    service = None
    if visit.started_at is not None and visit.finished_at is not None:
        service = whole_seconds(visit.started_at, visit.finished_at)
    return Contribution(
        issued=int(not visit.walk_direct),
        walk_direct=int(visit.walk_direct),
        served=int(status == "done"),
        no_shows=int(status == "no_show"),
        cancelled=int(status == "cancelled"),
        expired=int(status == "expired"),
        wait_seconds=wait,
        within_target=int(wait is not None and wait <= visit.target_wait_seconds),
        service_seconds=service,
        rating=visit.rating,
    )


@dataclass
class Figures:
    """The figures of one group: counts, and the waits, service times and ratings as
    whole-second histograms and rating counts, so groups merge exactly."""

    issued: int = 0
    served: int = 0
    no_shows: int = 0
    cancelled: int = 0
    expired: int = 0
    walk_direct: int = 0
    within_target: int = 0
    waits: Histogram = field(default_factory=Histogram)
    service_times: Histogram = field(default_factory=Histogram)
    ratings: dict[int, int] = field(default_factory=lambda: dict.fromkeys(RATINGS, 0))
    clerk_seconds: Mapping[str, float] | None = None

    def add(self, part: Contribution, sign: int = 1) -> None:
        """Count a visit's contribution in (or, with `sign=-1`, take it back out)."""
        for name in COUNTS:
            self._bump(name, sign * getattr(part, name))
        if part.wait_seconds is not None:
            self.waits.add(part.wait_seconds, sign)
        if part.service_seconds is not None:
            self.service_times.add(part.service_seconds, sign)
        if part.rating is not None:
            self._rate(part.rating, sign)

    def merge(self, other: Figures, sign: int = 1) -> None:
        """Add (or take away) another group's figures (clerk time is not merged)."""
        for name in COUNTS:
            self._bump(name, sign * getattr(other, name))
        self.waits.merge(other.waits, sign)
        self.service_times.merge(other.service_times, sign)
        for rating, times in other.ratings.items():
            self._rate(rating, sign * times)

    def _bump(self, name: str, by: int) -> None:
        value = getattr(self, name) + by
        if value < 0:
            raise ValueError(f"{name} would fall below zero")
        setattr(self, name, value)

    def _rate(self, rating: int, times: int) -> None:
        if rating not in self.ratings:
            raise ValueError(f"a rating is 1 to 5, not {rating!r}")
        if self.ratings[rating] + times < 0:
            raise ValueError(f"the count of rating {rating} would fall below zero")
        self.ratings[rating] += times

    def as_dict(self) -> dict[str, Any]:
        """The figures as `GET /api/v1/stats` reports them."""
        called = self.waits.count
        rated = sum(self.ratings.values())
        rating_sum = sum(rating * times for rating, times in self.ratings.items())
        return {
            "issued": self.issued,
            "served": self.served,
            "no_shows": self.no_shows,
            "cancelled": self.cancelled,
            "expired": self.expired,
            "walk_direct": self.walk_direct,
            "called": called,
            "wait_seconds": self.waits.summary(),
            "service_seconds": self.service_times.summary(),
            "serving_seconds_total": round(float(self.service_times.total), 1),
            "within_target": self.within_target,
            "service_level": service_level(self.within_target, called),
            "feedback": {
                "count": rated,
                "average": round(rating_sum / rated, 3) if rated else None,
                "distribution": {str(r): self.ratings[r] for r in RATINGS},
            },
            "clerk_time": (
                None if self.clerk_seconds is None else clerk_summary(self.clerk_seconds)
            ),
        }


def service_level(within_target: int, called: int) -> float | None:
    """The share of called visitors called within their service's target wait, to four
    places (None when nobody was called): the headline figure of a centre (DOMAIN.md)."""
    return round(within_target / called, 4) if called else None


def summary(values: Sequence[float]) -> dict[str, float | None]:
    """Mean, median, p90 and max of durations in seconds, each counted in whole
    seconds (as `Histogram.summary`; None when there are no values)."""
    return Histogram.of(math.floor(value) for value in values).summary()


def local_day(moment: datetime, zone: ZoneInfo) -> date:
    """The centre's calendar day of a moment: the day a visit issued then is counted on."""
    return moment.astimezone(zone).date()


def day_key(grouping: str) -> Callable[[date], str]:
    """The function that names the day, week (ISO), month or quarter a local day is in:
    `2026-03-10`, `2026-W11`, `2026-03`, `2026-Q1`."""

    def name(day: date) -> str:
        if grouping == "day":
            return day.isoformat()
        if grouping == "week":
            return "{}-W{:02d}".format(*day.isocalendar()[:2])
        if grouping == "month":
            return f"{day.year}-{day.month:02d}"
        return f"{day.year}-Q{(day.month - 1) // 3 + 1}"

    return name


def time_key(grouping: str, zone: ZoneInfo) -> Callable[[datetime], str]:
    """The function that names the hour, day, week or quarter of a moment (local time)."""
    if grouping == "hour":
        return lambda moment: f"{moment.astimezone(zone).hour:02d}"
    by_day = day_key(grouping)
    return lambda moment: by_day(local_day(moment, zone))


def group_key(grouping: str, zone: ZoneInfo) -> Callable[[Visit], str | None]:
    """The function that names a visit's group for `grouping`."""
    if grouping not in GROUPINGS:
        raise ValueError(f"unknown grouping {grouping!r}; use one of {', '.join(GROUPINGS)}")
    by_time = time_key(grouping, zone)
    keys: dict[str, Callable[[Visit], str | None]] = {
        "service": lambda v: v.service_id,
        "counter": lambda v: v.counter_id,
        "clerk": lambda v: v.clerk,
        "total": lambda v: "total",
    }
    return keys.get(grouping, lambda v: by_time(v.issued_at))


def compute(
    visits: Iterable[Visit],
    grouping: str,
    zone: ZoneInfo,
    clerk_seconds: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[str, dict[str, Any]]:
    """Figures per group, groups sorted by name. Visits without a group (e.g. a ticket
    never called, grouped by clerk) are left out of that grouping.

    `clerk_seconds` (from `clerk_time.seconds_by_group` for the same grouping) adds
    each group's clerk time; a group with clerk time but no visits (an idle hour)
    still appears."""
    key = group_key(grouping, zone)
    groups: dict[str, Figures] = {}
    for visit in visits:
        name = key(visit)
        if name is None:
            continue
        add(groups.setdefault(name, Figures()), visit)
    if clerk_seconds is not None:
        for name in clerk_seconds:
            groups.setdefault(name, Figures())
        for name, figures in groups.items():
            figures.clerk_seconds = clerk_seconds.get(name, dict.fromkeys(ACTIVITIES, 0.0))
    return {name: groups[name].as_dict() for name in sorted(groups)}


def add(figures: Figures, visit: Visit) -> None:
    """Count one visit into a group."""
    figures.add(contribution(visit))
