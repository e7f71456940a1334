"""Storing a centre's batch of events, exactly once, with its figures, in one transaction.

1. The batch is checked and every event decoded (`hub.wire`, one validation pass)
   before anything is written: a malformed batch changes nothing.
2. The centre's row is locked, so one centre's batches are applied one at a time
   (different centres ingest side by side).
3. Events are inserted with `ON CONFLICT DO NOTHING` on (centre, seq): a resent
   event is ignored, and only the events really inserted go on to the figures. Each
   event's data is stored as the centre sent it: PostgreSQL takes it from the batch's
   own JSON text (one parse, in the database), never re-encoded here.
4. Each visit they touch is brought to its latest state; its old figures are taken
   out of its rollups and its new figures put in (`core.statistics.contribution`),
   for its day and its month. Counter states follow their latest event.
5. The acknowledged position moves to `through` when the batch starts at or before
   it (`after <= acknowledged`): everything up to `through` is then stored.

A crash anywhere rolls the whole batch back; the centre resends it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import psycopg

from core.errors import Conflict, InvalidInput, NotAuthenticated
from core.statistics import Contribution, contribution, local_day
from hub.store import rollups
from hub.store.partitions import Partitions
from hub.wire import AnyEvent, Batch, CounterState, Rating, VisitState, meaning


@dataclass(frozen=True)
class Receipt:
    """What the hub answers a batch."""

    centre_id: str
    acknowledged_seq: int
    stored: int
    duplicates: int
    last_event_at: datetime | None
    municipality: str
    """Of the centre (for the live streams that may see it; not part of the answer)."""

    def as_json(self) -> dict[str, object]:
        return {
            "centre_id": self.centre_id,
            "acknowledged_seq": self.acknowledged_seq,
            "stored": self.stored,
            "duplicates": self.duplicates,
            "last_event_at": self.last_event_at.isoformat() if self.last_event_at else None,
        }


@dataclass
class _Visit:
    """A visit as stored, changing as the batch's events are applied."""

    state: VisitState | None
    rating: int | None
    day: date | None
    before: Contribution | None
    changed: bool = False


@dataclass
class _Changes:
    visits: dict[str, _Visit] = field(default_factory=dict)
    counters: dict[str, CounterState] = field(default_factory=dict)


def ingest(
    conn: psycopg.Connection,
    centre_id: str,
    batch: Batch,
    text: str | bytes,
    now: datetime,
    partitions: Partitions,
) -> Receipt:
    """Store the batch for `centre_id`; `text` is the JSON the batch was read from (its
    events' data is stored as sent). `conn` is in autocommit mode (the ingest opens its
    own transactions). Raises `NotAuthenticated` if the centre is unknown or revoked,
    `Conflict` (`profile_missing`) if it never sent its time zone."""
    events = sorted(batch.events, key=lambda event: event.seq)
    meanings = [meaning(event) for event in events]
    if events:
        partitions.ensure_between(conn, min(e.at for e in events), max(e.at for e in events))
    with conn.transaction():
        row = conn.execute(
            "SELECT acknowledged_seq, timezone, municipality FROM centres "
            "WHERE id = %s AND revoked_at IS NULL FOR UPDATE",
            (centre_id,),
        ).fetchone()
        if row is None:
            raise NotAuthenticated("This centre is not registered at the hub, or was revoked.")
        acknowledged, timezone, municipality = int(row[0]), row[1], row[2]
        if timezone is None and any(m is not None for m in meanings):
            raise Conflict(
                "Send the centre's profile (time zone, services) before its events.",
                code="profile_missing",
            )
        fresh = [(e, m) for e, m in zip(events, meanings, strict=True) if e.seq > acknowledged]
        try:
            inserted = _insert(conn, centre_id, batch, text, acknowledged, now)
        except psycopg.errors.DataError as exc:  # e.g. "\u0000", which no text can hold
            raise InvalidInput(
                f"PostgreSQL cannot store this batch's JSON: {exc.diag.message_primary}.",
                {"events": "invalid_event_data"},
            ) from None
        new = [(e, m) for e, m in fresh if e.seq in inserted]
        if new:
            _apply(conn, centre_id, ZoneInfo(timezone) if timezone else None, new)
        if batch.after <= acknowledged:
            acknowledged = max(acknowledged, batch.through)
        last_at = max((e.at for e, _ in new), default=None)
        updated = conn.execute(
            "UPDATE centres SET acknowledged_seq = %s, events_stored = events_stored + %s, "
            "last_event_at = GREATEST(last_event_at, %s), last_contact_at = %s, "
            "log_end = COALESCE(%s, log_end) WHERE id = %s RETURNING last_event_at",
            (acknowledged, len(inserted), last_at, now, batch.log_end, centre_id),
        ).fetchone()
    return Receipt(
        centre_id=centre_id,
        acknowledged_seq=acknowledged,
        stored=len(inserted),
        duplicates=len(events) - len(inserted),
        last_event_at=updated[0] if updated else None,
        municipality=municipality,
    )


def _insert(
    conn: psycopg.Connection,
    centre_id: str,
    batch: Batch,
    text: str | bytes,
    acknowledged: int,
    now: datetime,
) -> set[int]:
    """Insert the batch's events after `acknowledged` not stored yet; returns the seqs
    inserted.

    The database reads each event from the batch's JSON text, by its position: its
    data as sent, and its plain members (`seq`, `type`, the ids, the actor, which the
    schema took as JSON integers and strings, so they read the same there). Its time
    is passed as read here, since JSON has no time type and the two parsers could
    differ."""
    fresh = [(position, e.at) for position, e in enumerate(batch.events, 1) if e.seq > acknowledged]
    if not fresh:
        return set()
    rows = conn.execute(
        "INSERT INTO events (centre_id, seq, at, type, schema_version, service_id, counter_id, "
        "ticket_id, actor, data, received_at) "
        "SELECT %s, (j.event ->> 'seq')::bigint, e.at, j.event ->> 'type', "
        "(j.event ->> 'schema_version')::smallint, j.event ->> 'service_id', "
        "j.event ->> 'counter_id', j.event ->> 'ticket_id', j.event ->> 'actor', "
        "COALESCE(j.event -> 'data', '{}'::jsonb), %s "
        "FROM unnest(%b::integer[], %b::timestamptz[]) AS e (position, at) "
        "JOIN jsonb_array_elements(%s::jsonb -> 'events') WITH ORDINALITY AS j (event, position) "
        "USING (position) "
        "ON CONFLICT DO NOTHING RETURNING seq",
        (
            centre_id,
            now,
            [position for position, _ in fresh],
            [at for _, at in fresh],
            text.decode() if isinstance(text, bytes) else text,
        ),
    ).fetchall()
    return {int(seq) for (seq,) in rows}


def _apply(
    conn: psycopg.Connection,
    centre_id: str,
    zone: ZoneInfo | None,
    new: Sequence[tuple[AnyEvent, object]],
) -> None:
    """Bring visits and counters to the new events and move the rollups with them."""
    ticket_ids = sorted({m.ticket_id for _, m in new if isinstance(m, VisitState | Rating)})
    changes = _Changes(visits=_load_visits(conn, centre_id, ticket_ids, zone))
    for _, item in new:
        if isinstance(item, VisitState):
            visit = changes.visits[item.ticket_id]
            if visit.state is None or item.seq > visit.state.seq:
                visit.state = item
                visit.changed = True
        elif isinstance(item, Rating):
            visit = changes.visits[item.ticket_id]
            if visit.rating != item.rating:
                visit.rating = item.rating
                visit.changed = True
        elif isinstance(item, CounterState):
            known = changes.counters.get(item.counter_id)
            if known is None or item.seq > known.seq:
                changes.counters[item.counter_id] = item
    assert zone is not None or not any(v.changed for v in changes.visits.values())
    daily: dict[rollups.RollupKey, rollups.Change] = {}
    monthly: dict[rollups.RollupKey, rollups.Change] = {}
    saved = []
    for visit in changes.visits.values():
        if not visit.changed or visit.state is None:
            continue  # a rating for a visit whose events the hub never had
        assert zone is not None
        state = visit.state
        day = visit.day or local_day(state.issued_at, zone)
        after = contribution(state.visit(visit.rating))
        for changes_at, start in ((daily, day), (monthly, day.replace(day=1))):
            change = changes_at.setdefault((state.service_id, start), rollups.Change())
            if visit.before is not None:
                change.removed.add(visit.before)
            change.added.add(after)
        saved.append(_visit_row(centre_id, state, day, visit.rating))
    _save_visits(conn, saved)
    rollups.apply_deltas(conn, "day", centre_id, daily)
    rollups.apply_deltas(conn, "month", centre_id, monthly)
    _save_counters(conn, centre_id, changes.counters.values())


def _load_visits(
    conn: psycopg.Connection, centre_id: str, ticket_ids: list[str], zone: ZoneInfo | None
) -> dict[str, _Visit]:
    visits = {ticket_id: _Visit(None, None, None, None) for ticket_id in ticket_ids}
    if not ticket_ids:
        return visits
    rows = conn.execute(
        "SELECT ticket_id, service_id, day, last_seq, status, issued_at, first_called_at, "
        "started_at, finished_at, walk_direct, target_wait_seconds, counter_id, staff_id, rating "
        "FROM visits WHERE centre_id = %s AND ticket_id = ANY(%b::text[])",
        (centre_id, ticket_ids),
    )
    for (
        ticket_id,
        service_id,
        day,
        seq,
        status,
        issued,
        called,
        started,
        finished,
        walk,
        target,
        counter_id,
        staff_id,
        rating,
    ) in rows:
        state = VisitState(
            seq=seq,
            ticket_id=ticket_id,
            service_id=service_id,
            status=status,
            issued_at=issued,
            first_called_at=called,
            started_at=started,
            finished_at=finished,
            walk_direct=walk,
            target_wait_seconds=target,
            counter_id=counter_id,
            staff_id=staff_id,
        )
        visits[ticket_id] = _Visit(state, rating, day, contribution(state.visit(rating)))
    return visits


def _visit_row(
    centre_id: str, state: VisitState, day: date, rating: int | None
) -> tuple[object, ...]:
    return (
        centre_id,
        state.ticket_id,
        state.service_id,
        day,
        state.seq,
        state.status,
        state.issued_at,
        state.first_called_at,
        state.started_at,
        state.finished_at,
        state.walk_direct,
        state.target_wait_seconds,
        state.counter_id,
        state.staff_id,
        rating,
    )


def _save_visits(conn: psycopg.Connection, rows: list[tuple[object, ...]]) -> None:
    if not rows:
        return
    columns = list(zip(*rows, strict=True))
    conn.execute(
        "INSERT INTO visits (centre_id, ticket_id, service_id, day, last_seq, status, "
        "issued_at, first_called_at, started_at, finished_at, walk_direct, "
        "target_wait_seconds, counter_id, staff_id, rating) "
        "SELECT * FROM unnest(%b::text[], %b::text[], %b::text[], %b::date[], %b::bigint[], "
        "%b::text[], %b::timestamptz[], %b::timestamptz[], %b::timestamptz[], "
        "%b::timestamptz[], %b::boolean[], %b::integer[], %b::text[], %b::text[], "
        "%b::smallint[]) "
        "ON CONFLICT (centre_id, ticket_id) DO UPDATE SET last_seq = excluded.last_seq, "
        "status = excluded.status, first_called_at = excluded.first_called_at, "
        "started_at = excluded.started_at, finished_at = excluded.finished_at, "
        "target_wait_seconds = excluded.target_wait_seconds, "
        "counter_id = excluded.counter_id, staff_id = excluded.staff_id, "
        "rating = excluded.rating",
        [list(column) for column in columns],
    )


def _save_counters(
    conn: psycopg.Connection, centre_id: str, counters: Iterable[CounterState]
) -> None:
    rows = [
        (centre_id, c.counter_id, c.status, c.since, c.staff_id, c.current_ticket_id, c.seq)
        for c in counters
    ]
    if not rows:
        return
    conn.cursor().executemany(
        "INSERT INTO counter_states (centre_id, counter_id, status, since, staff_id, "
        "current_ticket_id, last_seq) VALUES (%s, %s, %s, %s, %s, %s, %s) "
        "ON CONFLICT (centre_id, counter_id) DO UPDATE SET status = excluded.status, "
        "since = excluded.since, staff_id = excluded.staff_id, "
        "current_ticket_id = excluded.current_ticket_id, last_seq = excluded.last_seq "
        "WHERE counter_states.last_seq < excluded.last_seq",
        rows,
    )
