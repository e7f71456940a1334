"""Network figures from the rollups: the same figures, with the same definitions, as a
centre's own `GET /api/v1/stats` (`core.statistics.Figures`), for any set of centres.

Days are each centre's local days (a visit counts on the day it was issued, where
it was issued). Whole calendar months inside the period are read from the monthly
rollups and the days around them from the daily ones, so a quarter over hundreds
of centres reads a few thousand rows, never the events.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg

from core.errors import InvalidInput
from core.statistics import Figures, day_key
from hub.store import rollups
from hub.store.partitions import next_month

GROUPINGS = ("centre", "municipality", "service", "day", "week", "month", "quarter", "total")
MAX_DAYS = 800


@dataclass(frozen=True)
class Scope:
    """Which rollups to read: the period (local days, inclusive) and optional filters."""

    start: date
    end: date
    centre_ids: tuple[str, ...] | None = None
    """None: every centre; otherwise only these."""
    service_id: str | None = None


def check(grouping: str, start: date, end: date) -> None:
    """`InvalidInput` for an unknown grouping or a period that is backwards or too long."""
    if grouping not in GROUPINGS:
        raise InvalidInput(f"Group by one of {', '.join(GROUPINGS)}.", {"group": "invalid_choice"})
    if end < start:
        raise InvalidInput("The period ends before it starts.", {"to": "before_from"})
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(f"At most {MAX_DAYS} days at once.", {"to": "too_long"})


def split_period(start: date, end: date) -> tuple[list[tuple[date, date]], list[date]]:
    """The period as day ranges (inclusive) to read daily, and whole months to read
    monthly: `([(first, last), ...], [month start, ...])`."""
    first_whole = start if start.day == 1 else next_month(start.replace(day=1))
    months = []
    month = first_whole
    while next_month(month) - timedelta(days=1) <= end:
        months.append(month)
        month = next_month(month)
    if not months:
        return [(start, end)], []
    day_ranges = []
    if start < months[0]:
        day_ranges.append((start, months[0] - timedelta(days=1)))
    after = next_month(months[-1])
    if after <= end:
        day_ranges.append((after, end))
    return day_ranges, months


def read(
    conn: psycopg.Connection, scope: Scope, *, daily_only: bool = False
) -> Iterable[tuple[str, str, date, Figures]]:
    """(centre, service, period start, figures) rows covering the scope; `daily_only`
    for groupings finer than a month (day, week)."""
    filters, params = "", list[Any]()
    if scope.centre_ids is not None:
        filters += " AND centre_id = ANY(%s)"
        params.append(list(scope.centre_ids))
    if scope.service_id is not None:
        filters += " AND service_id = %s"
        params.append(scope.service_id)
    if daily_only:
        day_ranges, months = [(scope.start, scope.end)], list[date]()
    else:
        day_ranges, months = split_period(scope.start, scope.end)
    rows: list[tuple[str, str, date, Figures]] = []
    for first, last in day_ranges:
        rows += rollups.read(conn, "day", f"day BETWEEN %s AND %s{filters}", [first, last, *params])
    if months:
        rows += rollups.read(conn, "month", f"month = ANY(%s){filters}", [months, *params])
    return rows


def grouped(
    rows: Iterable[tuple[str, str, date, Figures]],
    grouping: str,
    municipality_of: Mapping[str, str],
) -> dict[str, dict[str, Any]]:
    """Figures per group, groups sorted by name (as `core.statistics.compute`)."""
    key = _key(grouping, municipality_of)
    groups: dict[str, Figures] = {}
    for row in rows:
        groups.setdefault(key(row), Figures()).merge(row[3])
    return {name: groups[name].as_dict() for name in sorted(groups)}


def _key(
    grouping: str, municipality_of: Mapping[str, str]
) -> Callable[[tuple[str, str, date, Figures]], str]:
    if grouping == "centre":
        return lambda row: row[0]
    if grouping == "municipality":
        return lambda row: municipality_of.get(row[0], "?")
    if grouping == "service":
        return lambda row: row[1]
    if grouping == "total":
        return lambda row: "total"
    by_day = day_key(grouping)
    return lambda row: by_day(row[2])


def figures(
    conn: psycopg.Connection,
    scope: Scope,
    grouping: str,
) -> dict[str, dict[str, Any]]:
    """The figures of the scope, grouped."""
    check(grouping, scope.start, scope.end)
    municipality_of: dict[str, str] = dict(
        conn.execute("SELECT id, municipality FROM centres").fetchall()
    )
    rows = read(conn, scope, daily_only=grouping in ("day", "week"))
    return grouped(rows, grouping, municipality_of)
