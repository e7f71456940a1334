"""The queue engine: every queue command, run by the single writer.

Each public coroutine builds a command (a function of a `Transaction`) that
loads what it needs from the live state or the database, applies a pure
transition from `core.lifecycle`, writes the rows, emits the events and
registers after-commit hooks that update the live state.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from core import events as ev
from core import lifecycle
from core.catalogue import Catalogue
from core.errors import (
    CentreClosed,
    DailyCapReached,
    Forbidden,
    InvalidInput,
    NotFound,
    ServiceClosed,
    ServiceCutOff,
)
from core.hours import OpeningHours, service_closing, service_is_open
from core.model import CounterState, Ticket, TicketStatus
from core.numbering import business_day
from core.routing import choose_next
from server.hours_store import load_exceptions
from server.live import LiveState, QueueSnapshot
from server.payloads import ticket_payload
from server.store.rows import (
    SELECT_TICKET,
    counter_state_from_row,
    insert_ticket,
    save_counter_state,
    ticket_from_row,
    update_ticket,
)
from server.store.writer import Idempotency, Transaction, Writer

TICKET_ACTIONS = (
    "call",
    "recall",
    "start",
    "finish",
    "no-show",
    "park",
    "resume",
    "transfer",
    "cancel",
    "reactivate",
)
COUNTER_ACTIONS = ("open", "pause", "close")


@dataclass(frozen=True)
class Actor:
    """Who issues a command, and which counters they may operate."""

    name: str
    counter_id: str | None = None
    """The counter a clerk is bound to (None: any counter, for managers)."""
    any_counter: bool = False
    kind: str = "user"
    """`user` or `device` (or `system` for housekeeping)."""

    @property
    def ref(self) -> str:
        """How the event log names the actor: `user:anna`, `device:kiosk-1`."""
        return f"{self.kind}:{self.name}"

    def check_counter(self, counter_id: str) -> None:
        """Raise `Forbidden` unless this actor may operate `counter_id`."""
        if self.any_counter:
            return
        if self.counter_id != counter_id:
            where = f"counter {self.counter_id}" if self.counter_id else "no counter"
            raise Forbidden(
                f"You are signed in at {where}; you cannot operate counter {counter_id}."
            )

    def counter_for(self, requested: str | None) -> str:
        """The counter a command applies to: the requested one or the actor's own."""
        counter_id = requested or self.counter_id
        if counter_id is None:
            raise InvalidInput("Say which counter.", {"counter_id": "required"})
        self.check_counter(counter_id)
        return counter_id


@dataclass(frozen=True)
class TicketParams:
    """Optional parameters of ticket actions."""

    counter_id: str | None = None
    service_id: str | None = None
    delivered_service: str | None = None
    note: str | None = None


def new_ticket_id() -> str:
    """An unguessable ticket id (it appears in the ticket's status QR code)."""
    return secrets.token_hex(8)


class Engine:
    """Applies queue commands through the writer and keeps the live state."""

    def __init__(self, catalogue: Catalogue, writer: Writer) -> None:
        self.catalogue = catalogue
        self.writer = writer
        self.state = LiveState(catalogue)
        writer.after_commit_lock = self.state.lock
        self.hours: OpeningHours = catalogue.hours

    @property
    def snapshot(self) -> QueueSnapshot:
        """The latest committed picture of the queue."""
        return self.state.snapshot

    # -- start-up ------------------------------------------------------------

    def load(self) -> None:
        """Load the live state from the database (at start, in the writer thread)."""
        self.writer.call(self._load)

    def _load(self, tx: Transaction) -> None:
        rows = tx.execute(
            f"{SELECT_TICKET} WHERE status IN ('waiting', 'called', 'serving', 'parked')"
        ).fetchall()
        for row in rows:
            ticket = ticket_from_row(row)
            if ticket.service_id in self.catalogue.services_by_id:
                self.state.put_ticket(ticket)
        for row in tx.execute(
            "SELECT counter_id, status, since, clerk, current_ticket_id FROM counter_states"
        ).fetchall():
            state = counter_state_from_row(row)
            if state.counter_id in self.catalogue.counters_by_id:
                self.state.put_counter(state)
        self.reload_hours(tx)
        ticker = tx.execute("SELECT value FROM settings WHERE key = 'ticker'").fetchone()
        self.state.ticker = ticker[0] if ticker else ""
        self._ensure_day(tx)
        last = tx.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0]
        self.state.publish(int(last))

    def reload_hours(self, tx: Transaction) -> None:
        """Apply the opening-hours exceptions stored by admins over the catalogue's."""
        self.hours = self.catalogue.hours.with_exceptions(load_exceptions(tx.db.conn))

    def today(self, now: datetime) -> date:
        """The business day of `now`."""
        centre = self.catalogue.centre
        return business_day(now, self.hours.zone, centre.business_day_starts)

    def _ensure_day(self, tx: Transaction) -> date:
        today = self.today(tx.now)
        if self.state.business_day != today:
            day = today.isoformat()
            last_seq = dict(
                tx.execute(
                    "SELECT prefix, MAX(seq) FROM tickets WHERE business_day = ? GROUP BY prefix",
                    (day,),
                ).fetchall()
            )
            issued = dict(
                tx.execute(
                    "SELECT original_service_id, COUNT(*) FROM tickets "
                    "WHERE business_day = ? AND walk_direct = 0 GROUP BY original_service_id",
                    (day,),
                ).fetchall()
            )
            self.state.start_day(today, last_seq, issued)
        return today

    # -- helpers -------------------------------------------------------------

    def _ticket(self, tx: Transaction, ticket_id: str) -> Ticket:
        ticket = self.state.tickets.get(ticket_id)
        if ticket is not None:
            return ticket
        row = tx.execute(f"{SELECT_TICKET} WHERE id = ?", (ticket_id,)).fetchone()
        if row is None:
            raise NotFound("ticket", ticket_id)
        return ticket_from_row(row)

    def _counter_state(self, counter_id: str) -> CounterState:
        self.catalogue.counter(counter_id)  # NotFound for unknown ids
        return self.state.counters[counter_id]

    def _save_ticket(
        self, tx: Transaction, ticket: Ticket, event_type: str, *, new: bool = False, **extra: Any
    ) -> None:
        if new:
            insert_ticket(tx.db.conn, ticket, tx.actor)
        else:
            update_ticket(tx.db.conn, ticket)
        label = None
        if ticket.counter_id is not None:
            label = self.catalogue.counter(ticket.counter_id).label
        tx.emit(ev.ticket_event(event_type, ticket, counter_label=label, **extra))
        tx.on_commit(lambda: self.state.put_ticket(ticket))

    def _save_counter(self, tx: Transaction, state: CounterState, event_type: str | None) -> None:
        save_counter_state(tx.db.conn, state)
        if event_type is not None:
            tx.emit(ev.counter_event(event_type, state))
        tx.on_commit(lambda: self.state.put_counter(state))

    def _release_holder(self, tx: Transaction, ticket: Ticket) -> None:
        """Free the counter holding `ticket` (it finished, left, moved on ...)."""
        if ticket.counter_id is None:
            return
        state = self.state.counters.get(ticket.counter_id)
        if state is not None and state.current_ticket_id == ticket.id:
            self._save_counter(tx, lifecycle.release(state), None)

    def _payload(
        self, ticket: Ticket, now: datetime, ahead: int = 0, wait: int | None = 0
    ) -> dict[str, Any]:
        return ticket_payload(
            ticket, self.catalogue, people_ahead=ahead, estimated_wait_seconds=wait, now=now
        )

    async def _run(
        self,
        command: Callable[[Transaction], Any],
        actor: Actor | None,
        idempotency: Idempotency | None = None,
        *,
        bulk: bool = False,
    ) -> Any:
        def publish_after(tx: Transaction) -> Any:
            result = command(tx)
            tx.on_commit(lambda: self.state.publish(tx.events[-1].seq if tx.events else None))
            return result

        return await self.writer.run(
            publish_after, actor=actor.ref if actor else None, idempotency=idempotency, bulk=bulk
        )

    # -- issuing -------------------------------------------------------------

    async def issue_ticket(
        self,
        service_id: str,
        language: str,
        is_priority: bool,
        actor: Actor,
        idempotency: Idempotency | None = None,
    ) -> dict[str, Any]:
        """Issue a ticket; returns the ticket payload (replayed for a repeated key)."""
        service = self.catalogue.service(service_id)

        def command(tx: Transaction) -> dict[str, Any]:
            now = tx.now
            today = self._ensure_day(tx)
            self.check_can_issue(service_id, now, self.state.issued_today)
            estimate = self.state.estimate_new(service_id, is_priority, now)
            closing = service_closing(service, self.hours, now)
            if estimate.wait is not None and closing is not None and now + estimate.wait > closing:
                raise ServiceCutOff(
                    f"The expected wait for {service.name.en} runs past closing time today."
                )
            seq = self.state.last_seq.get(service.prefix, 0) + 1
            ticket = lifecycle.issue(
                ticket_id=new_ticket_id(),
                service=service,
                seq=seq,
                business_day=today,
                language=language,
                is_priority=is_priority,
                now=now,
            )
            self._save_ticket(tx, ticket, ev.TICKET_ISSUED, new=True)
            tx.on_commit(lambda: self.state.count_issue(ticket))
            wait = int(estimate.wait.total_seconds()) if estimate.wait is not None else None
            return self._payload(ticket, now, estimate.people_ahead, wait)

        result: dict[str, Any] = await self._run(command, actor, idempotency, bulk=True)
        return result

    def check_can_issue(
        self, service_id: str, now: datetime, issued_today: Mapping[str, int]
    ) -> None:
        """Raise the reason a ticket for `service_id` cannot be issued now, if any."""
        service = self.catalogue.service(service_id)
        status = self.hours.status(now)
        if not status.is_open:
            when = (
                self.hours.local(status.opens_at).strftime("%Y-%m-%d %H:%M")
                if status.opens_at
                else "—"
            )
            raise CentreClosed(f"The centre is closed; it opens at {when}.")
        if not service_is_open(service, self.hours, now):
            raise ServiceClosed(f"{service.name.en} is not served at this time.")
        if service.daily_cap is not None and issued_today.get(service_id, 0) >= service.daily_cap:
            raise DailyCapReached(
                f"All {service.daily_cap} tickets for {service.name.en} have been issued today."
            )

    # -- calling -------------------------------------------------------------

    async def call_next(self, counter_id: str, actor: Actor) -> dict[str, Any] | None:
        """Call the next ticket to a counter; None when nobody waits for it."""
        counter = self.catalogue.counter(counter_id)
        actor.check_counter(counter_id)

        def command(tx: Transaction) -> dict[str, Any] | None:
            self._ensure_day(tx)
            state = self._counter_state(counter_id)
            lifecycle.require_free_open_counter(state)
            chosen = choose_next(
                counter,
                self.state.book,
                self.catalogue.services_by_id,
                tx.now,
                self.catalogue.policy,
            )
            if chosen is None:
                return None
            return self._call(tx, chosen, counter_id, actor)

        result: dict[str, Any] | None = await self._run(command, actor)
        return result

    def _call(
        self, tx: Transaction, ticket: Ticket, counter_id: str, actor: Actor
    ) -> dict[str, Any]:
        called = lifecycle.call(
            ticket,
            counter_id=counter_id,
            clerk=actor.name,
            now=tx.now,
            policy=self.catalogue.policy,
        )
        self._save_ticket(tx, called, ev.TICKET_CALLED)
        self._save_counter(tx, lifecycle.hold(self._counter_state(counter_id), called.id), None)
        tx.on_commit(lambda: self.state.record_call(called))
        return self._payload(called, tx.now)

    # -- ticket actions --------------------------------------------------------

    async def ticket_action(
        self, ticket_id: str, action: str, params: TicketParams, actor: Actor
    ) -> dict[str, Any]:
        """Apply one of `TICKET_ACTIONS` to a ticket."""
        if action not in TICKET_ACTIONS:
            raise NotFound("action", action)
        if params.service_id is not None:
            self.catalogue.service(params.service_id)
        if params.counter_id is not None:
            self.catalogue.counter(params.counter_id)

        def command(tx: Transaction) -> dict[str, Any]:
            self._ensure_day(tx)
            ticket = self._ticket(tx, ticket_id)
            return self._apply_action(tx, ticket, action, params, actor)

        result: dict[str, Any] = await self._run(command, actor)
        return result

    def _apply_action(
        self, tx: Transaction, ticket: Ticket, action: str, params: TicketParams, actor: Actor
    ) -> dict[str, Any]:
        now, policy = tx.now, self.catalogue.policy
        if action in ("call", "resume"):
            counter_id = actor.counter_for(params.counter_id)
            lifecycle.require_free_open_counter(self._counter_state(counter_id))
            if action == "call":
                return self._call(tx, ticket, counter_id, actor)
            resumed = lifecycle.resume(ticket, counter_id=counter_id, clerk=actor.name, now=now)
            self._save_ticket(tx, resumed, ev.TICKET_RESUMED)
            self._save_counter(
                tx, lifecycle.hold(self._counter_state(counter_id), resumed.id), None
            )
            tx.on_commit(lambda: self.state.record_call(resumed))
            return self._payload(resumed, now)
        if ticket.status.holds_counter and ticket.counter_id is not None:
            actor.check_counter(ticket.counter_id)
        holder = ticket.counter_id
        if action == "recall":
            recalled = lifecycle.recall(ticket, counter_id=holder, now=now)
            self._save_ticket(tx, recalled, ev.TICKET_RECALLED)
            tx.on_commit(lambda: self.state.record_call(recalled, recall=True))
            return self._payload(recalled, now)
        if action == "start":
            changed = lifecycle.start(ticket, counter_id=holder, now=now)
            self._save_ticket(tx, changed, ev.TICKET_STARTED)
            return self._payload(changed, now)
        if action in ("finish", "no-show"):
            if action == "finish":
                changed = lifecycle.finish(
                    ticket,
                    counter_id=holder,
                    now=now,
                    delivered_service=params.delivered_service,
                    note=params.note,
                )
                event_type = ev.TICKET_FINISHED
            else:
                changed = lifecycle.no_show(ticket, counter_id=holder, now=now)
                event_type = ev.TICKET_NO_SHOW
            self._save_ticket(tx, changed, event_type)
            self._release_holder(tx, ticket)
            if ticket.called_at is not None:
                seconds = (now - ticket.called_at).total_seconds()
                service_id = ticket.service_id
                tx.on_commit(lambda: self.state.record_duration(service_id, seconds))
            return self._payload(changed, now)
        if action == "park":
            changed = lifecycle.park(ticket, counter_id=holder, now=now)
            self._save_ticket(tx, changed, ev.TICKET_PARKED)
            self._release_holder(tx, ticket)
            return self._payload(changed, now)
        if action == "transfer":
            if params.service_id is None and params.counter_id is None:
                raise InvalidInput(
                    "Say where to transfer the ticket.",
                    {"service_id": "service_id or counter_id is required"},
                )
            to_service = self.catalogue.service(params.service_id) if params.service_id else None
            changed = lifecycle.transfer(
                ticket, now=now, to_service=to_service, to_counter_id=params.counter_id
            )
            self._save_ticket(
                tx,
                changed,
                ev.TICKET_TRANSFERRED,
                from_service_id=ticket.service_id,
                from_counter_id=ticket.counter_id,
            )
            self._release_holder(tx, ticket)
            return self._waiting_payload(changed, now)
        if action == "cancel":
            changed = lifecycle.cancel(ticket, now=now)
            self._save_ticket(tx, changed, ev.TICKET_CANCELLED)
            self._release_holder(tx, ticket)
            return self._payload(changed, now)
        # reactivate
        changed = lifecycle.reactivate(ticket, now=now, policy=policy)
        self._save_ticket(tx, changed, ev.TICKET_REACTIVATED)
        return self._waiting_payload(changed, now)

    def _waiting_payload(self, ticket: Ticket, now: datetime) -> dict[str, Any]:
        """A ticket back in the queue: its figures are computed after commit by readers."""
        return self._payload(ticket, now, ahead=0, wait=None)

    # -- counters ------------------------------------------------------------

    async def counter_action(self, counter_id: str, action: str, actor: Actor) -> dict[str, Any]:
        """Open, pause or close a counter."""
        if action not in COUNTER_ACTIONS:
            raise NotFound("action", action)
        self.catalogue.counter(counter_id)
        actor.check_counter(counter_id)

        def command(tx: Transaction) -> dict[str, Any]:
            state = self._counter_state(counter_id)
            if action == "open":
                changed = lifecycle.open_counter(state, clerk=actor.name, now=tx.now)
                event_type = ev.COUNTER_OPENED
            elif action == "pause":
                changed = lifecycle.pause_counter(state, now=tx.now)
                event_type = ev.COUNTER_PAUSED
            else:
                changed = lifecycle.close_counter(state, now=tx.now)
                event_type = ev.COUNTER_CLOSED
            self._save_counter(tx, changed, event_type)
            return ev.counter_state_json(changed)

        result: dict[str, Any] = await self._run(command, actor)
        return result

    async def walk_direct(
        self, counter_id: str, service_id: str, language: str, actor: Actor
    ) -> dict[str, Any]:
        """Record a visitor served at once without a ticket."""
        service = self.catalogue.service(service_id)
        actor.check_counter(counter_id)
        self.catalogue.counter(counter_id)

        def command(tx: Transaction) -> dict[str, Any]:
            today = self._ensure_day(tx)
            state = self._counter_state(counter_id)
            lifecycle.require_free_open_counter(state)
            seq = self.state.last_seq.get(service.prefix, 0) + 1
            ticket = lifecycle.walk_direct(
                ticket_id=new_ticket_id(),
                service=service,
                seq=seq,
                business_day=today,
                language=language,
                counter_id=counter_id,
                clerk=actor.name,
                now=tx.now,
            )
            self._save_ticket(tx, ticket, ev.TICKET_WALK_DIRECT, new=True)
            self._save_counter(tx, lifecycle.hold(state, ticket.id), None)
            tx.on_commit(lambda: self.state.count_issue(ticket))
            return self._payload(ticket, tx.now)

        result: dict[str, Any] = await self._run(command, actor)
        return result

    # -- printing ------------------------------------------------------------

    async def report_print(
        self, ticket_id: str, printed: bool, error: str | None, actor: Actor
    ) -> dict[str, Any]:
        """A kiosk reports whether it printed a ticket; the ticket stays valid either way."""

        def command(tx: Transaction) -> dict[str, Any]:
            ticket = self._ticket(tx, ticket_id)
            changed = lifecycle.mark_printed(ticket, printed=printed)
            tx.execute(
                "UPDATE tickets SET print_error = ? WHERE id = ?",
                (None if printed else error, ticket_id),
            )
            event_type = ev.TICKET_PRINTED if printed else ev.TICKET_PRINT_FAILED
            self._save_ticket(tx, changed, event_type, device=actor.name, error=error)
            return self._payload(changed, tx.now, wait=None)

        result: dict[str, Any] = await self._run(command, actor)
        return result

    async def set_ticker(self, text: str, actor: Actor) -> str:
        """Set the hall displays' ticker text (notices, opening hours)."""

        def command(tx: Transaction) -> str:
            tx.execute(
                "INSERT INTO settings (key, value) VALUES ('ticker', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (text,),
            )
            tx.emit(ev.EventDraft(ev.TICKER_CHANGED, {"text": text}))

            def apply() -> None:
                self.state.ticker = text

            tx.on_commit(apply)
            return text

        result: str = await self._run(command, actor)
        return result

    # -- housekeeping --------------------------------------------------------

    def housekeeping_command(self, tx: Transaction) -> int:
        """Expire what the closing time or a past day left behind; returns how many."""
        now = tx.now
        self.reload_hours(tx)
        today = self._ensure_day(tx)
        local_day = self.hours.local(now).date()
        ranges = self.hours.ranges_on(local_day)
        closed_for_today = False
        if ranges:
            closing = self.hours.at(local_day, ranges[-1].closes_minute)
            closed_for_today = now >= closing + self.catalogue.policy.expire_grace
        changed = 0
        for ticket in list(self.state.tickets.values()):
            stale = ticket.business_day < today
            if not (stale or closed_for_today) or self._kept_after_closing(ticket, stale):
                continue
            if ticket.status is TicketStatus.SERVING:
                done = lifecycle.finish(
                    ticket, counter_id=None, now=now, note="closed automatically at day end"
                )
                self._save_ticket(tx, done, ev.TICKET_FINISHED, automatic=True)
            else:
                self._save_ticket(tx, lifecycle.expire(ticket, now=now), ev.TICKET_EXPIRED)
            self._release_holder(tx, ticket)
            changed += 1
        if changed:
            tx.on_commit(lambda: self.state.publish(tx.events[-1].seq))
        return changed

    def _kept_after_closing(self, ticket: Ticket, stale: bool) -> bool:
        """Tickets a clerk is dealing with survive closing time (not a past day)."""
        if stale:
            return False
        if ticket.status in (TicketStatus.SERVING, TicketStatus.CALLED):
            return True
        return (
            ticket.status is TicketStatus.PARKED
            and not self.catalogue.policy.expire_parked_at_closing
        )

    async def housekeeping(self) -> int:
        """Run `housekeeping_command` through the writer."""
        result: int = await self.writer.run(self.housekeeping_command, actor="system")
        return result
