"""What a centre ships, as the hub reads it: the batch envelope and, from each event,
the visit, rating or counter state it describes.

The one place the hub decodes events (the shipped form is made by the centre in
`server.hub_link.shipped`); when events gain typed wire views, only this module
changes. Anything malformed is refused as a whole batch, before anything is stored.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, ValidationError

from core import events as ev
from core.errors import InvalidInput
from core.statistics import Visit

SCHEMA_VERSIONS = frozenset({1})
"""Versions of the shipped form this hub reads."""
MAX_BATCH = 2000
ID = Field(default=None, max_length=64)


class ShippedEvent(BaseModel):
    """One event of a centre's log, in its shipped form."""

    model_config = ConfigDict(extra="forbid")

    seq: int = Field(ge=1)
    type: str = Field(min_length=1, max_length=64)
    at: AwareDatetime
    schema_version: int
    service_id: str | None = ID
    counter_id: str | None = ID
    ticket_id: str | None = ID
    actor: str | None = Field(default=None, max_length=100)
    data: dict[str, Any] = Field(default_factory=dict)


class Batch(BaseModel):
    """`POST /api/v1/centres/{id}/events`: every event of the centre's log with
    `after < seq <= through`, in any order. A centre's log has no gaps (its sequence
    numbers come from one autoincrement inside each committed transaction, and it is
    append-only), so a batch holds exactly `through - after` events."""

    model_config = ConfigDict(extra="forbid")

    after: int = Field(ge=0)
    through: int = Field(ge=1)
    events: list[ShippedEvent] = Field(max_length=MAX_BATCH)


class ShippedTicket(BaseModel):
    """The ticket inside a ticket event (only the fields the hub reads)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(max_length=64)
    original_service_id: str = Field(max_length=64)
    status: str = Field(max_length=32)
    issued_at: AwareDatetime
    first_called_at: AwareDatetime | None = None
    started_at: AwareDatetime | None = None
    finished_at: AwareDatetime | None = None
    walk_direct: bool = False
    counter_id: str | None = ID
    staff_id: str | None = ID
    target_wait_seconds: int = Field(ge=0)


class ShippedCounter(BaseModel):
    """The counter inside a counter event."""

    model_config = ConfigDict(extra="ignore")

    counter_id: str = Field(max_length=64)
    status: str = Field(max_length=32)
    since: AwareDatetime | None = None
    staff_id: str | None = ID
    current_ticket_id: str | None = ID


@dataclass(frozen=True)
class VisitState:
    """A visit as its latest ticket event describes it."""

    seq: int
    ticket_id: str
    service_id: str
    status: str
    issued_at: datetime
    first_called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    walk_direct: bool
    target_wait_seconds: int
    counter_id: str | None
    staff_id: str | None

    def visit(self, rating: int | None) -> Visit:
        """The visit as `core.statistics` counts it."""
        return Visit(
            ticket_id=self.ticket_id,
            service_id=self.service_id,
            status=self.status,
            issued_at=self.issued_at,
            target_wait_seconds=float(self.target_wait_seconds),
            counter_id=self.counter_id,
            clerk=self.staff_id,
            first_called_at=self.first_called_at,
            started_at=self.started_at,
            finished_at=self.finished_at,
            walk_direct=self.walk_direct,
            rating=rating,
        )


@dataclass(frozen=True)
class Rating:
    """A visitor's feedback on a visit."""

    seq: int
    ticket_id: str
    rating: int


@dataclass(frozen=True)
class CounterState:
    """A counter's state as a counter event describes it."""

    seq: int
    counter_id: str
    status: str
    since: datetime | None
    staff_id: str | None
    current_ticket_id: str | None


Meaning = VisitState | Rating | CounterState | None
"""What an event tells the hub's figures (None: nothing, it is only stored)."""
COUNTER_EVENTS = frozenset({ev.COUNTER_OPENED, ev.COUNTER_PAUSED, ev.COUNTER_CLOSED})
FEEDBACK_GIVEN = "feedback.given"


def parse_batch(body: Any) -> Batch:
    """A batch from JSON, checked (`check_batch`); `InvalidInput` if malformed."""
    try:
        batch = Batch.model_validate(body)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise InvalidInput(
            f"The batch is malformed at {where}: {first['msg']}.", {where: "invalid"}
        ) from None
    return check_batch(batch)


def check_batch(batch: Batch) -> Batch:
    """What the schema cannot say: `InvalidInput` for an unknown schema version, a seq
    outside (after, through], a seq sent twice or one missing."""
    if batch.through < batch.after:
        raise InvalidInput("`through` is before `after`.", {"through": "before_after"})
    if len(batch.events) != batch.through - batch.after:
        raise InvalidInput(
            f"A batch holds every event after {batch.after} up to {batch.through}: "
            f"{batch.through - batch.after}, not {len(batch.events)}.",
            {"events": "not_contiguous"},
        )
    seen: set[int] = set()
    for event in batch.events:
        if event.schema_version not in SCHEMA_VERSIONS:
            raise InvalidInput(
                f"Event {event.seq} has schema version {event.schema_version}; this hub reads "
                f"{', '.join(map(str, sorted(SCHEMA_VERSIONS)))}.",
                {"schema_version": "unsupported"},
            )
        if not batch.after < event.seq <= batch.through:
            raise InvalidInput(
                f"Event {event.seq} is outside the batch ({batch.after}, {batch.through}].",
                {"events": "seq_outside_batch"},
            )
        if event.seq in seen:
            raise InvalidInput(f"Event {event.seq} is in the batch twice.", {"events": "duplicate"})
        seen.add(event.seq)
    return batch


def meaning(event: ShippedEvent) -> Meaning:
    """What the event tells the figures; `InvalidInput` if its data is malformed."""
    try:
        if event.type in ev.TICKET_EVENTS:
            ticket = ShippedTicket.model_validate(event.data.get("ticket"))
            return VisitState(
                seq=event.seq,
                ticket_id=ticket.id,
                service_id=ticket.original_service_id,
                status=ticket.status,
                issued_at=ticket.issued_at,
                first_called_at=ticket.first_called_at,
                started_at=ticket.started_at,
                finished_at=ticket.finished_at,
                walk_direct=ticket.walk_direct,
                target_wait_seconds=ticket.target_wait_seconds,
                counter_id=ticket.counter_id,
                staff_id=ticket.staff_id,
            )
        if event.type in COUNTER_EVENTS:
            counter = ShippedCounter.model_validate(event.data.get("counter"))
            return CounterState(
                seq=event.seq,
                counter_id=counter.counter_id,
                status=counter.status,
                since=counter.since,
                staff_id=counter.staff_id,
                current_ticket_id=counter.current_ticket_id,
            )
        if event.type == FEEDBACK_GIVEN:
            rating = event.data.get("rating")
            if event.ticket_id is None or not isinstance(rating, int) or not 1 <= rating <= 5:
                raise InvalidInput(
                    f"Event {event.seq}: feedback needs a ticket_id and a rating 1 to 5.",
                    {"events": "invalid_feedback"},
                )
            return Rating(seq=event.seq, ticket_id=event.ticket_id, rating=rating)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first.get("loc", ()))
        raise InvalidInput(
            f"Event {event.seq} ({event.type}) is malformed at {where or 'data'}: {first['msg']}.",
            {"events": "invalid_event_data"},
        ) from None
    return None
