"""Which ticket a counter calls next.

The waiting tickets are kept in a `QueueBook`: per service, one list of
priority tickets, one of normal tickets and one of booked visitors' tickets
(issued at an appointment's check-in), each in queue order (`Ticket.order_key`:
since when the visitor waits, then number). A booked visitor waits from the
booked time, or from the check-in when that came later. Every strategy only
needs the head of each list, so choosing is cheap even with hundreds waiting.

Rules, in order:

1. A ticket transferred to this very counter goes first (its visit is already
   under way).
2. Booked visitors whose time has come and priority tickets go before normal
   ones, **except** that a normal ticket that has waited at least the fairness
   limit is never overtaken by one of them that has waited less: among the
   overdue normal tickets, the due booked visitors and the priority tickets,
   the one waiting longest is called (with no booked visitor due, the
   counter's strategy picks among the priority heads, as before). So a booked
   visitor is called at the first free counter from the booked time on, and a
   walk-in keeps the same bound whether priority or booked visitors overtake.
3. Otherwise the counter's strategy picks among the normal heads.
4. A booked visitor who checked in early is called before the booked time
   only by a counter that has nobody else to call.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from core.model import Counter, QueuePolicy, Service, Strategy, Ticket, TicketStatus


@dataclass
class ServiceQueue:
    """The waiting tickets of one service, in queue order."""

    priority: list[Ticket] = field(default_factory=list)
    normal: list[Ticket] = field(default_factory=list)
    booked: list[Ticket] = field(default_factory=list)
    """Tickets of checked-in appointments, by booked time (or check-in, if later)."""

    def lane(self, ticket: Ticket) -> list[Ticket]:
        """The list `ticket` belongs in."""
        if ticket.appointment_at is not None:
            return self.booked
        return self.priority if ticket.is_priority else self.normal

    def __len__(self) -> int:
        return len(self.priority) + len(self.normal) + len(self.booked)


@dataclass
class QueueBook:
    """All waiting tickets, arranged for routing. Mutable working structure."""

    by_service: dict[str, ServiceQueue] = field(default_factory=dict)
    by_counter: dict[str, list[Ticket]] = field(default_factory=dict)

    @classmethod
    def from_tickets(cls, tickets: Iterable[Ticket]) -> QueueBook:
        """A book of the waiting tickets among `tickets` (others are ignored)."""
        book = cls()
        for ticket in sorted(tickets, key=lambda t: t.order_key):
            if ticket.status is TicketStatus.WAITING:
                book._lane(ticket).append(ticket)
        return book

    def _lane(self, ticket: Ticket) -> list[Ticket]:
        if ticket.target_counter_id is not None:
            return self.by_counter.setdefault(ticket.target_counter_id, [])
        return self.by_service.setdefault(ticket.service_id, ServiceQueue()).lane(ticket)

    def add(self, ticket: Ticket) -> None:
        """Insert a waiting ticket at its place in queue order."""
        bisect.insort(self._lane(ticket), ticket, key=_order_key)

    def remove(self, ticket: Ticket) -> None:
        """Take a ticket out (it was called, cancelled, ...)."""
        lane = self._lane(ticket)
        for index, queued in enumerate(lane):
            if queued.id == ticket.id:
                del lane[index]
                return
        raise KeyError(ticket.id)

    def copy(self) -> QueueBook:
        """An independent copy (the estimator simulates on one)."""
        return QueueBook(
            by_service={
                sid: ServiceQueue(list(q.priority), list(q.normal), list(q.booked))
                for sid, q in self.by_service.items()
            },
            by_counter={cid: list(lane) for cid, lane in self.by_counter.items()},
        )

    def waiting(self, service_id: str) -> int:
        """How many wait for a service (not counting tickets sent to one counter)."""
        queue = self.by_service.get(service_id)
        return len(queue) if queue is not None else 0

    def all_tickets(self) -> list[Ticket]:
        """Every waiting ticket, in queue order."""
        tickets = [t for q in self.by_service.values() for t in (*q.priority, *q.normal, *q.booked)]
        tickets += [t for lane in self.by_counter.values() for t in lane]
        return sorted(tickets, key=lambda t: t.order_key)

    def __len__(self) -> int:
        return sum(len(q) for q in self.by_service.values()) + sum(
            len(lane) for lane in self.by_counter.values()
        )


class Lanes(Protocol):
    """A service's waiting tickets as routing reads them (`ServiceQueue`'s shape)."""

    @property
    def priority(self) -> Sequence[Ticket]: ...
    @property
    def normal(self) -> Sequence[Ticket]: ...
    @property
    def booked(self) -> Sequence[Ticket]: ...


class RoutingBook(Protocol):
    """What `choose_next` reads of a book: each lane's head (`QueueBook`, or the lane
    views of a kept play-through, `core.play`)."""

    @property
    def by_service(self) -> Mapping[str, Lanes]: ...
    @property
    def by_counter(self) -> Mapping[str, Sequence[Ticket]]: ...


def _order_key(ticket: Ticket) -> tuple[datetime, int, str]:
    return ticket.order_key


def choose_next(
    counter: Counter,
    book: RoutingBook,
    services: Mapping[str, Service],
    now: datetime,
    policy: QueuePolicy,
) -> Ticket | None:
    """The ticket `counter` should call now, or None if nobody waits for it."""
    targeted = book.by_counter.get(counter.id)
    if targeted:
        return targeted[0]
    priority_heads: list[tuple[str, Ticket]] = []
    normal_heads: list[tuple[str, Ticket]] = []
    booked_heads: list[tuple[str, Ticket]] = []
    for service_id in counter.profile.service_ids:
        queue = book.by_service.get(service_id)
        if queue is None:
            continue
        if queue.priority:
            priority_heads.append((service_id, queue.priority[0]))
        if queue.normal:
            normal_heads.append((service_id, queue.normal[0]))
        if queue.booked:
            booked_heads.append((service_id, queue.booked[0]))
    due = [head for head in booked_heads if head[1].queued_since <= now]
    if priority_heads or due:
        limit = policy.priority_fairness_limit
        overdue = [head for head in normal_heads if head[1].waited(now) >= limit]
        if overdue or due:
            return min((t for _, t in (*overdue, *due, *priority_heads)), key=lambda t: t.order_key)
        return _pick(counter, priority_heads, services, now)
    if normal_heads:
        return _pick(counter, normal_heads, services, now)
    if booked_heads:
        return min((t for _, t in booked_heads), key=lambda t: t.order_key)
    return None


def _pick(
    counter: Counter,
    heads: list[tuple[str, Ticket]],
    services: Mapping[str, Service],
    now: datetime,
) -> Ticket:
    strategy = counter.profile.strategy
    if strategy is Strategy.PROFILE_ORDER:
        return heads[0][1]
    if strategy is Strategy.SERVICE_LEVEL:

        def urgency(head: tuple[str, Ticket]) -> tuple[float, tuple[datetime, int, str]]:
            service_id, ticket = head
            target = services[service_id].target_wait.total_seconds() or 1.0
            score = ticket.waited(now).total_seconds() / target * counter.profile.weight(service_id)
            # Highest score first; ties go to the earlier ticket.
            issued, seq, ident = ticket.order_key
            return (-score, (issued, seq, ident))

        return min(heads, key=urgency)[1]
    return min((t for _, t in heads), key=lambda t: t.order_key)
