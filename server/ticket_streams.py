"""How many live views of tickets are open (the public ticket page's streams), with
their limits: per ticket and in all."""

from __future__ import annotations

from server.ratelimit import TooManyAttempts

STREAMS_PER_TICKET = 4
"""A visitor's phone or two; more is someone else's script."""
STREAMS_IN_ALL = 2000


class TooManyStreams(TooManyAttempts):
    """Too many live views are open (per ticket or in all); answered with 429."""

    code = "too_many_streams"


class TicketStreams:
    """How many live views are open, per ticket and in all."""

    def __init__(self) -> None:
        self.by_ticket: dict[str, int] = {}

    def open(self, ticket_id: str) -> None:
        """Count one more view of `ticket_id`, or raise `TooManyStreams`."""
        if (
            self.by_ticket.get(ticket_id, 0) >= STREAMS_PER_TICKET
            or sum(self.by_ticket.values()) >= STREAMS_IN_ALL
        ):
            raise TooManyStreams(
                "Too many live views of tickets are open; try again later.", retry_after=30
            )
        self.by_ticket[ticket_id] = self.by_ticket.get(ticket_id, 0) + 1

    def close(self, ticket_id: str) -> None:
        """A view of `ticket_id` closed."""
        left = self.by_ticket.get(ticket_id, 0) - 1
        if left > 0:
            self.by_ticket[ticket_id] = left
        else:
            self.by_ticket.pop(ticket_id, None)
