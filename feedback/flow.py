"""What a feedback terminal shows when (pure: no Kivy, time passed in).

A terminal at a counter waits ("idle") until the clerk finishes a visit
there, then asks ("question") in the visit's language for a limited time;
one tap stores the rating and thanks the visitor ("thanks"), then it waits
again. A terminal by the exit starts at "entry" (type your ticket number),
asks once the server has found the served, unrated visit, and returns to
"entry". A question takes one answer: a second tap or a replayed event
never leads to a second rating (and the server refuses one anyway).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Literal

from core.wire.payloads import TicketView, VisitView

State = Literal["idle", "entry", "question", "thanks"]
REMEMBERED_VISITS = 500
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class VisitToRate:
    """The served visit being rated (a recorded visit, as statistics count it, is
    `core.statistics.Visit`)."""

    ticket_id: str
    number: str
    language: str
    service_id: str | None = None

    @classmethod
    def of_ticket(cls, ticket: TicketView) -> VisitToRate:
        """From the ticket of a `ticket.finished` event (rated for the service the
        visitor came for)."""
        return cls(ticket.id, ticket.number, ticket.language, ticket.original_service_id)

    @classmethod
    def of_visit(cls, visit: VisitView) -> VisitToRate:
        """From the exit terminal's lookup (`GET /feedback/visit`)."""
        return cls(visit.ticket_id, visit.number, visit.language, visit.service_id)


@dataclass(frozen=True)
class FeedbackTimes:
    """How long each step lasts, in seconds."""

    question: float = 30.0
    thanks: float = 5.0
    entry_idle: float = 45.0
    """Exit terminal: a half-typed number is cleared after this long."""


class FeedbackFlow:
    """The terminal's state; the app asks it what to show and when."""

    def __init__(self, exit_terminal: bool, times: FeedbackTimes = FeedbackTimes()) -> None:
        self.exit_terminal = exit_terminal
        self.times = times
        self.state: State = self.resting_state
        self.visit: VisitToRate | None = None
        self.rating: int | None = None
        self.until: float | None = None
        self.patient = False
        """Speech mode: nothing the visitor is doing is timed out silently (the question
        stays until answered or replaced, a half-typed number is kept)."""
        self._asked: deque[str] = deque(maxlen=REMEMBERED_VISITS)

    @property
    def resting_state(self) -> State:
        """Where the terminal waits between visitors."""
        return "entry" if self.exit_terminal else "idle"

    def already_asked(self, ticket_id: str) -> bool:
        """Whether this terminal has asked about the visit before."""
        return ticket_id in self._asked

    def ask(self, visit: VisitToRate, now: float) -> bool:
        """Ask about `visit` (just finished here, or found by its number). A counter
        terminal asks about a visit once (False if it has asked before: a replayed
        event); an exit terminal asks whenever the server found the visit unrated.
        A newer visit replaces the one being asked about."""
        if not self.exit_terminal and self.already_asked(visit.ticket_id):
            return False
        self._asked.append(visit.ticket_id)
        self.state, self.visit, self.rating = "question", visit, None
        self.until = None if self.patient else now + self.times.question
        return True

    def rate(self, rating: int, now: float) -> VisitToRate | None:
        """The visitor tapped a face: the visit to store the rating for, or None when
        this tap must not store anything (no question showing, already answered)."""
        if rating not in RATINGS:
            raise ValueError(f"a rating is 1 to 5, got {rating}")
        if self.state != "question" or self.visit is None:
            return None
        self.state, self.rating = "thanks", rating
        self.until = now + self.times.thanks
        return self.visit

    def tick(self, now: float) -> bool:
        """Time passes; True when the state changed (a step ran out)."""
        if self.until is None or now < self.until:
            return False
        self.rest()
        return True

    def rest(self) -> None:
        """Back to waiting for the next visitor."""
        self.state, self.visit, self.rating, self.until = self.resting_state, None, None, None

    def typing(self, now: float) -> None:
        """The visitor is typing a number (exit terminal): keep it until they pause."""
        self.until = None if self.patient else now + self.times.entry_idle

    def set_patient(self, on: bool, now: float) -> None:
        """Speech mode on or off. Turned off, the question gets its full time again."""
        self.patient = on
        if self.state == "question":
            self.until = None if on else now + self.times.question
        elif self.state == "entry" and on:
            self.until = None
