"""Ticket commands: issue, call next, the actions on a ticket, walk-direct visits, and
whether a kiosk printed a ticket."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from core import events as ev
from core import lifecycle
from core.errors import InvalidInput
from core.estimate import NewTicketEstimate
from core.issuing import issue_refusal, raise_refusal
from core.model import Ticket
from core.numbering import next_seq
from core.routing import choose_next
from server.actor import Actor
from server.commands import NamedAction
from server.store.tickets import set_print_error
from server.store.writer import Idempotency, Transaction

if TYPE_CHECKING:
    from server.engine import Engine

Payload = dict[str, Any]


class TicketAction(NamedAction):
    """What staff can do to a ticket (`POST /tickets/{id}/{action}`)."""

    CALL = "call"
    RECALL = "recall"
    START = "start"
    FINISH = "finish"
    NO_SHOW = "no-show"
    PARK = "park"
    RESUME = "resume"
    TRANSFER = "transfer"
    CANCEL = "cancel"
    REACTIVATE = "reactivate"


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


@dataclass(frozen=True)
class _Step:
    """One action on one ticket inside a transaction."""

    tx: Transaction
    ticket: Ticket
    params: TicketParams
    actor: Actor

    @property
    def now(self) -> datetime:
        return self.tx.now


class TicketCommands:
    """The ticket commands of one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._actions: dict[TicketAction, Callable[[_Step], Payload]] = {
            TicketAction.CALL: self._call_action,
            TicketAction.RECALL: self._recall,
            TicketAction.START: self._start,
            TicketAction.FINISH: self._finish,
            TicketAction.NO_SHOW: self._no_show,
            TicketAction.PARK: self._park,
            TicketAction.RESUME: self._resume,
            TicketAction.TRANSFER: self._transfer,
            TicketAction.CANCEL: self._cancel,
            TicketAction.REACTIVATE: self._reactivate,
        }
        assert set(self._actions) == set(TicketAction), "every action has its command"

    # -- issuing -------------------------------------------------------------

    async def issue(
        self,
        service_id: str,
        language: str,
        is_priority: bool,
        actor: Actor,
        idempotency: Idempotency | None = None,
    ) -> Payload:
        """Issue a ticket; returns the ticket payload (replayed for a repeated key).
        Raises the `ServiceUnavailable` of `core.issuing.issue_refusal` when refused."""
        engine = self.engine
        service = engine.catalogue.service(service_id)

        def command(tx: Transaction) -> Payload:
            now = tx.now
            today = engine.ensure_day(tx)
            estimates: list[tuple[NewTicketEstimate, float | None, float | None]] = []

            def expected_wait() -> timedelta | None:
                estimates.append(engine.state.tell_new(service_id, is_priority, now))
                return estimates[-1][0].wait

            refusal = issue_refusal(
                service,
                engine.hours,
                now,
                issued_today=engine.state.issued_today.get(service_id, 0),
                expected_wait=expected_wait,
            )
            if refusal is not None:
                raise_refusal(refusal, service, engine.hours, now)
            ((estimate, play_through, naive),) = estimates
            ticket = lifecycle.issue(
                ticket_id=new_ticket_id(),
                service=service,
                seq=next_seq(engine.state.last_ticket_seq.get(service.prefix)),
                business_day=today,
                language=language,
                is_priority=is_priority,
                now=now,
            )
            engine.save_ticket(tx, ticket, ev.TICKET_ISSUED, new=True)
            tx.on_commit(lambda: engine.state.count_issue(ticket))
            if play_through is not None:
                tx.on_commit(lambda: engine.state.remember_told(ticket.id, play_through, naive))
            return engine.payload(ticket, now, estimate=estimate)

        result: Payload = await engine.run(command, actor, idempotency, bulk=True)
        return result

    async def walk_direct(
        self, counter_id: str, service_id: str, language: str, actor: Actor
    ) -> Payload:
        """Record a visitor served at once without a ticket (numbered like a ticket, not
        counted towards the daily cap)."""
        engine = self.engine
        service = engine.catalogue.service(service_id)
        actor.check_counter(counter_id)
        engine.catalogue.counter(counter_id)

        def command(tx: Transaction) -> Payload:
            today = engine.ensure_day(tx)
            state = engine.counter_state(counter_id)
            lifecycle.require_free_open_counter(state)
            ticket = lifecycle.walk_direct(
                ticket_id=new_ticket_id(),
                service=service,
                seq=next_seq(engine.state.last_ticket_seq.get(service.prefix)),
                business_day=today,
                language=language,
                counter_id=counter_id,
                clerk=actor.name,
                now=tx.now,
            )
            engine.save_ticket(tx, ticket, ev.TICKET_WALK_DIRECT, new=True)
            engine.save_counter(tx, lifecycle.hold(state, ticket.id), None)
            tx.on_commit(lambda: engine.state.count_issue(ticket))
            return engine.payload(ticket, tx.now)

        result: Payload = await engine.run(command, actor)
        return result

    # -- calling -------------------------------------------------------------

    async def call_next(self, counter_id: str, actor: Actor) -> Payload | None:
        """Call the next ticket to a counter; None when nobody waits for it."""
        engine = self.engine
        counter = engine.catalogue.counter(counter_id)
        actor.check_counter(counter_id)

        def command(tx: Transaction) -> Payload | None:
            engine.ensure_day(tx)
            lifecycle.require_free_open_counter(engine.counter_state(counter_id))
            chosen = choose_next(
                counter,
                engine.state.book,
                engine.catalogue.services_by_id,
                tx.now,
                engine.catalogue.policy,
            )
            if chosen is None:
                return None
            return self._call(tx, chosen, counter_id, actor)

        result: Payload | None = await engine.run(command, actor)
        return result

    def _call(self, tx: Transaction, ticket: Ticket, counter_id: str, actor: Actor) -> Payload:
        engine = self.engine
        called = lifecycle.call(
            ticket,
            counter_id=counter_id,
            clerk=actor.name,
            now=tx.now,
            policy=engine.catalogue.policy,
        )
        engine.save_ticket(tx, called, ev.TICKET_CALLED)
        engine.save_counter(tx, lifecycle.hold(engine.counter_state(counter_id), called.id), None)
        tx.on_commit(lambda: engine.state.record_call(called))
        return engine.payload(called, tx.now)

    # -- actions on one ticket -----------------------------------------------

    async def act(
        self, ticket_id: str, action: TicketAction, params: TicketParams, actor: Actor
    ) -> Payload:
        """Apply one `TicketAction` to a ticket."""
        engine = self.engine
        if params.service_id is not None:
            engine.catalogue.service(params.service_id)
        if params.counter_id is not None:
            engine.catalogue.counter(params.counter_id)
        run_action = self._actions[action]

        def command(tx: Transaction) -> Payload:
            engine.ensure_day(tx)
            ticket = engine.ticket(tx, ticket_id)
            takes_to_a_counter = action in (TicketAction.CALL, TicketAction.RESUME)
            if not takes_to_a_counter and ticket.status.holds_counter and ticket.counter_id:
                actor.check_counter(ticket.counter_id)  # only its counter acts on a held ticket
            return run_action(_Step(tx, ticket, params, actor))

        result: Payload = await engine.run(command, actor)
        return result

    def _free_counter_for(self, step: _Step) -> str:
        counter_id = step.actor.counter_for(step.params.counter_id)
        lifecycle.require_free_open_counter(self.engine.counter_state(counter_id))
        return counter_id

    def _call_action(self, step: _Step) -> Payload:
        return self._call(step.tx, step.ticket, self._free_counter_for(step), step.actor)

    def _resume(self, step: _Step) -> Payload:
        engine = self.engine
        counter_id = self._free_counter_for(step)
        resumed = lifecycle.resume(
            step.ticket, counter_id=counter_id, clerk=step.actor.name, now=step.now
        )
        engine.save_ticket(step.tx, resumed, ev.TICKET_RESUMED)
        engine.save_counter(
            step.tx, lifecycle.hold(engine.counter_state(counter_id), resumed.id), None
        )
        step.tx.on_commit(lambda: engine.state.record_call(resumed))
        return engine.payload(resumed, step.now)

    def _recall(self, step: _Step) -> Payload:
        engine = self.engine
        recalled = lifecycle.recall(step.ticket, counter_id=step.ticket.counter_id, now=step.now)
        engine.save_ticket(step.tx, recalled, ev.TICKET_RECALLED)
        step.tx.on_commit(lambda: engine.state.record_call(recalled, recall=True))
        return engine.payload(recalled, step.now)

    def _start(self, step: _Step) -> Payload:
        started = lifecycle.start(step.ticket, counter_id=step.ticket.counter_id, now=step.now)
        self.engine.save_ticket(step.tx, started, ev.TICKET_STARTED)
        return self.engine.payload(started, step.now)

    def _finish(self, step: _Step) -> Payload:
        finished = lifecycle.finish(
            step.ticket,
            counter_id=step.ticket.counter_id,
            now=step.now,
            delivered_service=step.params.delivered_service,
            note=step.params.note,
        )
        return self._visit_ended(step, finished, ev.TICKET_FINISHED)

    def _no_show(self, step: _Step) -> Payload:
        gone = lifecycle.no_show(step.ticket, counter_id=step.ticket.counter_id, now=step.now)
        return self._visit_ended(step, gone, ev.TICKET_NO_SHOW)

    def _visit_ended(self, step: _Step, changed: Ticket, event_type: str) -> Payload:
        """A visit at the counter ended: the counter is free, and the time from its call
        is a measured visit length of its service."""
        engine, ticket = self.engine, step.ticket
        engine.save_ticket(step.tx, changed, event_type)
        engine.release_holder(step.tx, ticket)
        if ticket.called_at is not None:
            seconds = (step.now - ticket.called_at).total_seconds()
            service_id = ticket.service_id
            step.tx.on_commit(lambda: engine.state.record_duration(service_id, seconds))
        return engine.payload(changed, step.now)

    def _park(self, step: _Step) -> Payload:
        parked = lifecycle.park(step.ticket, counter_id=step.ticket.counter_id, now=step.now)
        self.engine.save_ticket(step.tx, parked, ev.TICKET_PARKED)
        self.engine.release_holder(step.tx, step.ticket)
        return self.engine.payload(parked, step.now)

    def _transfer(self, step: _Step) -> Payload:
        engine, ticket, params = self.engine, step.ticket, step.params
        if params.service_id is None and params.counter_id is None:
            raise InvalidInput(
                "Say where to transfer the ticket.",
                {"service_id": "service_id or counter_id is required"},
            )
        to_service = engine.catalogue.service(params.service_id) if params.service_id else None
        moved = lifecycle.transfer(
            ticket, now=step.now, to_service=to_service, to_counter_id=params.counter_id
        )
        engine.save_ticket(
            step.tx,
            moved,
            ev.TICKET_TRANSFERRED,
            from_service_id=ticket.service_id,
            from_counter_id=ticket.counter_id,
        )
        engine.release_holder(step.tx, ticket)
        return self._waiting_payload(moved, step.now)

    def _cancel(self, step: _Step) -> Payload:
        cancelled = lifecycle.cancel(step.ticket, now=step.now)
        self.engine.save_ticket(step.tx, cancelled, ev.TICKET_CANCELLED)
        self.engine.release_holder(step.tx, step.ticket)
        return self.engine.payload(cancelled, step.now)

    def _reactivate(self, step: _Step) -> Payload:
        back = lifecycle.reactivate(step.ticket, now=step.now, policy=self.engine.catalogue.policy)
        self.engine.save_ticket(step.tx, back, ev.TICKET_REACTIVATED)
        return self._waiting_payload(back, step.now)

    def _waiting_payload(self, ticket: Ticket, now: datetime) -> Payload:
        """A ticket back in the queue: its figures are computed after commit by readers."""
        return self.engine.payload(ticket, now, ahead=0, wait=None)

    # -- printing ------------------------------------------------------------

    async def report_print(
        self, ticket_id: str, printed: bool, error: str | None, actor: Actor
    ) -> Payload:
        """A kiosk reports whether it printed a ticket; the ticket stays valid either way."""
        engine = self.engine

        def command(tx: Transaction) -> Payload:
            ticket = engine.ticket(tx, ticket_id)
            changed = lifecycle.mark_printed(ticket, printed=printed)
            set_print_error(tx.db.conn, ticket_id, None if printed else error)
            event_type = ev.TICKET_PRINTED if printed else ev.TICKET_PRINT_FAILED
            engine.save_ticket(tx, changed, event_type, device=actor.name, error=error)
            return engine.payload(changed, tx.now, wait=None)

        result: Payload = await engine.run(command, actor)
        return result
