"""Checking a booking in at the kiosk: the code typed or scanned becomes a ticket.

Where `now` lies against the booking's window is `core.appointments.check_in_timing`
(`[appointments] check_in_early_minutes` / `check_in_late_minutes`):

- on time: a ticket of the booked service, numbered like the service's other tickets
  and marked with the booked time (`Ticket.appointment_at`); routing calls it around
  that time (`core.routing`). Checking in again answers with the same ticket.
- early: nothing changes; the answer says when check-in opens.
- late (or already marked missed): nothing changes; the answer says whether the
  visitor may take a normal ticket instead (`late_arrival = "normal_ticket"`) or not
  (`"refuse"`). The normal ticket is then taken the usual way (`POST /tickets`).
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Any

from core import events as ev
from core import lifecycle
from core.applications import normalize_secret
from core.appointments import CheckInTiming, check_in_opens, check_in_timing
from core.errors import BookingNotActive, NotFound
from core.events import iso
from core.model import LateArrival
from core.numbering import next_seq
from server.actor import Actor
from server.commands.tickets import new_ticket_id
from server.store import appointments as store
from server.store.appointments import AppointmentRow, AppointmentStatus
from server.store.writer import Transaction

if TYPE_CHECKING:
    from server.engine import Engine

Payload = dict[str, Any]
CODE_LENGTH = 8
"""A booking code's letters and digits (`K7MP-3XQ9`), as `server.appointments` makes them."""


class CheckInOutcome(StrEnum):
    """What a check-in attempt came to."""

    CHECKED_IN = "checked_in"
    EARLY = "early"
    LATE = "late"


def find_booking(
    tx: Transaction, code: str | None = None, appointment_id: str | None = None
) -> AppointmentRow:
    """The booking with this code (typed in any case, with or without the hyphen or
    spaces) or id; `NotFound` (`unknown_appointment`) for no booking, or one still
    held; `BookingNotActive` for a cancelled one."""
    row = None
    if code is not None:
        typed = normalize_secret(code)
        row = store.by_code(tx.db.conn, typed) if len(typed) == CODE_LENGTH else None
    elif appointment_id is not None:
        row = store.appointment(tx.db.conn, appointment_id[:64])
    if row is None or row.status is AppointmentStatus.HELD:
        raise NotFound("appointment", "with this code", "No booking has this code.")
    if row.status is AppointmentStatus.CANCELLED:
        raise BookingNotActive("This booking was cancelled.")
    return row


class AppointmentCommands:
    """The appointment commands that touch the queue (of one engine)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    async def check_in(
        self,
        language: str,
        actor: Actor,
        *,
        code: str | None = None,
        appointment_id: str | None = None,
    ) -> Payload:
        """Check a booking in by its `code` (the kiosk) or id (a clerk marking the
        visitor's arrival: then also before the window opens, the ticket waiting for the
        booked time all the same). The answer: `outcome` (`CheckInOutcome`),
        `service_id`, `starts_at`, and by outcome `ticket` (checked in), `opens_at`
        (early), `normal_ticket` (late: whether a normal ticket may be taken).
        Raises as `find_booking`."""
        engine = self.engine
        policy = engine.catalogue.appointment_policy
        by_clerk = appointment_id is not None

        def command(tx: Transaction) -> Payload:
            row = find_booking(tx, code, appointment_id)
            answer: Payload = {
                "service_id": row.service_id,
                "starts_at": iso(row.starts_at),
                "opens_at": None,
                "normal_ticket": False,
                "ticket": None,
            }
            if row.status is AppointmentStatus.CHECKED_IN and row.ticket_id is not None:
                ticket = engine.payload(engine.ticket(tx, row.ticket_id), tx.now, wait=None)
                return {**answer, "outcome": CheckInOutcome.CHECKED_IN.value, "ticket": ticket}
            timing = check_in_timing(row.starts_at, policy, tx.now)
            if row.status is AppointmentStatus.MISSED or timing is CheckInTiming.LATE:
                offered = policy.late_arrival is LateArrival.NORMAL_TICKET
                return {**answer, "outcome": CheckInOutcome.LATE.value, "normal_ticket": offered}
            if timing is CheckInTiming.EARLY and not by_clerk:
                opens = iso(check_in_opens(row.starts_at, policy))
                return {**answer, "outcome": CheckInOutcome.EARLY.value, "opens_at": opens}
            ticket = self._issue(tx, row, language)
            return {**answer, "outcome": CheckInOutcome.CHECKED_IN.value, "ticket": ticket}

        result: Payload = await engine.run(command, actor)
        return result

    def _issue(self, tx: Transaction, row: AppointmentRow, language: str) -> Payload:
        engine = self.engine
        service = engine.catalogue.service(row.service_id)
        today = engine.ensure_day(tx)
        ticket = lifecycle.issue(
            ticket_id=new_ticket_id(),
            service=service,
            seq=next_seq(engine.state.last_ticket_seq.get(service.prefix)),
            business_day=today,
            language=language,
            is_priority=False,
            now=tx.now,
            appointment_at=row.starts_at,
        )
        engine.save_ticket(tx, ticket, ev.TICKET_ISSUED, new=True)
        store.check_in(tx.db.conn, row.id, tx.now, ticket.id)
        tx.emit(
            ev.appointment_event(
                ev.APPOINTMENT_CHECKED_IN, row.id, row.starts_at, row.service_id, ticket.id
            )
        )
        tx.on_commit(lambda: engine.state.count_issue(ticket))
        return engine.payload(ticket, tx.now, wait=None)
