"""Wire views of the REST payloads terminals read: tickets, services, counters, the
centre, the queue snapshot, recent calls, health, application forms, feedback visits.

Each is a frozen dataclass; `view.encode()` gives its JSON and `View.decode(json)`
reads it back (`core.wire.codec`). The server builds its answers from them and
declares them as response models (`server.api.wire_models`), so the OpenAPI document
is this module's contract. Texts in three languages are `core.model.Localized`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Self

from core.applications import ApplicationType
from core.catalogue_services import Department
from core.model import (
    EMPTY_TEXT,
    Counter,
    CounterState,
    CounterStatus,
    Localized,
    Service,
    Ticket,
    TicketStatus,
)
from core.wire.codec import WireView, omitted


@dataclass(frozen=True)
class TicketView(WireView):
    """A ticket's stored fields: what every ticket event carries (`ticket`)."""

    id: str
    number: str
    prefix: str
    seq: int
    business_day: date
    service_id: str
    original_service_id: str
    language: str
    is_priority: bool
    status: TicketStatus
    issued_at: datetime
    first_called_at: datetime | None = None
    called_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None
    parked_at: datetime | None = None
    no_show_at: datetime | None = None
    cancelled_at: datetime | None = None
    expired_at: datetime | None = None
    transferred_at: datetime | None = None
    counter_id: str | None = None
    target_counter_id: str | None = None
    recall_count: int = 0
    transfer_count: int = 0
    walk_direct: bool = False
    clerk: str | None = None
    """The user name of the clerk who last handled it."""
    printed: bool | None = None
    """None until the kiosk reports whether it printed the ticket."""
    delivered_service: str | None = None
    note: str | None = None
    appointment_at: datetime | None = None
    """The booked time of a ticket issued at an appointment's check-in (it waits, and is
    called, from then)."""

    @classmethod
    def of(cls, ticket: Ticket) -> Self:
        """The wire view of a domain ticket."""
        return cls(**_stored_fields(ticket))


def _stored_fields(ticket: Ticket) -> dict[str, Any]:
    return {name: getattr(ticket, name) for name in _TICKET_FIELDS}


@dataclass(frozen=True)
class LiveTicketView(TicketView):
    """A ticket as the API answers with it: its stored fields plus live figures."""

    people_ahead: int = 0
    """Tickets that will be called before this one (0 once it is called)."""
    estimated_wait_seconds: int | None = None
    """None when no open counter serves its service, or once it was called."""
    estimated_wait_range_seconds: tuple[int, ...] | None = None
    """The 80 % range `[low, high]` told with the estimate at issue, once the centre has
    learnt one (`core.wait_range`); None otherwise."""
    counter_label: str | None = None
    """The label of its counter (or of the counter it was sent to), for the hall."""
    waited_seconds: int = 0
    """Since it was issued."""

    @classmethod
    def live(
        cls,
        ticket: Ticket,
        *,
        people_ahead: int,
        estimated_wait_seconds: int | None,
        counter_label: str | None,
        waited_seconds: int,
        estimated_wait_range_seconds: tuple[int, int] | None = None,
    ) -> Self:
        """The wire view of a domain ticket with its figures."""
        return cls(
            **_stored_fields(ticket),
            people_ahead=people_ahead,
            estimated_wait_seconds=estimated_wait_seconds,
            estimated_wait_range_seconds=estimated_wait_range_seconds,
            counter_label=counter_label,
            waited_seconds=waited_seconds,
        )


_TICKET_FIELDS = tuple(f for f in TicketView.__dataclass_fields__)


@dataclass(frozen=True)
class CounterStateView(WireView):
    """A counter's live state: what every counter event carries (`counter`)."""

    counter_id: str
    status: CounterStatus
    since: datetime | None = None
    clerk: str | None = None
    current_ticket_id: str | None = None

    @classmethod
    def of(cls, state: CounterState) -> Self:
        """The wire view of a counter's state."""
        return cls(
            state.counter_id, state.status, state.since, state.clerk, state.current_ticket_id
        )


@dataclass(frozen=True)
class CounterView(WireView):
    """A counter's configuration and live state (`GET /counters`)."""

    id: str
    label: str
    """What the hall sees: `3` in "A042 → 3"."""
    name: Localized
    area: Localized
    service_ids: tuple[str, ...]
    strategy: str
    status: CounterStatus
    since: datetime | None = None
    clerk: str | None = None
    current_ticket_id: str | None = None

    @classmethod
    def of(cls, counter: Counter, state: CounterState) -> Self:
        """The wire view of a configured counter in its state."""
        return cls(
            id=counter.id,
            label=counter.label,
            name=counter.name,
            area=counter.area,
            service_ids=counter.profile.service_ids,
            strategy=counter.profile.strategy.value,
            status=state.status,
            since=state.since,
            clerk=state.clerk,
            current_ticket_id=state.current_ticket_id,
        )


@dataclass(frozen=True)
class ServiceStandardView(WireView):
    """The published standard of a service."""

    who_may_apply: Localized
    documents: Localized
    fee: Localized
    decision_time: Localized
    institution: Localized
    department_id: str | None
    channels: tuple[str, ...]
    result_delivery: Localized
    fee_amount: str | None = None
    """The fee in euro as a decimal string (`"3.00"`), payable by bank transfer into the
    deciding department's account (`DepartmentView.iban`); None: no fee to pay so."""


@dataclass(frozen=True)
class ServiceView(WireView):
    """A service with its standard (`GET /services`)."""

    id: str
    prefix: str
    name: Localized
    description: Localized
    category_id: str
    life_situation_ids: tuple[str, ...]
    expected_duration_seconds: int
    target_wait_seconds: int
    daily_cap: int | None
    has_own_hours: bool
    standard: ServiceStandardView
    local: bool = False
    """A centre's own service, not one of the national catalogue."""
    withdrawn: bool = False
    """Withdrawn from the national catalogue: no new tickets (issued ones are served)."""

    @classmethod
    def of(cls, service: Service) -> Self:
        """The wire view of a catalogue service."""
        standard = service.standard
        return cls(
            id=service.id,
            prefix=service.prefix,
            name=service.name,
            description=service.description,
            category_id=service.category_id,
            life_situation_ids=service.life_situation_ids,
            expected_duration_seconds=int(service.expected_duration.total_seconds()),
            target_wait_seconds=int(service.target_wait.total_seconds()),
            daily_cap=service.daily_cap,
            has_own_hours=service.weekly_hours is not None,
            standard=ServiceStandardView(
                who_may_apply=standard.who_may_apply,
                documents=standard.documents,
                fee=standard.fee,
                decision_time=standard.decision_time,
                institution=standard.institution,
                department_id=standard.department_id,
                channels=tuple(c.value for c in standard.channels),
                result_delivery=standard.result_delivery,
                fee_amount=None if standard.fee_amount is None else f"{standard.fee_amount:.2f}",
            ),
            local=service.is_local,
            withdrawn=service.withdrawn,
        )


@dataclass(frozen=True)
class NamedView(WireView):
    """A category, life situation or department: its id and name."""

    id: str
    name: Localized


@dataclass(frozen=True)
class DepartmentView(WireView):
    """A department (institution): who it is, how to reach it, where its fees go."""

    id: str
    name: Localized
    kind: str = "municipal"
    """`municipal` or `state`."""
    contact: Localized = EMPTY_TEXT
    payee_name: str = ""
    iban: str = ""
    bic: str = ""

    @classmethod
    def of(cls, department: Department) -> Self:
        """The wire view of a catalogue department (its inbox address stays out)."""
        return cls(
            id=department.id,
            name=department.name,
            kind=department.kind,
            contact=department.contact,
            payee_name=department.payee_name,
            iban=department.iban,
            bic=department.bic,
        )


@dataclass(frozen=True)
class HoursExceptionView(WireView):
    """A dated exception to the weekly hours (`hours` empty: closed that day)."""

    date: date
    hours: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class CentreView(WireView):
    """The centre, its catalogue's groupings, hours and today's status (`GET /centre`)."""

    name: Localized
    address: Localized
    phone: str
    website: str
    timezone: str
    languages: tuple[str, ...]
    ticket_footer: Localized
    status_url: str
    """The ticket status page with `{ticket_id}` to fill in (printed as a QR code)."""
    categories: tuple[NamedView, ...]
    life_situations: tuple[NamedView, ...]
    departments: tuple[DepartmentView, ...]
    weekly_hours: Mapping[str, tuple[str, ...]]
    """Weekday name (`monday` …) to its opening ranges (`08:30–12:00`)."""
    exceptions: tuple[HoursExceptionView, ...]
    is_open: bool
    opens_at: datetime | None
    closes_at: datetime | None
    national_version: int | None = None
    """The national catalogue version the centre runs (None: not subscribed)."""


@dataclass(frozen=True)
class CentreStatusView(WireView):
    """Whether the centre is open now, and its next opening and closing."""

    is_open: bool
    opens_at: datetime | None
    closes_at: datetime | None
    day_closes_at: datetime | None


@dataclass(frozen=True)
class ServiceQueueView(WireView):
    """One service's queue in the snapshot."""

    service_id: str
    waiting: int
    waiting_priority: int
    longest_wait_seconds: int
    estimated_wait_seconds: int | None
    """For a ticket taken now; None when no open counter serves the service."""
    estimated_wait_range_seconds: tuple[int, ...] | None
    """The 80 % range `[low, high]` told with that estimate, where one has been learnt."""
    estimated_priority_wait_seconds: int | None
    people_ahead: int
    issued_today: int
    daily_cap: int | None
    unavailable_reason: str | None
    """Why no ticket can be taken now: the error code issuing would answer with."""
    counters_open: int


@dataclass(frozen=True)
class CounterQueueView(CounterView):
    """One counter in the snapshot, with the ticket it holds."""

    current: LiveTicketView | None = None


@dataclass(frozen=True)
class RecentCallView(WireView):
    """One entry of the recent calls (newest first; a recall is listed again)."""

    ticket_id: str
    number: str
    counter_id: str
    counter_label: str
    service_id: str
    at: datetime
    recall: bool


@dataclass(frozen=True)
class QueueView(WireView):
    """`GET /queue`: the live queue. `seq` is the last event it reflects."""

    at: datetime
    seq: int
    version: int
    business_day: date | None
    centre: CentreStatusView
    services: tuple[ServiceQueueView, ...]
    counters: tuple[CounterQueueView, ...]
    recent_calls: tuple[RecentCallView, ...]
    ticker: str


@dataclass(frozen=True)
class StorageView(WireView):
    """Whether the server can store data: `ok`, or a fault with its problem and file
    (and, for staff, the operator's message)."""

    status: str
    problem: str | None = omitted()
    file: str | None = omitted()
    since: datetime | None = omitted()
    message: str | None = omitted()
    """For staff only: the operator's message (it names the server's paths)."""


@dataclass(frozen=True)
class HubLinkView(WireView):
    """The network hub link's state and lag."""

    hub: str
    state: str
    centre_id: str | None
    """None until the hub has said who this centre is (never connected yet)."""
    acknowledged_seq: int | None
    local_seq: int
    lag_events: int
    lag_seconds: int
    oldest_unacknowledged_at: datetime | None
    last_contact_at: datetime | None
    last_error: str | None
    next_attempt_at: datetime | None
    shipped: int


@dataclass(frozen=True)
class CatalogueStatusView(WireView):
    """Which national catalogue version a centre runs and whether a newer one waits
    (`subscribed` False: the centre keeps its own catalogue; the other members stay
    empty)."""

    subscribed: bool
    running_version: int | None
    applied_at: datetime | None = None
    latest_version: int | None = None
    """The hub's current version when it last answered."""
    newer_waiting: bool = False
    last_checked_at: datetime | None = None
    refused_version: int | None = None
    refused_because: str | None = None
    last_error: str | None = None
    """Why the hub could not be asked (the centre runs on meanwhile)."""


@dataclass(frozen=True)
class HealthView(WireView):
    """`GET /health` (no token)."""

    status: str
    """`ok`, or `degraded` while the store has a fault (answered with 503)."""
    api_version: str
    centre: Localized
    time: datetime
    is_open: bool
    event_seq: int
    storage: StorageView
    hub_link: HubLinkView | None
    catalogue: CatalogueStatusView


@dataclass(frozen=True)
class FormFieldView(WireView):
    """One field of an application form."""

    name: str
    kind: str
    max_length: int
    label: Localized
    required: bool
    choices: tuple[str, ...]


@dataclass(frozen=True)
class ApplicationTypeView(WireView):
    """A form a kiosk offers (`GET /application-types`)."""

    id: str
    service_id: str
    department_id: str
    department_name: Localized
    name: Localized
    description: Localized
    answer_days: int | None
    """Working days to answer (None: no set term)."""
    fields: tuple[FormFieldView, ...]

    @classmethod
    def of(cls, kind: ApplicationType, department_name: Localized) -> Self:
        """The wire view of a catalogue's application type (fields in order)."""
        return cls(
            id=kind.id,
            service_id=kind.service_id,
            department_id=kind.department_id,
            department_name=department_name,
            name=kind.name,
            description=kind.description,
            answer_days=kind.answer_days,
            fields=tuple(
                FormFieldView(
                    name=spec.name,
                    kind=spec.kind.value,
                    max_length=spec.max_length,
                    label=spec.label,
                    required=spec.name in kind.required,
                    choices=tuple(spec.choices),
                )
                for spec in kind.field_specs()
            ),
        )


@dataclass(frozen=True)
class LodgedView(WireView):
    """`POST /applications`: the registration number and the receipt's secret."""

    id: str
    registration_number: str
    secret: str
    status: str
    type_id: str
    department_id: str
    department_name: Localized
    lodged_at: datetime
    answer_deadline: date
    kiosk_reference: str | None


@dataclass(frozen=True)
class StatusStepView(WireView):
    """One step of an application's history, as the applicant sees it."""

    at: datetime
    status: str


@dataclass(frozen=True)
class ApplicationStatusView(WireView):
    """`POST /applications/lookup`: the applicant's status check (no personal data)."""

    registration_number: str
    type_name: Localized
    department_name: Localized
    status: str
    lodged_at: datetime
    answer_deadline: date
    history: tuple[StatusStepView, ...]


@dataclass(frozen=True)
class PrincipalView(WireView):
    """`GET /session`: who holds the token (a person, or a device by its name) and the
    CSRF token the console sends with its changes (None for a bearer token's device)."""

    username: str
    display_name: str
    role: str
    counter_id: str | None
    department_id: str | None
    csrf_token: str | None


@dataclass(frozen=True)
class VisitView(WireView):
    """`GET /feedback/visit`: today's served visit a feedback terminal may rate."""

    ticket_id: str
    number: str
    language: str
    service_id: str
    counter_id: str | None


@dataclass(frozen=True)
class RatingView(WireView):
    """`POST /feedback`: the rating stored."""

    ticket_id: str
    rating: int


@dataclass(frozen=True)
class DeviceStatusView(WireView):
    """`POST /devices/me/status`: the state the server recorded for the terminal."""

    device: str
    printer: str
    detail: str | None
    version: str | None


@dataclass(frozen=True)
class CertificateAuthorityView(WireView):
    """`GET /pairing/ca`: the server's CA certificate (PEM) and its SHA-256 fingerprint."""

    ca: str
    fingerprint: str


@dataclass(frozen=True)
class PairingRequestView(WireView):
    """`POST /pairings`: the request's id, the secret to collect with, and how long
    it waits for an admin."""

    id: str
    secret: str
    expires_in_seconds: int


@dataclass(frozen=True)
class PairingStateView(WireView):
    """`POST /pairings/{id}/collect`: `pending`, `confirmed` (with the device token,
    given once), `refused` or `collected`."""

    state: str
    name: str
    token: str | None = omitted()
