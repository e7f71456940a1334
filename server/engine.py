"""The queue engine: the live queue, and what the queue commands share.

A command is a function of a `Transaction`, run by the single writer: it loads what
it needs from the live state or the store, applies a pure transition from
`core.lifecycle`, writes rows (through `server.store`), emits events and registers
after-commit hooks that update the live state. The commands live by subject:

- `server.commands.tickets`: issue, call, the ticket actions, walk-direct, printing;
- `server.commands.counters`: open, pause, close a counter; the display ticker;
- `server.commands.housekeeping`: what closing time and a past day leave behind;
- `server.commands.appointments`: a booking checked in at the kiosk becomes a ticket.

The engine holds what they share: the catalogue, the live state and the centre's
hours (the catalogue's, with the exceptions admins stored, re-read whenever an
`hours.*` event is committed, by this process or another).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlite_utils import Database

from core import events as ev
from core import lifecycle
from core.catalogue import Catalogue
from core.errors import NotFound
from core.estimate import NewTicketEstimate
from core.events import Event
from core.hours import OpeningHours
from core.model import CounterState, Ticket
from core.numbering import business_day
from server.actor import Actor
from server.commands.appointments import AppointmentCommands
from server.commands.counters import CounterCommands
from server.commands.housekeeping import Housekeeping
from server.commands.tickets import TicketCommands
from server.live import LiveState, QueueSnapshot
from server.payloads import seconds, ticket_payload
from server.store import tickets as store
from server.store.hours import load_exceptions
from server.store.rows import insert_ticket, save_counter_state, update_ticket
from server.store.settings import TICKER, get_setting
from server.store.writer import Idempotency, Transaction, Writer


class Engine:
    """Applies queue commands through the writer and keeps the live state."""

    def __init__(self, catalogue: Catalogue, writer: Writer) -> None:
        self.catalogue = catalogue
        self.writer = writer
        self.state = LiveState(catalogue)
        writer.after_commit_lock = self.state.lock
        writer.observe(self._observe)
        writer.rebuild = self._reload
        self.hours: OpeningHours = catalogue.hours
        self.tickets = TicketCommands(self)
        self.counters = CounterCommands(self)
        self.housekeeping = Housekeeping(self)
        self.appointments = AppointmentCommands(self)

    @property
    def snapshot(self) -> QueueSnapshot:
        """The latest committed picture of the queue."""
        return self.state.snapshot

    # -- start-up ------------------------------------------------------------

    def load(self) -> None:
        """Load the live state from the database (at start, in the writer thread)."""
        self.writer.call(self._load)

    def _load(self, tx: Transaction) -> None:
        conn = tx.db.conn
        for ticket in store.live_tickets(conn):
            if ticket.service_id in self.catalogue.services_by_id:
                self.state.put_ticket(ticket)
        for state in store.counter_states(conn):
            if state.counter_id in self.catalogue.counters_by_id:
                self.state.put_counter(state)
        self.reload_hours(tx.db)
        self.state.ticker = get_setting(conn, TICKER) or ""
        self.ensure_day(tx)
        self.state.publish(self.writer.last_event_seq)

    def _reload(self, tx: Transaction) -> None:
        """Load the live state again from the database (a group of commands whose hooks
        had run could not be committed)."""
        self.state.reset()
        self._load(tx)

    def reload_hours(self, db: Database) -> None:
        """Apply the opening-hours exceptions stored by admins over the catalogue's."""
        self.hours = self.catalogue.hours.with_exceptions(load_exceptions(db.conn))

    def _observe(self, db: Database, events: list[Event], foreign: bool) -> None:
        """Committed events: re-read the hours when they changed; reflect events another
        process appended (admin changes) in the snapshot's `event_seq`."""
        if any(event.type in ev.HOURS_EVENTS for event in events):
            self.reload_hours(db)
        if foreign:
            self.state.publish(events[-1].seq)

    def apply_catalogue(self, catalogue: Catalogue) -> int:
        """Run on `catalogue` from now on (a national catalogue version, joined with the
        centre's own file): applied by the writer between two commands, so no command
        sees half of it; tickets already issued keep their service (a withdrawn service
        stays known, not offered). Logs `catalogue.applied`; returns its seq."""
        old = self.catalogue
        if [c.id for c in catalogue.counters] != [c.id for c in old.counters]:
            raise ValueError("a catalogue version cannot change the centre's counters")
        offered_before = {s.id for s in old.services if not s.withdrawn}
        offered_now = {s.id for s in catalogue.services if not s.withdrawn}
        known_before = set(old.services_by_id)

        def command(tx: Transaction) -> int:
            lost = sorted(
                {t.service_id for t in self.state.tickets.values()} - set(catalogue.services_by_id)
            )
            if lost:
                raise ValueError(f"tickets waiting for {lost} would lose their service")
            hours = catalogue.hours.with_exceptions(load_exceptions(tx.db.conn))
            event = tx.emit(
                ev.catalogue_applied(
                    catalogue.national_version or 0,
                    withdrawn=sorted(offered_before - offered_now),
                    restored=sorted((offered_now - offered_before) & known_before),
                    added=sorted(offered_now - known_before),
                )
            )

            def swap() -> None:
                self.catalogue = catalogue
                self.hours = hours
                self.state.replace_catalogue(catalogue)
                self.state.publish(event.seq)

            tx.on_commit(swap)
            return event.seq

        seq: int = self.writer.call(command, actor="system:catalogue")
        return seq

    # -- the business day ----------------------------------------------------

    def today(self, now: datetime) -> date:
        """The business day of `now`."""
        return business_day(now, self.hours.zone, self.catalogue.centre.business_day_starts)

    def ensure_day(self, tx: Transaction) -> date:
        """The business day of the transaction; at a new day, its numbering and counts
        are read from the store into the live state."""
        today = self.today(tx.now)
        if self.state.business_day != today:
            last_ticket_seq, issued = store.day_numbering(tx.db.conn, today)
            self.state.start_day(today, last_ticket_seq, issued)
        return today

    # -- what commands share ---------------------------------------------------

    def ticket(self, tx: Transaction, ticket_id: str) -> Ticket:
        """A ticket from the live state, or from the store; `NotFound` otherwise."""
        ticket = self.state.tickets.get(ticket_id)
        if ticket is not None:
            return ticket
        stored = store.ticket_by_id(tx.db.conn, ticket_id)
        if stored is None:
            raise NotFound("ticket", ticket_id)
        return stored

    def counter_state(self, counter_id: str) -> CounterState:
        """A counter's live state (`NotFound` for a counter not in the catalogue)."""
        self.catalogue.counter(counter_id)
        return self.state.counters[counter_id]

    def save_ticket(
        self, tx: Transaction, ticket: Ticket, event_type: str, *, new: bool = False, **extra: Any
    ) -> None:
        """Store a ticket's new state, log `event_type` about it, and put it in the live
        state once committed."""
        if new:
            insert_ticket(tx.db.conn, ticket, tx.actor)
        else:
            update_ticket(tx.db.conn, ticket)
        label = None
        if ticket.counter_id is not None:
            label = self.catalogue.counter(ticket.counter_id).label
        tx.emit(ev.ticket_event(event_type, ticket, counter_label=label, **extra))
        tx.on_commit(lambda: self.state.put_ticket(ticket))

    def save_counter(self, tx: Transaction, state: CounterState, event_type: str | None) -> None:
        """Store a counter's new state (logging `event_type`, if any)."""
        save_counter_state(tx.db.conn, state)
        if event_type is not None:
            tx.emit(ev.counter_event(event_type, state))
        tx.on_commit(lambda: self.state.put_counter(state))

    def release_holder(self, tx: Transaction, ticket: Ticket) -> None:
        """Free the counter holding `ticket` (it finished, left, moved on ...)."""
        if ticket.counter_id is None:
            return
        state = self.state.counters.get(ticket.counter_id)
        if state is not None and state.current_ticket_id == ticket.id:
            self.save_counter(tx, lifecycle.release(state), None)

    def payload(
        self,
        ticket: Ticket,
        now: datetime,
        ahead: int = 0,
        wait: int | None = 0,
        *,
        estimate: NewTicketEstimate | None = None,
    ) -> dict[str, Any]:
        """The ticket as the API answers a command with it (with the `estimate` a newly
        issued ticket is told, when given: wait, people ahead and range)."""
        wait_range: tuple[int, int] | None = None
        if estimate is not None:
            ahead = estimate.people_ahead
            wait = seconds(estimate.wait)
            if estimate.low is not None and estimate.high is not None:
                wait_range = (int(estimate.low.total_seconds()), int(estimate.high.total_seconds()))
        return ticket_payload(
            ticket,
            self.catalogue,
            people_ahead=ahead,
            estimated_wait_seconds=wait,
            estimated_wait_range_seconds=wait_range,
            now=now,
        )

    async def run(
        self,
        command: Callable[[Transaction], Any],
        actor: Actor | str | None,
        idempotency: Idempotency | None = None,
        *,
        bulk: bool = False,
    ) -> Any:
        """Run a queue command through the writer; readers see its changes once it has
        committed (a new snapshot reflecting its events)."""

        def publish_after(tx: Transaction) -> Any:
            result = command(tx)
            tx.on_commit(lambda: self.state.publish(tx.events[-1].seq if tx.events else None))
            return result

        ref = actor.ref if isinstance(actor, Actor) else actor
        return await self.writer.run(publish_after, actor=ref, idempotency=idempotency, bulk=bulk)
