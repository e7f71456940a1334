"""Monthly partitions of the events table (by the event's time, in UTC months).

A partition is created the first time an event of its month arrives, in a short
transaction of its own before the ingest transaction (creating a partition locks
the parent table briefly); old months can later be detached or dropped whole.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import UTC, date, datetime, time

import psycopg
from psycopg import sql

PARTITION_LOCK = 0x72696E6462


def month_of(moment: datetime) -> date:
    """The first day of the UTC month of `moment`."""
    utc = moment.astimezone(UTC)
    return date(utc.year, utc.month, 1)


def next_month(month: date) -> date:
    """The first day of the following month."""
    return date(month.year + month.month // 12, month.month % 12 + 1, 1)


def partition_name(month: date) -> str:
    """`events_2026_11` for November 2026."""
    return f"events_{month.year:04d}_{month.month:02d}"


class Partitions:
    """Creates missing monthly partitions; remembers the ones that exist."""

    def __init__(self) -> None:
        self._known: set[date] = set()
        self._lock = threading.Lock()

    def load(self, conn: psycopg.Connection) -> None:
        """Learn which partitions exist."""
        rows = conn.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'events'::regclass"
        ).fetchall()
        with self._lock:
            for (name,) in rows:
                _, year, month = name.split("_")
                self._known.add(date(int(year), int(month), 1))

    def ensure_between(self, conn: psycopg.Connection, first: datetime, last: datetime) -> None:
        """Make sure every month from `first`'s to `last`'s has its partition."""
        months = []
        month, end = month_of(first), month_of(last)
        while month <= end:
            months.append(month)
            month = next_month(month)
        self.ensure_months(conn, months)

    def ensure(self, conn: psycopg.Connection, moments: Iterable[datetime]) -> None:
        """Make sure the months of `moments` have partitions. `conn` must be in
        autocommit mode and not inside a transaction."""
        self.ensure_months(conn, {month_of(moment) for moment in moments})

    def ensure_months(self, conn: psycopg.Connection, months: Iterable[date]) -> None:
        """Make sure these months (first days) have partitions."""
        with self._lock:
            missing = sorted(set(months) - self._known)
        for month in missing:
            with conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (PARTITION_LOCK,))
                conn.execute(
                    sql.SQL(
                        "CREATE TABLE IF NOT EXISTS {} PARTITION OF events "
                        "FOR VALUES FROM ({}) TO ({})"
                    ).format(
                        sql.Identifier(partition_name(month)),
                        sql.Literal(datetime(month.year, month.month, 1, tzinfo=UTC)),
                        sql.Literal(datetime.combine(next_month(month), time(0), UTC)),
                    )
                )
            with self._lock:
                self._known.add(month)
