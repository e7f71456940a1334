"""What a centre ships, as the hub reads it: the batch envelope and, from each event,
the visit, rating or counter state it describes.

The one place the hub decodes events (the shipped form is made by the centre in
`server.hub_link.shipped` from the events' wire form, `core.wire`, with what stays at
the centre left out). Which part of an event the hub reads follows the event's wire
data view (`core.wire.events.EVENT_DATA`), the schema version follows the events'
own rule (`core.wire.version`), and the ticket and counter read here are checked to
be parts of `TicketView` and `CounterStateView` (tests/hub/test_wire_views.py).
The batch is validated by pydantic rather than `core.wire.codec`, for speed
(one pass in compiled code over up to 2000 events) and for errors that name the
batch position. A batch is read in **one validation pass**: each event is checked, by its
type, together with the parts of its data the hub reads (the ticket of a ticket
event, the counter of a counter event, the rating of feedback); the rest of an
event's data is stored as it came. Anything malformed is refused as a whole batch,
before anything is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Annotated, Any, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictInt,
    Tag,
    TypeAdapter,
    ValidationError,
)

from core import days
from core.errors import InvalidInput
from core.model import CounterStatus, TicketStatus
from core.statistics import Visit
from core.wire.event_data import CounterData as CounterDataView
from core.wire.event_data import FeedbackData as FeedbackDataView
from core.wire.event_data import TicketData as TicketDataView
from core.wire.events import EVENT_DATA
from core.wire.version import UnsupportedVersion, check_version
from server.api.errors import field_problem

MAX_BATCH = 2000
ID = Field(default=None, max_length=64)
KINDS: dict[type, str] = {
    TicketDataView: "ticket",
    CounterDataView: "counter",
    FeedbackDataView: "feedback",
}
"""The event data views the hub reads, and the name of its model for them."""


Moment = Annotated[
    AwareDatetime,
    Field(
        ge=datetime.combine(days.FIRST_DAY, time(0), UTC),
        lt=datetime.combine(days.LAST_DAY + timedelta(days=1), time(0), UTC),
    ),
]
"""An aware time (ISO 8601 with its offset) within `core.days`' range (2000-2999):
nothing real is outside it (`out_of_range` otherwise)."""


class ShippedTicket(BaseModel):
    """The ticket inside a ticket event (only the fields the hub reads)."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1, max_length=64)
    original_service_id: str = Field(min_length=1, max_length=64)
    status: TicketStatus
    issued_at: Moment
    first_called_at: Moment | None = None
    started_at: Moment | None = None
    finished_at: Moment | None = None
    walk_direct: bool = False
    counter_id: str | None = ID
    staff_id: str | None = ID
    target_wait_seconds: StrictInt = Field(ge=0, le=7 * 24 * 3600)


class ShippedCounter(BaseModel):
    """The counter inside a counter event."""

    model_config = ConfigDict(extra="ignore")

    counter_id: str = Field(min_length=1, max_length=64)
    status: CounterStatus
    since: Moment | None = None
    staff_id: str | None = ID
    current_ticket_id: str | None = ID


class TicketData(BaseModel):
    """A ticket event's data: the ticket (the rest is stored as sent, not read)."""

    model_config = ConfigDict(extra="ignore")

    ticket: ShippedTicket


class CounterData(BaseModel):
    """A counter event's data."""

    model_config = ConfigDict(extra="ignore")

    counter: ShippedCounter


class FeedbackData(BaseModel):
    """A visitor's rating."""

    model_config = ConfigDict(extra="ignore")

    rating: StrictInt = Field(ge=1, le=5)


class _Event(BaseModel):
    """The envelope every shipped event has."""

    model_config = ConfigDict(extra="forbid")

    seq: StrictInt = Field(ge=1, le=2**62)
    type: str = Field(min_length=1, max_length=64)
    at: Moment
    schema_version: StrictInt
    service_id: str | None = ID
    counter_id: str | None = ID
    ticket_id: str | None = ID
    actor: str | None = Field(default=None, max_length=100)


class TicketEvent(_Event):
    """`ticket.*`: the ticket as it is after the event."""

    type: Literal[tuple(sorted(t for t, v in EVENT_DATA.items() if v is TicketDataView))]  # type: ignore[valid-type]
    data: TicketData


class CounterEvent(_Event):
    """`counter.opened` / `paused` / `closed`."""

    type: Literal[tuple(sorted(t for t, v in EVENT_DATA.items() if v is CounterDataView))]  # type: ignore[valid-type]
    data: CounterData


class FeedbackEvent(_Event):
    """`feedback.given`: a rating of the visit `ticket_id`."""

    type: Literal["feedback.given"]
    ticket_id: str = Field(min_length=1, max_length=64)
    data: FeedbackData


class OtherEvent(_Event):
    """Any other event: only stored (its data is whatever the centre shipped)."""

    data: dict[str, Any] = Field(default_factory=dict)


def _kind(value: Any) -> str:
    kind = value.get("type") if isinstance(value, dict) else getattr(value, "type", None)
    return KINDS.get(EVENT_DATA.get(kind), "other")  # type: ignore[arg-type]


ShippedEvent = Annotated[
    Annotated[TicketEvent, Tag("ticket")]
    | Annotated[CounterEvent, Tag("counter")]
    | Annotated[FeedbackEvent, Tag("feedback")]
    | Annotated[OtherEvent, Tag("other")],
    Discriminator(_kind),
]
"""One event of a centre's log, in its shipped form, checked by its kind."""
AnyEvent = TicketEvent | CounterEvent | FeedbackEvent | OtherEvent


class Batch(BaseModel):
    """`POST /api/v1/centres/{id}/events`: every event of the centre's log with
    `after < seq <= through`, in any order. A centre's log has no gaps (its sequence
    numbers come from one autoincrement inside each committed transaction, and it is
    append-only), so a batch holds exactly `through - after` events.

    `log_end`, when given, is the end of the centre's log as it sent the batch (so the
    hub knows how far behind it is)."""

    model_config = ConfigDict(extra="forbid")

    after: StrictInt = Field(ge=0, le=2**62)
    through: StrictInt = Field(ge=1, le=2**62)
    log_end: StrictInt | None = Field(default=None, ge=0, le=2**62)
    events: list[ShippedEvent] = Field(max_length=MAX_BATCH)


_BATCH = TypeAdapter(Batch)


@dataclass(slots=True)
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


@dataclass(slots=True)
class Rating:
    """A visitor's feedback on a visit."""

    seq: int
    ticket_id: str
    rating: int


@dataclass(slots=True)
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


def refusal(errors: Sequence[Any]) -> InvalidInput:
    """The batch's first validation error as the hub reports it: a problem in the data
    an event carries is `invalid_event_data` (`invalid_feedback` for a rating), a
    problem of the envelope names its field."""
    first = dict(errors[0])
    location = [str(part) for part in first.get("loc", ()) if part != "body"]
    where = ".".join(location)
    if len(location) >= 4 and location[0] == "events" and "data" in location[3:]:
        seq = location[1]
        code = "invalid_feedback" if location[2] == "feedback" else "invalid_event_data"
        inside = ".".join(location[location.index("data", 3) :])
        return InvalidInput(
            f"Event number {seq} of the batch is malformed at {inside}: {first.get('msg')}.",
            {"events": code},
        )
    if location[:1] == ["events"] and len(location) >= 3:
        where = ".".join([location[0], location[1], *location[3:]])  # without the kind tag
    return InvalidInput(
        f"The batch is malformed at {where}: {first.get('msg')}.",
        {where or "body": field_problem(first)},
    )


def parse_batch(body: Any) -> Batch:
    """A batch from decoded JSON, checked (`check_batch`); `InvalidInput` if malformed."""
    try:
        batch = _BATCH.validate_python(body)
    except ValidationError as exc:
        raise refusal(exc.errors()) from None
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
    if batch.log_end is not None and batch.log_end < batch.through:
        raise InvalidInput(
            "`log_end` is before `through`: a centre's log ends after what it ships.",
            {"log_end": "before_through"},
        )
    seen: set[int] = set()
    for event in batch.events:
        try:
            check_version(event.schema_version, event.seq)
        except UnsupportedVersion as exc:
            raise InvalidInput(str(exc), {"schema_version": "unsupported"}) from None
        if not batch.after < event.seq <= batch.through:
            raise InvalidInput(
                f"Event {event.seq} is outside the batch ({batch.after}, {batch.through}].",
                {"events": "seq_outside_batch"},
            )
        if event.seq in seen:
            raise InvalidInput(f"Event {event.seq} is in the batch twice.", {"events": "duplicate"})
        seen.add(event.seq)
    return batch


def meaning(event: AnyEvent) -> Meaning:
    """What an event (already checked) tells the figures."""
    if isinstance(event, TicketEvent):
        ticket = event.data.ticket
        return VisitState(
            seq=event.seq,
            ticket_id=ticket.id,
            service_id=ticket.original_service_id,
            status=ticket.status.value,
            issued_at=ticket.issued_at,
            first_called_at=ticket.first_called_at,
            started_at=ticket.started_at,
            finished_at=ticket.finished_at,
            walk_direct=ticket.walk_direct,
            target_wait_seconds=ticket.target_wait_seconds,
            counter_id=ticket.counter_id,
            staff_id=ticket.staff_id,
        )
    if isinstance(event, CounterEvent):
        counter = event.data.counter
        return CounterState(
            seq=event.seq,
            counter_id=counter.counter_id,
            status=counter.status.value,
            since=counter.since,
            staff_id=counter.staff_id,
            current_ticket_id=counter.current_ticket_id,
        )
    if isinstance(event, FeedbackEvent):
        return Rating(seq=event.seq, ticket_id=event.ticket_id, rating=event.data.rating)
    return None
