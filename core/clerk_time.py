"""How clerks spent their time at the counters, from the event log: pure functions,
time zone and opening hours passed in.

A counter's time is split into *stints* of one activity:

- **calling**: a visitor has been called (or resumed, or is a walk-in) and has not
  started yet; **serving**: started, until the visit leaves the counter (finished,
  no-show, parked, transferred, cancelled, expired). Busy time counts whenever it
  happens, but never past the local midnight after it began (a visit held overnight
  is a slip that housekeeping closes the next morning).
- **idle**: the counter is open and holds nobody; **paused**: paused and holds
  nobody. Idle and paused time count only within the day's opening span (first
  opening to last closing, exceptions applied), so a counter left open overnight,
  or opened early to prepare, adds no idle time.

Time belongs to the clerk who opened the counter (or, if unknown, the clerk on
the visit). A closed counter adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

ACTIVITIES = ("idle", "calling", "serving", "paused")
KINDS = ("open", "pause", "close", "hold", "start", "release")

UTC = ZoneInfo("UTC")

OpeningSpan = Callable[[date], tuple[datetime, datetime] | None]
"""The first opening and last closing of a local day, or None when closed all day."""


@dataclass(frozen=True)
class CounterEvent:
    """One change that matters for clerk time, in log order.

    `open`/`pause`/`close` and `hold` name their counter; `start` and `release`
    name the ticket (the counter holding it is remembered from its `hold`)."""

    at: datetime
    kind: str
    counter_id: str | None = None
    ticket_id: str | None = None
    clerk: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown counter event kind {self.kind!r}")


@dataclass(frozen=True)
class Stint:
    """A stretch of one activity at one counter."""

    counter_id: str
    clerk: str | None
    activity: str
    start: datetime
    end: datetime

    @property
    def seconds(self) -> float:
        return (self.end - self.start).total_seconds()


@dataclass
class _Counter:
    status: str = "closed"
    clerk: str | None = None
    held: str | None = None
    held_clerk: str | None = None
    started: bool = False
    since: datetime | None = None


def next_midnight(moment: datetime, zone: ZoneInfo) -> datetime:
    """The local midnight after `moment`."""
    day = moment.astimezone(zone).date() + timedelta(days=1)
    return datetime.combine(day, time(0), zone)


def stints(
    events: Iterable[CounterEvent],
    *,
    until: datetime,
    zone: ZoneInfo,
    opening_span: OpeningSpan,
    initial: Mapping[str, tuple[str, str | None, datetime]] | None = None,
) -> list[Stint]:
    """The stints from the events up to `until`.

    `initial` gives counters' state before the first event: (status, clerk, since)
    with status open, paused or closed."""
    counters: dict[str, _Counter] = {}
    for counter_id, (status, clerk, since) in (initial or {}).items():
        counters[counter_id] = _Counter(status=status, clerk=clerk, since=since)
    holders: dict[str, str] = {}
    result: list[Stint] = []

    def flush(counter_id: str, state: _Counter, moment: datetime) -> None:
        if state.since is not None and moment > state.since:
            result.extend(_pieces(counter_id, state, state.since, moment, zone, opening_span))
        state.since = moment if state.since is None else max(state.since, moment)

    for event in events:
        if event.at > until:
            break
        if event.kind in ("start", "release"):
            target = holders.get(event.ticket_id or "")
        else:
            target = event.counter_id
        if target is None:
            continue
        state = counters.setdefault(target, _Counter())
        flush(target, state, event.at)
        if event.kind == "open":
            state.status, state.clerk = "open", event.clerk or state.clerk
        elif event.kind == "pause":
            state.status = "paused"
        elif event.kind == "close":
            state.status, state.clerk = "closed", None
        elif event.kind == "hold":
            if state.held is not None:
                holders.pop(state.held, None)
            state.held, state.held_clerk, state.started = event.ticket_id, event.clerk, False
            holders[event.ticket_id or ""] = target
        elif event.kind == "start":
            state.started = state.held == event.ticket_id
        elif event.kind == "release":
            holders.pop(event.ticket_id or "", None)
            if state.held == event.ticket_id:
                state.held, state.held_clerk, state.started = None, None, False
    for counter_id, state in counters.items():
        flush(counter_id, state, until)
    return result


def _pieces(
    counter_id: str,
    state: _Counter,
    start: datetime,
    end: datetime,
    zone: ZoneInfo,
    opening_span: OpeningSpan,
) -> list[Stint]:
    clerk = state.clerk or state.held_clerk
    if state.held is not None:
        activity = "serving" if state.started else "calling"
        stop = min(end, next_midnight(start, zone))
        return [Stint(counter_id, clerk, activity, start, stop)] if stop > start else []
    if state.status == "closed":
        return []
    activity = "idle" if state.status == "open" else "paused"
    pieces = []
    moment = start
    while moment < end:
        midnight = next_midnight(moment, zone)
        span = opening_span(moment.astimezone(zone).date())
        if span is not None:
            low, high = max(moment, span[0]), min(end, midnight, span[1])
            if high > low:
                pieces.append(Stint(counter_id, clerk, activity, low, high))
        moment = midnight
    return pieces


def next_boundary(grouping: str, moment: datetime, zone: ZoneInfo) -> datetime | None:
    """Where the time group containing `moment` ends (None: the group never ends)."""
    local = moment.astimezone(zone)
    if grouping == "hour":
        # Through UTC: an hour step across a DST change is one real hour.
        hour_start = local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)
        return hour_start + timedelta(hours=1)
    if grouping == "day":
        return datetime.combine(local.date() + timedelta(days=1), time(0), zone)
    if grouping == "week":
        monday = local.date() + timedelta(days=7 - local.weekday())
        return datetime.combine(monday, time(0), zone)
    if grouping == "quarter":
        month = (local.month - 1) // 3 * 3 + 4
        year = local.year + (month > 12)
        return datetime.combine(date(year, (month - 1) % 12 + 1, 1), time(0), zone)
    return None


def seconds_by_group(
    found: Iterable[Stint],
    grouping: str,
    zone: ZoneInfo,
    key_of_time: Callable[[datetime], str],
    low: datetime,
    high: datetime,
) -> dict[str, dict[str, float]]:
    """Seconds per activity per group, within [low, high). Time groupings split a stint
    where the hour, day, week or quarter changes; counter and clerk group it whole."""
    groups: dict[str, dict[str, float]] = {}
    for stint in found:
        start, end = max(stint.start, low), min(stint.end, high)
        while start < end:
            if grouping == "counter":
                name: str | None = stint.counter_id
            elif grouping == "clerk":
                name = stint.clerk
            elif grouping == "total":
                name = "total"
            else:
                name = key_of_time(start)
            boundary = next_boundary(grouping, start, zone)
            stop = end if boundary is None else min(end, boundary)
            if name is not None:
                bucket = groups.setdefault(name, dict.fromkeys(ACTIVITIES, 0.0))
                bucket[stint.activity] += (stop - start).total_seconds()
            start = stop
    return groups


def summary(seconds: Mapping[str, float]) -> dict[str, float | None]:
    """A group's clerk time: seconds per activity, present time and the busy share."""
    present = seconds["idle"] + seconds["calling"] + seconds["serving"]
    busy = seconds["calling"] + seconds["serving"]
    return {
        "idle_seconds": round(seconds["idle"], 1),
        "calling_seconds": round(seconds["calling"], 1),
        "serving_seconds": round(seconds["serving"], 1),
        "paused_seconds": round(seconds["paused"], 1),
        "present_seconds": round(present, 1),
        "busy_share": round(busy / present, 4) if present else None,
    }
