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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy
import psycopg

from core.histogram import Histogram
from core.statistics import RATINGS, Figures

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
    return Histogram(dict(_PAIR.iter_unpack(data)))


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
) -> list[Packed]:
    """The rows matching `where` (SQL over the table's columns, with `%s` placeholders
    for `params`)."""
    table = TABLES[level]
    rows = conn.execute(
        f"SELECT centre_id, service_id, {level}, "
        f"{', '.join(COUNT_COLUMNS)}, wait_histogram, service_histogram, ratings "
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
            bytes(row[3 + counted]),
            bytes(row[4 + counted]),
            tuple(row[5 + counted]),
        )
        for row in rows
    ]


def merge(rows: Sequence[Packed]) -> Figures:
    """The figures of all `rows` together (as `Figures.merge` of each, in bulk)."""
    counts = [sum(column) for column in zip(*(row.counts for row in rows), strict=True)]
    ratings = [sum(column) for column in zip(*(row.ratings for row in rows), strict=True)]
    return Figures(
        **dict(zip(COUNT_COLUMNS, counts or [0] * len(COUNT_COLUMNS), strict=True)),
        waits=_merged([row.waits for row in rows]),
        service_times=_merged([row.service_times for row in rows]),
        ratings=dict(zip(RATINGS, ratings or [0] * len(RATINGS), strict=True)),
    )


def _merged(packed: list[bytes]) -> Histogram:
    """One histogram with the counts of every packed one added up."""
    data = b"".join(packed)
    if not data:
        return Histogram()
    pairs = numpy.frombuffer(data, dtype="<i4").reshape(-1, 2).astype(numpy.int64)
    seconds, where = numpy.unique(pairs[:, 0], return_inverse=True)
    # Weights are summed as doubles: exact, since no count comes near 2**53.
    totals = numpy.bincount(where, weights=pairs[:, 1], minlength=len(seconds))
    return Histogram(dict(zip(seconds.tolist(), totals.astype(numpy.int64).tolist(), strict=True)))
