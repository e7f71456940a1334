"""End-of-day housekeeping: what closing time or a past business day leaves behind.

Run by the server every `housekeeping_seconds`. It re-reads the opening-hours
exceptions first, so an exception stored while it was not looking applies.

- A ticket of a past business day is ended whatever its status: a visit being served
  is finished ("closed automatically at day end"), any other expires.
- Today, once the grace period after the last closing time has passed, waiting
  tickets expire; tickets a clerk is dealing with (called, being served) stay, and so
  do parked ones unless the policy expires them (`expire_parked_at_closing`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from core import events as ev
from core import lifecycle
from core.model import Ticket, TicketStatus
from server.store.writer import Transaction

if TYPE_CHECKING:
    from server.engine import Engine


class Housekeeping:
    """The housekeeping of one engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def command(self, tx: Transaction) -> int:
        """Expire what the closing time or a past day left behind; returns how many."""
        engine = self.engine
        now = tx.now
        engine.reload_hours(tx.db)
        today = engine.ensure_day(tx)
        hours = engine.hours
        local_day = hours.local(now).date()
        ranges = hours.ranges_on(local_day)
        closed_for_today = False
        if ranges:
            closing = hours.at(local_day, ranges[-1].closes_minute)
            closed_for_today = now >= closing + engine.catalogue.policy.expire_grace
        changed = 0
        for ticket in list(engine.state.tickets.values()):
            stale = ticket.business_day < today
            if not (stale or closed_for_today) or self._kept_after_closing(ticket, stale):
                continue
            if ticket.status is TicketStatus.SERVING:
                done = lifecycle.finish(
                    ticket, counter_id=None, now=now, note="closed automatically at day end"
                )
                engine.save_ticket(tx, done, ev.TICKET_FINISHED, automatic=True)
            else:
                engine.save_ticket(tx, lifecycle.expire(ticket, now=now), ev.TICKET_EXPIRED)
            engine.release_holder(tx, ticket)
            changed += 1
        if changed:
            tx.on_commit(lambda: engine.state.publish(tx.events[-1].seq))
        return changed

    def _kept_after_closing(self, ticket: Ticket, stale: bool) -> bool:
        """Tickets a clerk is dealing with survive closing time (not a past day)."""
        if stale:
            return False
        if ticket.status in (TicketStatus.SERVING, TicketStatus.CALLED):
            return True
        return (
            ticket.status is TicketStatus.PARKED
            and not self.engine.catalogue.policy.expire_parked_at_closing
        )

    async def run(self) -> int:
        """Run `command` through the writer."""
        result: int = await self.engine.writer.run(self.command, actor="system")
        return result
