"""Rollup rows: a `core.statistics.Figures` per centre x service x day (and x month).

The counts are plain columns (SQL can add them up); the wait and service-time
histograms are `bytea`, packed as little-endian int32 pairs (seconds, count),
shortest first: compact to store and fast to read back and merge in bulk. A report
over many rows reads them packed (`Packed`) and merges a group's histograms at once
(`merge`: numpy adds the counts), then reads its figures through the same
`Figures` as a centre.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy
import psycopg

from core.histogram import Histogram
from core.statistics import RATINGS, Figures, service_level

_PAIR = struct.Struct("<ii")

TABLES = {"day": "rollups_daily", "month": "rollups_monthly"}
"""Rollup level -> table; a row's period column is named after its level."""
COUNT_COLUMNS = (
    "issued",
    "served",
    "no_shows",
    "cancelled",
    "expired",
    "walk_direct",
    "within_target",
)
COLUMNS = (
    *COUNT_COLUMNS,
    "called",
    "wait_seconds_sum",
    "wait_histogram",
    "service_count",
    "service_seconds_sum",
    "service_histogram",
    "ratings",
)
RollupKey = tuple[str, date]
"""(service id, first day of the period)."""


@dataclass
class Change:
    """What a batch changes in one rollup row: visits' figures added, and the earlier
    figures of the same visits taken back out."""

    added: Figures = field(default_factory=Figures)
    removed: Figures = field(default_factory=Figures)


def pack(histogram: Histogram) -> bytes:
    """A histogram as stored."""
    flat = [number for pair in histogram.items() for number in pair]
    return struct.pack(f"<{len(flat)}i", *flat)


def unpack(data: bytes) -> Histogram:
    """A stored histogram."""
    return Histogram.of_counts(dict(_PAIR.iter_unpack(data)))


def to_row(figures: Figures) -> tuple[Any, ...]:
    """The column values of `COLUMNS`."""
    return (
        *(getattr(figures, name) for name in COUNT_COLUMNS),
        figures.waits.count,
        figures.waits.total,
        pack(figures.waits),
        figures.service_times.count,
        figures.service_times.total,
        pack(figures.service_times),
        [figures.ratings[r] for r in RATINGS],
    )


def from_row(row: Sequence[Any]) -> Figures:
    """Figures from the values of `COLUMNS` (in that order)."""
    counts = dict(zip(COUNT_COLUMNS, row[: len(COUNT_COLUMNS)], strict=True))
    rest = row[len(COUNT_COLUMNS) :]
    return Figures(
        **counts,
        waits=unpack(bytes(rest[2])),
        service_times=unpack(bytes(rest[5])),
        ratings=dict(zip(RATINGS, rest[6], strict=True)),
    )


def apply_deltas(
    conn: psycopg.Connection,
    level: str,
    centre_id: str,
    deltas: dict[RollupKey, Change],
) -> None:
    """Apply each change to its stored row (creating rows as needed). The caller holds
    the centre's lock, so no other transaction changes these rows meanwhile."""
    if not deltas:
        return
    table, period = TABLES[level], level
    services = [key[0] for key in deltas]
    periods = [key[1] for key in deltas]
    stored: dict[RollupKey, Figures] = {}
    for service_id, start, *values in conn.execute(
        f"SELECT service_id, {period}, {', '.join(COLUMNS)} FROM {table} "
        f"WHERE centre_id = %s AND ({period}, service_id) IN "
        f"(SELECT * FROM unnest(%s::date[], %s::text[]))",
        (centre_id, periods, services),
    ):
        stored[(service_id, start)] = from_row(values)
    rows = []
    for key, delta in deltas.items():
        figures = stored.get(key) or Figures()
        figures.merge(delta.added)
        figures.merge(delta.removed, sign=-1)
        rows.append((centre_id, key[0], key[1], *to_row(figures)))
    names = ", ".join(("centre_id", "service_id", period, *COLUMNS))
    marks = ", ".join(["%s"] * (3 + len(COLUMNS)))
    updates = ", ".join(f"{name} = excluded.{name}" for name in COLUMNS)
    conn.cursor().executemany(
        f"INSERT INTO {table} ({names}) VALUES ({marks}) "
        f"ON CONFLICT (centre_id, {period}, service_id) DO UPDATE SET {updates}",
        rows,
    )


@dataclass(frozen=True, slots=True)
class Packed:
    """A rollup row as read: its counts, and its histograms still packed."""

    centre_id: str
    service_id: str
    start: date
    counts: tuple[int, ...]
    """The values of `COUNT_COLUMNS`."""
    called: int
    """How many visits were called (the count of the waits' histogram)."""
    waits: bytes
    service_times: bytes
    ratings: tuple[int, ...]
    """Counts of ratings 1 to 5."""

    def figures(self) -> Figures:
        """The row's figures."""
        return merge([self])


def read(
    conn: psycopg.Connection,
    level: str,
    where: str,
    params: Iterable[Any],
    *,
    histograms: bool = True,
) -> list[Packed]:
    """The rows matching `where` (SQL over the table's columns, with `%s` placeholders
    for `params`); without their histograms (empty) if `histograms` is false, when only
    their counts are wanted (`counted`)."""
    table = TABLES[level]
    packed = "wait_histogram, service_histogram" if histograms else "''::bytea, ''::bytea"
    rows = conn.cursor(binary=True).execute(  # binary: the histograms come as they are
        f"SELECT centre_id, service_id, {level}, "
        f"{', '.join(COUNT_COLUMNS)}, called, {packed}, ratings "
        f"FROM {table} WHERE {where}",
        list(params),
    )
    counted = len(COUNT_COLUMNS)
    return [
        Packed(
            row[0],
            row[1],
            row[2],
            tuple(row[3 : 3 + counted]),
            row[3 + counted],
            bytes(row[4 + counted]),
            bytes(row[5 + counted]),
            tuple(row[6 + counted]),
        )
        for row in rows
    ]


def merge(rows: Sequence[Packed]) -> Figures:
    """The figures of all `rows` together (as `Figures.merge` of each, in bulk)."""
    return merge_groups({"": rows})[""]


def merge_groups(groups: Mapping[str, Sequence[Packed]]) -> dict[str, Figures]:
    """The figures of each group of rows (as `merge` of each group)."""
    names = list(groups)
    waits = _merged([[row.waits for row in groups[name]] for name in names])
    service_times = _merged([[row.service_times for row in groups[name]] for name in names])
    result = {}
    for index, name in enumerate(names):
        rows = groups[name]
        counts = [sum(column) for column in zip(*(row.counts for row in rows), strict=True)]
        ratings = [sum(column) for column in zip(*(row.ratings for row in rows), strict=True)]
        result[name] = Figures(
            **dict(zip(COUNT_COLUMNS, counts or [0] * len(COUNT_COLUMNS), strict=True)),
            waits=waits[index],
            service_times=service_times[index],
            ratings=dict(zip(RATINGS, ratings or [0] * len(RATINGS), strict=True)),
        )
    return result


@dataclass(frozen=True)
class Counts:
    """What rows add up to without their histograms: enough for volumes and the service
    level (`core.statistics.service_level`), read in a moment for any number of rows."""

    visits: int
    """Tickets issued and walk-ins."""
    served: int
    within_target: int
    called: int

    @property
    def service_level(self) -> float | None:
        return service_level(self.within_target, self.called)


def counted(rows: Sequence[Packed]) -> Counts:
    """The counts of all `rows` together."""
    index = {name: position for position, name in enumerate(COUNT_COLUMNS)}
    columns = [sum(column) for column in zip(*(row.counts for row in rows), strict=True)]
    if not columns:
        return Counts(0, 0, 0, 0)
    return Counts(
        visits=columns[index["issued"]] + columns[index["walk_direct"]],
        served=columns[index["served"]],
        within_target=columns[index["within_target"]],
        called=sum(row.called for row in rows),
    )


def _merged(groups: list[list[bytes]]) -> list[Histogram]:
    """For each group of packed histograms, one with their counts added up."""
    return [_merged_one(b"".join(packed)) for packed in groups]


def _merged_one(data: bytes) -> Histogram:
    if not data:
        return Histogram()
    pairs = numpy.frombuffer(data, dtype="<i4").reshape(-1, 2)
    durations, counts = pairs[:, 0], pairs[:, 1]
    # Weights are summed as doubles: exact, since no count comes near 2**53.
    try:  # as always: count into a slot per second
        totals = numpy.bincount(durations, weights=counts)
        seconds = numpy.flatnonzero(totals)
    except ValueError:  # a negative duration (a clock set back): count by rank instead
        seconds, where = numpy.unique(durations, return_inverse=True)
        totals = numpy.bincount(where, weights=counts, minlength=len(seconds))
        return Histogram.of_counts(
            dict(zip(seconds.tolist(), totals.astype(numpy.int64).tolist(), strict=True))
        )
    amounts = totals[seconds].astype(numpy.int64)
    return Histogram.of_counts(dict(zip(seconds.tolist(), amounts.tolist(), strict=True)))
