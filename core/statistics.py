"""Service statistics from recorded visits: pure functions, time zone passed in.

A visit is grouped by its *issue* time in the centre's local time (so a ticket
issued at 23:50 and called at 00:10 belongs to the day it was issued, and a
day with a DST change has 23 or 25 hours, each counted where the wall clock
put it). Waits are measured in real elapsed seconds between aware times, so
a DST change inside a wait neither adds nor removes an hour.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from core.clerk_time import ACTIVITIES
from core.clerk_time import summary as clerk_summary

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


@dataclass
class Figures:
    """The figures of one group."""

    issued: int = 0
    served: int = 0
    no_shows: int = 0
    cancelled: int = 0
    expired: int = 0
    walk_direct: int = 0
    waits: list[float] = field(default_factory=list)
    service_times: list[float] = field(default_factory=list)
    within_target: int = 0
    ratings: list[int] = field(default_factory=list)
    clerk_seconds: Mapping[str, float] | None = None

    def as_dict(self) -> dict[str, Any]:
        called = len(self.waits)
        return {
            "issued": self.issued,
            "served": self.served,
            "no_shows": self.no_shows,
            "cancelled": self.cancelled,
            "expired": self.expired,
            "walk_direct": self.walk_direct,
            "called": called,
            "wait_seconds": summary(self.waits),
            "service_seconds": summary(self.service_times),
            "serving_seconds_total": round(sum(self.service_times), 1),
            "within_target": self.within_target,
            "service_level": round(self.within_target / called, 4) if called else None,
            "feedback": {
                "count": len(self.ratings),
                "average": round(statistics.fmean(self.ratings), 3) if self.ratings else None,
                "distribution": {str(r): self.ratings.count(r) for r in range(1, 6)},
            },
            "clerk_time": (
                None if self.clerk_seconds is None else clerk_summary(self.clerk_seconds)
            ),
        }


def percentile(values: Sequence[float], share: float) -> float:
    """Nearest-rank percentile (a value that really occurred)."""
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def summary(values: Sequence[float]) -> dict[str, float | None]:
    """Mean, median, p90 and max, in seconds (None when there are no values)."""
    if not values:
        return {"mean": None, "median": None, "p90": None, "max": None}
    return {
        "mean": round(statistics.fmean(values), 1),
        "median": round(statistics.median(values), 1),
        "p90": round(percentile(values, 0.9), 1),
        "max": round(max(values), 1),
    }


def time_key(grouping: str, zone: ZoneInfo) -> Callable[[datetime], str]:
    """The function that names the hour, day, week or quarter of a moment (local time)."""

    def name(moment: datetime) -> str:
        local = moment.astimezone(zone)
        if grouping == "hour":
            return f"{local.hour:02d}"
        if grouping == "day":
            return local.date().isoformat()
        if grouping == "week":
            return "{}-W{:02d}".format(*local.isocalendar()[:2])
        return f"{local.year}-Q{(local.month - 1) // 3 + 1}"

    return name


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
    if visit.walk_direct:
        figures.walk_direct += 1
    else:
        figures.issued += 1
    if visit.status == "done":
        figures.served += 1
    elif visit.status == "no_show":
        figures.no_shows += 1
    elif visit.status == "cancelled":
        figures.cancelled += 1
    elif visit.status == "expired":
        figures.expired += 1
    if visit.first_called_at is not None and not visit.walk_direct:
        waited = (visit.first_called_at - visit.issued_at).total_seconds()
        figures.waits.append(waited)
        figures.within_target += int(waited <= visit.target_wait_seconds)
    if visit.started_at is not None and visit.finished_at is not None:
        figures.service_times.append((visit.finished_at - visit.started_at).total_seconds())
    if visit.rating is not None:
        figures.ratings.append(visit.rating)
