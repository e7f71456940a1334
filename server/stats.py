"""Statistics from the store: visits read from the tickets projection of the event
log (with their feedback), figures from `core.statistics`."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.catalogue import Catalogue
from core.errors import InvalidInput
from core.statistics import GROUPINGS, Visit, compute, summary
from server.store.rows import parse_time
from server.store.writer import to_db_time

MAX_DAYS = 400


def period(catalogue: Catalogue, start: date, end: date) -> tuple[str, str]:
    """[start 00:00, end+1 00:00) local, as stored UTC texts."""
    if end < start:
        raise InvalidInput("The period ends before it starts.", {"to": "before_from"})
    if (end - start).days > MAX_DAYS:
        raise InvalidInput(f"At most {MAX_DAYS} days at once.", {"to": "too_long"})
    zone = ZoneInfo(catalogue.centre.timezone)
    first = datetime.combine(start, time(0), zone)
    last = datetime.combine(end + timedelta(days=1), time(0), zone)
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
    sql = (
        "SELECT t.id, t.original_service_id, t.status, t.issued_at, t.counter_id, t.clerk, "
        "t.first_called_at, t.started_at, t.finished_at, t.walk_direct, f.rating "
        "FROM tickets t LEFT JOIN feedback f ON f.ticket_id = t.id "
        "WHERE t.issued_at >= ? AND t.issued_at < ?"
    )
    params: list[Any] = [low, high]
    if service_id:
        sql += " AND t.original_service_id = ?"
        params.append(service_id)
    result = []
    for row in conn.execute(sql, params):
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


def statistics(
    conn: sqlite3.Connection,
    catalogue: Catalogue,
    start: date,
    end: date,
    grouping: str,
    service_id: str | None = None,
) -> dict[str, Any]:
    """`GET /api/v1/stats`."""
    if grouping not in GROUPINGS:
        raise InvalidInput(f"Group by one of {', '.join(GROUPINGS)}.", {"group": "invalid_choice"})
    if service_id:
        catalogue.service(service_id)  # NotFound for an unknown service
    zone = ZoneInfo(catalogue.centre.timezone)
    found = visits(conn, catalogue, start, end, service_id)
    return {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "group": grouping,
        "service": service_id,
        "groups": compute(found, grouping, zone),
    }


def application_statistics(
    conn: sqlite3.Connection, catalogue: Catalogue, start: date, end: date
) -> dict[str, Any]:
    """Applications lodged in the period, by type and status, and time to answer."""
    low, high = period(catalogue, start, end)
    by_type: dict[str, dict[str, Any]] = {}
    for type_id, status, lodged, closed in conn.execute(
        "SELECT type_id, status, lodged_at, closed_at FROM applications "
        "WHERE lodged_at >= ? AND lodged_at < ?",
        (low, high),
    ):
        entry = by_type.setdefault(type_id, {"lodged": 0, "by_status": {}, "_answer": []})
        entry["lodged"] += 1
        entry["by_status"][status] = entry["by_status"].get(status, 0) + 1
        if closed:
            entry["_answer"].append((parse_time(closed) - parse_time(lodged)).total_seconds())  # type: ignore[operator]
    for entry in by_type.values():
        entry["time_to_answer_seconds"] = summary(entry.pop("_answer"))
    return {"from": start.isoformat(), "to": end.isoformat(), "types": by_type}
