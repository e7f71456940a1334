"""Network figures from the rollups: the same figures, with the same definitions, as a
centre's own `GET /api/v1/stats` (`core.statistics.Figures`), for any set of centres.

Days are each centre's local days (a visit counts on the day it was issued, where
it was issued). Whole calendar months inside the period are read from the monthly
rollups and the days around them from the daily ones, so a quarter over hundreds
of centres reads a few thousand rows, never the events.

What the network figures are not: clerk time (idle, calling, serving, paused) is a
centre's own figure and is not rolled up here, so there is no grouping by clerk,
counter or hour of day; and a visit's target wait is the one its centre's catalogue
gave when the visit was shipped (docs/network.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import psycopg

from core.days import check_period
from core.errors import InvalidInput
from core.statistics import day_key
from hub.store import rollups
from hub.store.partitions import next_month

GROUPINGS = ("centre", "municipality", "service", "day", "week", "month", "quarter", "total")


@dataclass(frozen=True)
class Scope:
    """Which rollups to read: the period (local days, inclusive) and optional filters."""

    start: date
    end: date
    centre_ids: tuple[str, ...] | None = None
    """None: every centre; otherwise only these."""
    service_id: str | None = None


def check(grouping: str, start: date, end: date) -> None:
    """`InvalidInput` for an unknown grouping or a period that is backwards or too long
    (`core.days.check_period`, as at a centre)."""
    if grouping not in GROUPINGS:
        raise InvalidInput(f"Group by one of {', '.join(GROUPINGS)}.", {"group": "invalid_choice"})
    check_period(start, end)


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
    conn: psycopg.Connection,
    scope: Scope,
    *,
    daily_only: bool = False,
    histograms: bool = True,
) -> list[rollups.Packed]:
    """The rollup rows covering the scope; `daily_only` for groupings finer than a
    month (day, week); without histograms for counts only (`rollups.counted`)."""
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
    rows: list[rollups.Packed] = []
    for first, last in day_ranges:
        where = f"day BETWEEN %s AND %s{filters}"
        rows += rollups.read(conn, "day", where, [first, last, *params], histograms=histograms)
    if months:
        where = f"month = ANY(%s){filters}"
        rows += rollups.read(conn, "month", where, [months, *params], histograms=histograms)
    return rows


def group_rows(
    rows: Iterable[rollups.Packed],
    grouping: str,
    municipality_of: Mapping[str, str],
) -> dict[str, list[rollups.Packed]]:
    """The rows of each group, groups sorted by name."""
    key = _key(grouping, municipality_of)
    groups: dict[str, list[rollups.Packed]] = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    return {name: groups[name] for name in sorted(groups)}


def grouped(
    rows: Iterable[rollups.Packed],
    grouping: str,
    municipality_of: Mapping[str, str],
) -> dict[str, dict[str, Any]]:
    """Figures per group, groups sorted by name (as `core.statistics.compute`)."""
    merged = rollups.merge_groups(group_rows(rows, grouping, municipality_of))
    return {name: figures.as_dict() for name, figures in merged.items()}


def _key(grouping: str, municipality_of: Mapping[str, str]) -> Callable[[rollups.Packed], str]:
    if grouping == "centre":
        return lambda row: row.centre_id
    if grouping == "municipality":
        return lambda row: municipality_of.get(row.centre_id, "?")
    if grouping == "service":
        return lambda row: row.service_id
    if grouping == "total":
        return lambda row: "total"
    by_day = day_key(grouping)
    return lambda row: by_day(row.start)


def municipalities(conn: psycopg.Connection) -> dict[str, str]:
    """Centre id -> its municipality."""
    return dict(conn.execute("SELECT id, municipality FROM centres").fetchall())


def figures(
    conn: psycopg.Connection,
    scope: Scope,
    grouping: str,
) -> dict[str, dict[str, Any]]:
    """The figures of the scope, grouped."""
    check(grouping, scope.start, scope.end)
    rows = read(conn, scope, daily_only=grouping in ("day", "week"))
    return grouped(rows, grouping, municipalities(conn))
