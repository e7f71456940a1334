"""Statistics from the store: visits read from the tickets projection of the event
log (with their feedback), clerk time from the counter and ticket events, figures
from `core.statistics` and `core.clerk_time`."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core import events as ev
from core.appointment_figures import BookedVisit, appointment_figures
from core.appointments import CheckInTiming, check_in_timing
from core.catalogue import Catalogue
from core.clerk_time import CounterEvent, OpeningSpan, Stint, seconds_by_group, stints
from core.days import check_period
from core.errors import InvalidInput
from core.statistics import GROUPINGS, Visit, compute, summary, time_key
from server.store.applications import lodged_between
from server.store.appointments import figures_rows
from server.store.events import clerk_time_rows, last_counter_events_before
from server.store.hours import load_exceptions
from server.store.statistics import visits_issued_between
from server.store.times import parse_time, to_db_time

COUNTER_KINDS = {ev.COUNTER_OPENED: "open", ev.COUNTER_PAUSED: "pause", ev.COUNTER_CLOSED: "close"}
TICKET_KINDS = {
    ev.TICKET_CALLED: ("hold",),
    ev.TICKET_RESUMED: ("hold",),
    ev.TICKET_WALK_DIRECT: ("hold", "start"),
    ev.TICKET_STARTED: ("start",),
    **{
        kind: ("release",)
        for kind in (
            ev.TICKET_FINISHED,
            ev.TICKET_NO_SHOW,
            ev.TICKET_PARKED,
            ev.TICKET_TRANSFERRED,
            ev.TICKET_CANCELLED,
            ev.TICKET_EXPIRED,
        )
    },
}
EVENT_KINDS = {**{kind: (name,) for kind, name in COUNTER_KINDS.items()}, **TICKET_KINDS}
"""What each event means for clerk time (a walk-in is held and started at once)."""


def bounds(catalogue: Catalogue, start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) local."""
    check_period(start, end)
    zone = ZoneInfo(catalogue.centre.timezone)
    first = datetime.combine(start, time(0), zone)
    return first, datetime.combine(end + timedelta(days=1), time(0), zone)


def period(catalogue: Catalogue, start: date, end: date) -> tuple[str, str]:
    """`bounds` as stored UTC texts."""
    first, last = bounds(catalogue, start, end)
    return to_db_time(first), to_db_time(last)


def visits(
    conn: sqlite3.Connection,
    catalogue: Catalogue,
    start: date,
    end: date,
    service_id: str | None = None,
) -> list[Visit]:
    """The visits issued in the period (local days, inclusive)."""
    low, high = period(catalogue, start, end)
    targets = {s.id: s.target_wait.total_seconds() for s in catalogue.services}
    result = []
    for row in visits_issued_between(conn, low, high, service_id):
        result.append(
            Visit(
                ticket_id=row[0],
                service_id=row[1],
                status=row[2],
                issued_at=parse_time(row[3]),  # type: ignore[arg-type]
                target_wait_seconds=targets.get(row[1], 0.0),
                counter_id=row[4],
                clerk=row[5],
                first_called_at=parse_time(row[6]),
                started_at=parse_time(row[7]),
                finished_at=parse_time(row[8]),
                walk_direct=bool(row[9]),
                rating=row[10],
            )
        )
    return result


def opening_span(conn: sqlite3.Connection, catalogue: Catalogue) -> OpeningSpan:
    """First opening and last closing of a local day, admins' exceptions applied."""
    hours = catalogue.hours.with_exceptions(load_exceptions(conn))

    def span(day: date) -> tuple[datetime, datetime] | None:
        ranges = hours.ranges_on(day)
        if not ranges:
            return None
        return hours.at(day, ranges[0].opens_minute), hours.at(day, ranges[-1].closes_minute)

    return span


def counter_events(conn: sqlite3.Connection, low: str, high: str) -> list[CounterEvent]:
    """The counter and ticket events of [low, high) that clerk time is made of."""
    result = []
    for event_type, at, counter_id, ticket_id, clerk in clerk_time_rows(
        conn, list(EVENT_KINDS), low, high
    ):
        moment = parse_time(at)
        assert moment is not None
        for kind in EVENT_KINDS[event_type]:
            result.append(CounterEvent(moment, kind, counter_id, ticket_id, clerk))
    return result


def counters_before(
    conn: sqlite3.Connection, low: datetime
) -> dict[str, tuple[str, str | None, datetime]]:
    """Each counter's state as the period starts (its last open, pause or close before)."""
    statuses = {"open": "open", "pause": "paused", "close": "closed"}
    rows = last_counter_events_before(conn, list(COUNTER_KINDS), to_db_time(low))
    return {
        counter_id: (statuses[COUNTER_KINDS[event_type]], clerk, low)
        for counter_id, event_type, clerk in rows
    }


def clerk_stints(
    conn: sqlite3.Connection, catalogue: Catalogue, low: datetime, high: datetime, now: datetime
) -> list[Stint]:
    """How the counters' time was spent in [low, high), up to `now`."""
    return stints(
        counter_events(conn, to_db_time(low), to_db_time(high)),
        until=min(now, high),
        zone=ZoneInfo(catalogue.centre.timezone),
        opening_span=opening_span(conn, catalogue),
        initial=counters_before(conn, low),
    )


@dataclass(frozen=True)
class PeriodData:
    """What the store holds for one period, read once and grouped as often as needed."""

    start: date
    end: date
    service_id: str | None
    zone: ZoneInfo
    low: datetime
    high: datetime
    visits: list[Visit]
    stints: list[Stint] | None
    """Clerk time; None with a service filter (a counter's time is not one service's)."""

    def grouped(self, grouping: str) -> dict[str, dict[str, Any]]:
        """Figures per group; clerk time for every grouping but service."""
        check_grouping(grouping)
        clerk_seconds = None
        if grouping != "service" and self.stints is not None:
            key = time_key(grouping, self.zone)
            clerk_seconds = seconds_by_group(
                self.stints, grouping, self.zone, key, self.low, self.high
            )
        return compute(self.visits, grouping, self.zone, clerk_seconds)


def check_grouping(grouping: str) -> None:
    if grouping not in GROUPINGS:
        raise InvalidInput(f"Group by one of {', '.join(GROUPINGS)}.", {"group": "invalid_choice"})


def read_period(
    conn: sqlite3.Connection,
    catalogue: Catalogue,
    start: date,
    end: date,
    service_id: str | None = None,
    *,
    now: datetime,
) -> PeriodData:
    """The visits of the period (local days, inclusive) and, without a service filter,
    how the counters' time was spent up to `now`."""
    if service_id:
        catalogue.service(service_id)  # NotFound for an unknown service
    low, high = bounds(catalogue, start, end)
    return PeriodData(
        start=start,
        end=end,
        service_id=service_id,
        zone=ZoneInfo(catalogue.centre.timezone),
        low=low,
        high=high,
        visits=visits(conn, catalogue, start, end, service_id),
        stints=None if service_id else clerk_stints(conn, catalogue, low, high, now),
    )


def statistics(
    conn: sqlite3.Connection,
    catalogue: Catalogue,
    start: date,
    end: date,
    grouping: str,
    service_id: str | None = None,
    *,
    now: datetime,
) -> dict[str, Any]:
    """`GET /api/v1/stats`."""
    check_grouping(grouping)
    data = read_period(conn, catalogue, start, end, service_id, now=now)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "group": grouping,
        "service": service_id,
        "groups": data.grouped(grouping),
    }


def application_statistics(
    conn: sqlite3.Connection, catalogue: Catalogue, start: date, end: date
) -> dict[str, Any]:
    """Applications lodged in the period, by type and status, and time to answer."""
    low, high = period(catalogue, start, end)
    by_type: dict[str, dict[str, Any]] = {}
    for type_id, status, lodged, closed in lodged_between(conn, low, high):
        entry = by_type.setdefault(type_id, {"lodged": 0, "by_status": {}, "_answer": []})
        entry["lodged"] += 1
        entry["by_status"][status] = entry["by_status"].get(status, 0) + 1
        if closed:
            entry["_answer"].append((parse_time(closed) - parse_time(lodged)).total_seconds())  # type: ignore[operator]
    for entry in by_type.values():
        entry["time_to_answer_seconds"] = summary(entry.pop("_answer"))
    return {"from": start.isoformat(), "to": end.isoformat(), "types": by_type}


def appointment_statistics(
    conn: sqlite3.Connection, catalogue: Catalogue, start: date, end: date, *, now: datetime
) -> dict[str, Any]:
    """Bookings whose time lies in the period, per service and in total
    (`core.appointment_figures`). A booking past its check-in window counts as missed
    at once, whether or not the server's upkeep has marked it yet."""
    low, high = bounds(catalogue, start, end)
    targets = {s.id: s.target_wait.total_seconds() for s in catalogue.services}
    policy = catalogue.appointment_policy

    def status_now(status: str, starts_at: datetime) -> str:
        late = check_in_timing(starts_at, policy, now) is CheckInTiming.LATE
        return "missed" if status == "booked" and late else status

    bookings = [
        BookedVisit(
            service_id=service_id,
            status=status_now(status, parse_time(starts_at)),  # type: ignore[arg-type]
            starts_at=parse_time(starts_at),  # type: ignore[arg-type]
            checked_in_at=parse_time(checked_in_at),
            first_called_at=parse_time(first_called_at),
            ticket_status=ticket_status,
            target_wait_seconds=targets.get(service_id, 0.0),
        )
        for service_id, status, starts_at, checked_in_at, first_called_at, ticket_status in (
            figures_rows(conn, low, high)
        )
    ]
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "groups": appointment_figures(bookings),
    }
