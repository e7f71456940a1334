"""The network's live picture: every centre with its link and, when its link is live,
its hall as the hub knows it.

What is "now" at a centre comes from its visits (each visit's latest ticket event):
people waiting and the longest wait are the visits waiting now, "serving now" the
visits called or being served, exactly as the centre's own queue counts them
(`server.queue_view`). Counters open come from the counters' own events (a counter's
opening, pause and closing are always events). The ticket a counter holds is *not*
used: taking and releasing a ticket is no counter event, so that would be stale.
Today's figures are the rollups of the centre's own local day, by the same definitions
as its `/api/v1/stats`.

A centre whose link is not live (down, never connected, revoked) has no live figures
here at all: the hub does not know its hall, and says when it last heard of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import psycopg

from core.statistics import local_day
from hub.link_state import Link
from hub.store import rollups


@dataclass(frozen=True)
class Centre:
    """A centre as readers see it."""

    id: str
    name: str
    municipality: str
    timezone: str | None
    link: Link
    events_stored: int
    catalogue_version: int | None = None
    """The national catalogue version the centre last said it runs."""

    def today(self, now: datetime) -> date | None:
        """The centre's local day at `now` (None before it sent its time zone)."""
        return local_day(now, ZoneInfo(self.timezone)) if self.timezone else None


def centres(
    conn: psycopg.Connection,
    *,
    municipality: str | None = None,
    centre_ids: Iterable[str] | None = None,
) -> list[Centre]:
    """Centres by municipality and id, optionally of one municipality or only these."""
    where, params = [], list[Any]()
    if municipality is not None:
        where.append("municipality = %s")
        params.append(municipality)
    if centre_ids is not None:
        where.append("id = ANY(%s)")
        params.append(list(centre_ids))
    rows = conn.execute(
        "SELECT id, name, municipality, timezone, acknowledged_seq, log_end, last_event_at, "
        "last_contact_at, revoked_at IS NOT NULL, events_stored, catalogue_version FROM centres"
        + (f" WHERE {' AND '.join(where)}" if where else "")
        + " ORDER BY municipality, name, id",
        params,
    ).fetchall()
    return [
        Centre(
            id=row[0],
            name=row[1],
            municipality=row[2],
            timezone=row[3],
            link=Link(
                acknowledged_seq=row[4],
                log_end=row[5],
                last_event_at=row[6],
                last_contact_at=row[7],
                revoked=row[8],
            ),
            events_stored=row[9],
            catalogue_version=row[10],
        )
        for row in rows
    ]


def live(conn: psycopg.Connection, shown: list[Centre], now: datetime) -> list[dict[str, Any]]:
    """Each centre with its link and, where the link is live, its hall now and today."""
    current = [c for c in shown if c.link.state(now).live]
    ids = [c.id for c in current]
    halls: dict[str, tuple[int, datetime | None, int]] = {}
    for centre_id, waiting, oldest, serving in conn.execute(
        "SELECT centre_id, count(*) FILTER (WHERE status = 'waiting'), "
        "min(issued_at) FILTER (WHERE status = 'waiting'), "
        "count(*) FILTER (WHERE status IN ('called', 'serving')) "
        "FROM visits WHERE centre_id = ANY(%s) "
        "AND status IN ('waiting', 'called', 'serving', 'parked') GROUP BY centre_id",
        (ids,),
    ):
        halls[centre_id] = (waiting, oldest, serving)
    open_counters: dict[str, int] = dict(
        conn.execute(
            "SELECT centre_id, count(*) FROM counter_states "
            "WHERE centre_id = ANY(%s) AND status = 'open' GROUP BY centre_id",
            (ids,),
        ).fetchall()
    )
    days = {c.id: c.today(now) for c in current}
    known = [(centre_id, day) for centre_id, day in days.items() if day is not None]
    today_rows: dict[str, list[rollups.Packed]] = {}
    for row in rollups.read(
        conn,
        "day",
        "(centre_id, day) IN (SELECT * FROM unnest(%s::text[], %s::date[]))",
        [[k[0] for k in known], [k[1] for k in known]],
    ):
        today_rows.setdefault(row.centre_id, []).append(row)
    result = []
    for centre in shown:
        entry: dict[str, Any] = {
            "id": centre.id,
            "name": centre.name,
            "municipality": centre.municipality,
            "link": centre.link.as_json(now),
            "live": None,
        }
        if centre.id in days:
            day = days[centre.id]
            waiting, oldest, serving = halls.get(centre.id, (0, None, 0))
            figures = rollups.merge(today_rows.get(centre.id, [])).as_dict()  # as /stats
            entry["live"] = {
                "day": day.isoformat() if day else None,
                "counters_open": open_counters.get(centre.id, 0),
                "waiting": waiting,
                "longest_wait_seconds": (
                    max(0, int((now - oldest).total_seconds())) if oldest is not None else 0
                ),
                "serving": serving,
                "issued_today": figures["issued"] + figures["walk_direct"],
                "served_today": figures["served"],
                "called_today": figures["called"],
                "within_target_today": figures["within_target"],
                "service_level_today": figures["service_level"],
            }
        result.append(entry)
    return result
