"""The rollups give what `core.statistics` gives on the same visits: across days, months,
midnight and a DST change, with visits changing after they were first counted, and
whether a period is read from daily or monthly rows."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import psycopg
import pytest

from core.statistics import Visit, compute
from hub.accounts import add_centre
from hub.figures import Scope, figures, grouped, read, split_period
from hub.ingest import ingest
from hub.store.partitions import Partitions
from hub.wire import parse_batch

RIGA = ZoneInfo("Europe/Riga")
SERVICES = {"residence": 900, "certificates": 600, "council": 1200}


def history(count: int, seed: int = 5) -> list[tuple[Visit, list[tuple[str, dict]]]]:
    """Visits from 20 March to 10 May 2026 (over the DST change of 29 March), each with
    the ticket events that tell its story (some no-shows reactivated and served, some
    rated after service)."""
    rng = random.Random(seed)
    start = datetime(2026, 3, 20, 0, tzinfo=RIGA)
    result = []
    for n in range(count):
        issued = start + timedelta(
            days=rng.randint(0, 51), minutes=rng.randint(0, 24 * 60 - 1), seconds=rng.random() * 60
        )
        service = rng.choice(list(SERVICES))
        walk_in = rng.random() < 0.05
        ticket = {
            "id": f"t{n}",
            "original_service_id": service,
            "status": "waiting",
            "issued_at": issued.isoformat(),
            "walk_direct": walk_in,
            "target_wait_seconds": SERVICES[service],
            "counter_id": None,
        }
        story = [("ticket.walk_direct" if walk_in else "ticket.issued", dict(ticket))]
        roll = rng.random()
        rating = None
        if roll < 0.1:
            ticket["status"] = rng.choice(["cancelled", "expired"])
            story.append((f"ticket.{ticket['status']}", dict(ticket)))
        elif roll > 0.15:
            called = issued + timedelta(seconds=0 if walk_in else rng.expovariate(1 / 700))
            ticket.update(
                status="called", first_called_at=called.isoformat(), counter_id="c1", staff_id="s-1"
            )
            story.append(("ticket.called", dict(ticket)))
            if rng.random() < 0.15:
                ticket["status"] = "no_show"
                story.append(("ticket.no_show", dict(ticket)))
                if rng.random() < 0.5:
                    ticket["status"] = "waiting"
                    story.append(("ticket.reactivated", dict(ticket)))
            if ticket["status"] != "no_show":
                started = called + timedelta(seconds=rng.randint(10, 90))
                finished = started + timedelta(seconds=rng.expovariate(1 / 400))
                ticket.update(
                    status="done", started_at=started.isoformat(), finished_at=finished.isoformat()
                )
                story.append(("ticket.finished", dict(ticket)))
                if rng.random() < 0.4:
                    rating = rng.randint(1, 5)
                    story.append(("feedback.given", {"rating": rating, "ticket_id": f"t{n}"}))

        def moment(key: str, ticket: dict = ticket) -> datetime | None:
            return datetime.fromisoformat(ticket[key]) if ticket.get(key) else None

        visit = Visit(
            f"t{n}",
            service,
            ticket["status"],
            issued.astimezone(UTC),
            float(SERVICES[service]),
            counter_id=ticket["counter_id"],
            clerk=None,
            first_called_at=moment("first_called_at"),
            started_at=moment("started_at"),
            finished_at=moment("finished_at"),
            walk_direct=walk_in,
            rating=rating,
        )
        result.append((visit, story))
    return result


def shipped(stories: list[list[tuple[str, dict]]], seed: int = 9) -> list[dict]:
    """The events of all stories interleaved in a plausible log order."""
    rng = random.Random(seed)
    queues = [list(story) for story in stories]
    events, seq = [], 0
    while queues:
        queue = rng.choice(queues)
        kind, data = queue.pop(0)
        if not queue:
            queues.remove(queue)
        seq += 1
        at = data.get("finished_at") or data.get("first_called_at") or data.get("issued_at")
        if kind == "feedback.given":
            event = {
                "seq": seq,
                "type": kind,
                "at": "2026-05-20T10:00:00+00:00",
                "ticket_id": data["ticket_id"],
                "data": {"rating": data["rating"]},
            }
        else:
            event = {
                "seq": seq,
                "type": kind,
                "at": at,
                "ticket_id": data["id"],
                "data": {"ticket": data},
            }
        events.append({**event, "schema_version": 1})
    return events


@pytest.fixture(scope="module")
def visits_and_events() -> tuple[list[Visit], list[dict]]:
    made = history(1500)
    return [visit for visit, _ in made], shipped([story for _, story in made])


def load(conn: psycopg.Connection, events: list[dict], batch: int = 97) -> None:
    add_centre(conn, "riga", "Rīga", "Rīga", datetime.now(UTC))
    conn.execute("UPDATE centres SET timezone = 'Europe/Riga' WHERE id = 'riga'")
    partitions = Partitions()
    now = datetime.now(UTC)
    for first in range(0, len(events), batch):
        part = events[first : first + batch]
        body = {"after": first, "through": first + len(part), "events": part}
        ingest(conn, "riga", parse_batch(body), json.dumps(body), now, partitions)


@pytest.mark.parametrize("grouping", ["service", "day", "week", "quarter", "total"])
def test_rollups_equal_the_centre_statistics(hub_conn, visits_and_events, grouping) -> None:
    visits, events = visits_and_events
    load(hub_conn, events)
    scope = Scope(date(2026, 3, 1), date(2026, 5, 31), ("riga",))
    assert figures(hub_conn, scope, grouping) == compute(visits, grouping, RIGA)


def test_monthly_rows_equal_their_days(hub_conn, visits_and_events) -> None:
    _, events = visits_and_events
    load(hub_conn, events)
    for start, end in (
        (date(2026, 3, 15), date(2026, 5, 6)),
        (date(2026, 4, 1), date(2026, 4, 30)),
    ):
        scope = Scope(start, end, ("riga",))
        for grouping in ("month", "service", "total"):
            from_months = figures(hub_conn, scope, grouping)
            municipality = {"riga": "Rīga"}
            from_days = grouped(read(hub_conn, scope, daily_only=True), grouping, municipality)
            assert from_months == from_days, (start, end, grouping)
    assert split_period(date(2026, 3, 15), date(2026, 5, 6)) == (
        [(date(2026, 3, 15), date(2026, 3, 31)), (date(2026, 5, 1), date(2026, 5, 6))],
        [date(2026, 4, 1)],
    )
    assert split_period(date(2026, 4, 2), date(2026, 4, 30)) == (
        [(date(2026, 4, 2), date(2026, 4, 30))],
        [],
    )


def test_batch_order_does_not_matter(hub_conn, visits_and_events) -> None:
    """The same log in smaller batches, each shuffled, gives the same rollups."""
    visits, events = visits_and_events
    rng = random.Random(1)
    add_centre(hub_conn, "riga", "Rīga", "Rīga", datetime.now(UTC))
    hub_conn.execute("UPDATE centres SET timezone = 'Europe/Riga' WHERE id = 'riga'")
    partitions, now, first = Partitions(), datetime.now(UTC), 0
    while first < len(events):
        size = rng.randint(1, 40)
        part = events[first : first + size]
        rng.shuffle(part)
        body = {"after": first, "through": first + len(part), "events": part}
        ingest(hub_conn, "riga", parse_batch(body), json.dumps(body), now, partitions)
        first += size
    scope = Scope(date(2026, 3, 1), date(2026, 5, 31), ("riga",))
    assert figures(hub_conn, scope, "day") == compute(visits, "day", RIGA)
    partitions_made = hub_conn.execute(
        "SELECT count(*) FROM pg_inherits WHERE inhparent = 'events'::regclass"
    ).fetchone()[0]
    assert partitions_made == 3  # March, April, May 2026
