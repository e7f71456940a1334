"""Domain model: services, counters, tickets and the policy that governs them.

Everything here is an immutable value. State changes produce new values
(see `core.lifecycle`); nothing in this module reads a clock or touches I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum

LANGUAGES: tuple[str, ...] = ("lv", "ru", "en")
"""Languages every visitor-facing text is offered in, in display order."""


@dataclass(frozen=True)
class Localized:
    """A text in Latvian, Russian and English."""

    lv: str
    ru: str
    en: str

    def get(self, language: str) -> str:
        """The text in `language`, falling back to Latvian, then English."""
        text = {"lv": self.lv, "ru": self.ru, "en": self.en}.get(language, "")
        return text or self.lv or self.en

    def as_dict(self) -> dict[str, str]:
        """The three texts keyed by language code."""
        return {"lv": self.lv, "ru": self.ru, "en": self.en}

    @classmethod
    def same(cls, text: str) -> Localized:
        """One text used for every language (names, numbers)."""
        return cls(text, text, text)


EMPTY_TEXT = Localized("", "", "")


class Channel(StrEnum):
    """How a service can be applied for (the service standard's channels)."""

    IN_PERSON = "in_person"
    POST = "post"
    E_SERVICE = "e_service"
    EMAIL = "email"
    PHONE = "phone"


@dataclass(frozen=True)
class ServiceStandard:
    """The published standard of a service, shown to residents in one format."""

    who_may_apply: Localized = EMPTY_TEXT
    documents: Localized = EMPTY_TEXT
    fee: Localized = EMPTY_TEXT
    decision_time: Localized = EMPTY_TEXT
    institution: Localized = EMPTY_TEXT
    department_id: str | None = None
    channels: tuple[Channel, ...] = ()
    result_delivery: Localized = EMPTY_TEXT
    fee_amount: Decimal | None = None
    """The fee in euro (0.01-999999999.99) when there is one: paid by bank transfer into
    the deciding department's account (an EPC QR code on tickets and receipts)."""


@dataclass(frozen=True)
class Category:
    """A group of services shown together at the kiosk."""

    id: str
    name: Localized


@dataclass(frozen=True)
class LifeSituation:
    """A life event (a child is born, moving house ...) that groups services."""

    id: str
    name: Localized


@dataclass(frozen=True)
class Service:
    """What a visitor comes for."""

    id: str
    prefix: str
    name: Localized
    description: Localized
    category_id: str
    life_situation_ids: tuple[str, ...]
    expected_duration: timedelta
    target_wait: timedelta
    daily_cap: int | None = None
    standard: ServiceStandard = ServiceStandard()
    weekly_hours: Mapping[int, tuple[TimeRange, ...]] | None = None
    """Weekday (0 = Monday) -> opening ranges, when the service keeps shorter
    hours than the centre; `None` means the centre's hours."""
    is_local: bool = False
    """Offered only by this centre, not part of the national catalogue."""
    withdrawn: bool = False
    """No longer offered for new tickets (withdrawn from the national catalogue);
    tickets already issued for it are still served."""
    appointments: AppointmentRules | None = None
    """How the service takes appointments; `None`: it takes none."""


@dataclass(frozen=True)
class AppointmentRules:
    """How one service takes appointments (catalogue `[services.appointments]`)."""

    slot_length: timedelta
    """How long one appointment is."""
    parallel: int
    """Appointments at the same time at most (never more than the counters serving the
    service then: see `core.appointments.slot_capacity`)."""
    days_ahead: int = 14
    """How many days after today may be booked (0: today only)."""
    per_person: int = 1
    """Upcoming bookings of this service one phone number or e-mail address may hold."""
    minimum_notice: timedelta = timedelta(hours=2)
    """A slot must start at least this long after the booking."""
    release_delay: timedelta = timedelta(minutes=30)
    """A cancelled slot is offered again only this long after the cancellation, so a
    slot cannot be passed from one person to another by cancelling and rebooking."""
    weekly: Mapping[int, tuple[TimeRange, ...]] | None = None
    """Weekday (0 = Monday) -> the hours that take appointments; `None`: the service's
    (or the centre's) hours. Always within the centre's hours of the day."""


class LateArrival(StrEnum):
    """What a visitor who checks in after the late limit is offered."""

    NORMAL_TICKET = "normal_ticket"
    """A walk-in ticket of the same service (the booking is marked missed)."""
    REFUSE = "refuse"
    """Nothing at the kiosk: the visitor books again or asks at the desk."""


@dataclass(frozen=True)
class AppointmentPolicy:
    """Centre-wide appointment rules (catalogue `[appointments]`)."""

    hold: timedelta = timedelta(minutes=10)
    """How long a slot is held for a person filling in the booking form."""
    check_in_early: timedelta = timedelta(minutes=30)
    """Check-in opens this long before the booked time."""
    check_in_late: timedelta = timedelta(minutes=10)
    """Check-in still counts as on time this long after the booked time."""
    late_arrival: LateArrival = LateArrival.NORMAL_TICKET
    reminder_before: timedelta = timedelta(hours=24)
    """A reminder is sent this long before the booked time (0: none)."""


@dataclass(frozen=True, order=True)
class TimeRange:
    """An opening interval within one day, local time, in minutes since midnight."""

    opens_minute: int
    closes_minute: int

    def contains(self, minute: int) -> bool:
        """Whether the local minute-of-day lies within the interval."""
        return self.opens_minute <= minute < self.closes_minute

    def label(self) -> str:
        """`08:30–12:00`."""
        return f"{_hhmm(self.opens_minute)}–{_hhmm(self.closes_minute)}"


def _hhmm(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


class Strategy(StrEnum):
    """How a counter chooses the next ticket among the services it serves."""

    LONGEST_WAIT = "longest_wait"
    """The ticket that has waited longest, whichever service it is for."""
    PROFILE_ORDER = "profile_order"
    """The first service in the profile that has anyone waiting, oldest first."""
    SERVICE_LEVEL = "service_level"
    """The highest `waited / target wait x weight`: services about to miss
    their target go first."""


@dataclass(frozen=True)
class WorkProfile:
    """Which services a counter serves and how it picks among them."""

    service_ids: tuple[str, ...]
    strategy: Strategy = Strategy.LONGEST_WAIT
    weights: Mapping[str, float] = field(default_factory=dict)

    def weight(self, service_id: str) -> float:
        """The weight of a service (1.0 unless configured)."""
        return self.weights.get(service_id, 1.0)


@dataclass(frozen=True)
class Counter:
    """A service point where a clerk serves visitors."""

    id: str
    label: str
    """What the hall sees: `3` in "A042 → 3"."""
    name: Localized
    profile: WorkProfile
    area: Localized = EMPTY_TEXT
    breaks: tuple[TimeRange, ...] = ()
    """Planned daily breaks (local time); the estimator knows the counter is away then."""


class CounterStatus(StrEnum):
    """Whether a counter takes visitors."""

    OPEN = "open"
    PAUSED = "paused"
    CLOSED = "closed"


@dataclass(frozen=True)
class CounterState:
    """The live state of one counter."""

    counter_id: str
    status: CounterStatus = CounterStatus.CLOSED
    since: datetime | None = None
    clerk: str | None = None
    current_ticket_id: str | None = None


class TicketStatus(StrEnum):
    """Where a ticket is in its lifecycle."""

    WAITING = "waiting"
    CALLED = "called"
    SERVING = "serving"
    DONE = "done"
    NO_SHOW = "no_show"
    PARKED = "parked"
    CANCELLED = "cancelled"
    EXPIRED = "expired"

    @property
    def is_final(self) -> bool:
        """Whether nothing more can happen to the ticket (no-show may still be
        reactivated within its window, so it is not final)."""
        return self in (TicketStatus.DONE, TicketStatus.CANCELLED, TicketStatus.EXPIRED)

    @property
    def holds_counter(self) -> bool:
        """Whether a ticket in this status occupies its counter."""
        return self in (TicketStatus.CALLED, TicketStatus.SERVING)


@dataclass(frozen=True)
class Ticket:
    """One visit, from the printed number to its end."""

    id: str
    number: str
    prefix: str
    seq: int
    business_day: date
    service_id: str
    language: str
    is_priority: bool
    status: TicketStatus
    issued_at: datetime
    original_service_id: str
    counter_id: str | None = None
    target_counter_id: str | None = None
    first_called_at: datetime | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    parked_at: datetime | None = None
    no_show_at: datetime | None = None
    cancelled_at: datetime | None = None
    expired_at: datetime | None = None
    transferred_at: datetime | None = None
    recall_count: int = 0
    transfer_count: int = 0
    walk_direct: bool = False
    clerk: str | None = None
    printed: bool | None = None
    delivered_service: str | None = None
    note: str | None = None
    appointment_at: datetime | None = None
    """The booked time, for a ticket issued at an appointment's check-in (None: a walk-in)."""

    @property
    def queued_since(self) -> datetime:
        """Since when the visitor counts as waiting: the issue time; for a booked visitor
        the booked time, or the check-in when it came later (issue 20: a booked visitor
        who arrives early has not waited before their time)."""
        if self.appointment_at is None:
            return self.issued_at
        return max(self.issued_at, self.appointment_at)

    def waited(self, now: datetime) -> timedelta:
        """How long the visitor has waited: since `queued_since`, never negative."""
        return max(now - self.queued_since, timedelta(0))

    @property
    def order_key(self) -> tuple[datetime, int, str]:
        """Queue order within a lane: since when the visitor waits (`queued_since`: the
        issue time of a walk-in), then number, then id."""
        return (self.queued_since, self.seq, self.id)


@dataclass(frozen=True)
class QueuePolicy:
    """Centre-wide rules of fairness and tolerance."""

    priority_fairness_limit: timedelta = timedelta(minutes=20)
    """A normal ticket that has waited this long is no longer overtaken by
    priority tickets that have waited less."""
    no_show_reactivation_window: timedelta = timedelta(minutes=15)
    """How long after a no-show the ticket may be put back in the queue."""
    expire_parked_at_closing: bool = True
    expire_grace: timedelta = timedelta(minutes=30)
    """Tickets still waiting this long after the day's closing time expire (the
    clerks usually serve those already in the hall after the doors close)."""
