"""The manager's live picture: counters, queues with today's service level, device health,
and whether the store can be written."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from core.events import DEVICE_STATUS, TICKET_PRINT_FAILED, iso
from core.statistics import Figures, Visit, contribution
from server.engine import Engine
from server.queue_view import queue_payload
from server.store import credentials
from server.store.events import latest_of_types
from server.store.faults import StorageWatch
from server.store.statistics import called_tickets_of_day
from server.store.times import parse_time


def service_levels(conn: sqlite3.Connection, engine: Engine, day: str) -> dict[str, dict[str, Any]]:
    """Per service today: visitors called, how many within the target, the share; each
    visit counted by the statistics' own rule (`core.statistics.contribution`)."""
    rows = called_tickets_of_day(conn, day)
    targets = {s.id: s.target_wait.total_seconds() for s in engine.catalogue.services}
    groups: dict[str, Figures] = {}
    for ticket_id, service_id, status, issued, called in rows:
        if service_id not in targets:
            continue
        visit = Visit(
            ticket_id=ticket_id,
            service_id=service_id,
            status=status,
            issued_at=parse_time(issued),  # type: ignore[arg-type]
            target_wait_seconds=targets[service_id],
            first_called_at=parse_time(called),
        )
        groups.setdefault(service_id, Figures()).add(contribution(visit))
    return {
        service_id: {
            "called": figures.waits.count,
            "within_target": figures.within_target,
            "service_level": round(figures.within_target / figures.waits.count, 4),
        }
        for service_id, figures in groups.items()
    }


def recent_printer_faults(conn: sqlite3.Connection, limit: int = 10) -> list[dict[str, Any]]:
    """The latest tickets kiosks could not print, and the device state changes."""
    rows = latest_of_types(conn, (TICKET_PRINT_FAILED, DEVICE_STATUS), limit)
    faults = []
    for seq, kind, at, payload in rows:
        if kind == DEVICE_STATUS and payload.get("printer") in ("ok", "none", "unknown"):
            continue
        faults.append(
            {
                "seq": seq,
                "at": at,
                "kind": kind,
                "device": payload.get("device"),
                "ticket": payload.get("ticket", {}).get("number"),
                "error": payload.get("error") or payload.get("printer"),
                "detail": payload.get("detail"),
            }
        )
    return faults


def overview(
    conn: sqlite3.Connection, engine: Engine, now: datetime, storage: StorageWatch
) -> dict[str, Any]:
    """`GET /api/v1/overview`; `storage` is `{status: "ok"}` or the fault with the
    operator's message (see `StorageFault.as_json`)."""
    queue = queue_payload(engine, now)
    day = queue["business_day"] or ""
    levels = service_levels(conn, engine, day)
    for row in queue["services"]:
        service = engine.catalogue.service(row["service_id"])
        row["name"] = service.name.as_dict()
        row["target_wait_seconds"] = int(service.target_wait.total_seconds())
        row.update(
            levels.get(row["service_id"], {"called": 0, "within_target": 0, "service_level": None})
        )
    names = credentials.display_names(conn)
    for counter in queue["counters"]:
        counter["clerk_name"] = names.get(counter.get("clerk")) or counter.get("clerk")
        since = parse_time(counter.get("since"))
        counter["seconds_in_state"] = int((now - since).total_seconds()) if since else None
    devices = []
    for device in credentials.devices(conn, live_only=True):
        seen = parse_time(device.last_seen_at)
        devices.append(
            {
                "name": device.name,
                "role": device.role,
                "counter_id": device.counter_id,
                "last_seen_at": device.last_seen_at,
                "seconds_since_seen": int((now - seen).total_seconds()) if seen else None,
                "printer": device.status.get("printer"),
                "detail": device.status.get("detail"),
            }
        )
    return {
        "at": iso(now),
        "seq": queue["seq"],
        "business_day": day,
        "centre": queue["centre"],
        "counters": queue["counters"],
        "services": queue["services"],
        "devices": devices,
        "printer_faults": recent_printer_faults(conn),
        "ticker": queue["ticker"],
        "storage": storage.status(with_message=True),
    }
