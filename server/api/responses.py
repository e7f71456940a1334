"""Response models of the answers only people's pages read (the console, the manager's
and admin's pages): sessions, users, devices, hours, applications, statistics and
the overview. What terminals and the hub read are wire views (`core.wire`, as models
through `server.api.wire_models`); these extend them where an answer adds to one.

Every model refuses members it does not declare, so the OpenAPI document says
exactly what is sent (`tests/server/test_responses.py` checks real answers).
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from core.clerk_time import ACTIVITIES
from core.model import Localized
from core.wire.payloads import (
    CatalogueStatusView,
    CentreStatusView,
    CounterQueueView,
    HubLinkView,
    PrincipalView,
    ServiceQueueView,
    StorageView,
)
from server.api.wire_models import RESPONSE_CONFIG, response_model

Texts = Annotated[dict[str, str], Field(description="`{lv, ru, en}`")]
Moment = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
"""A time as ISO 8601 with its offset."""
Day = Annotated[str, Field(json_schema_extra={"format": "date"})]


class Out(BaseModel):
    """An answer: exactly these members, each present."""

    model_config = RESPONSE_CONFIG


SessionOut = create_model(
    "SessionOut",
    __base__=response_model(PrincipalView),
    __doc__="`POST /session`: a bearer token and who holds it.",
    token=(str, ...),
)


class TerminalOut(Out):
    """`GET /devices`: a terminal, when it was last seen and its printer."""

    name: str
    role: str
    counter_id: str | None
    revoked: bool
    last_seen_at: Moment | None
    printer: str | None
    detail: str | None


class UserOut(Out):
    """`GET /admin/users`."""

    username: str
    role: str
    display_name: str
    counter_id: str | None
    department_id: str | None
    disabled: bool
    created_at: Moment


class ReportedStatus(BaseModel):
    """What a terminal last reported (empty before its first report)."""

    model_config = ConfigDict(extra="forbid")

    printer: str | None = None
    detail: str | None = None
    version: str | None = None


class DeviceOut(Out):
    """`GET /admin/devices`."""

    name: str
    role: str
    counter_id: str | None
    created_at: Moment
    revoked_at: Moment | None
    last_seen_at: Moment | None
    status: ReportedStatus


class UserAddedOut(Out):
    username: str


class DeviceAddedOut(Out):
    """The new device's token, shown only this once."""

    name: str
    token: str


class HoursExceptionOut(Out):
    """`GET /admin/hours`: a dated exception (`hours` empty: closed)."""

    date: Day
    hours: list[str]
    note: str


class HoursAddedOut(Out):
    date: Day
    hours: list[str]
    closed: bool


class ApplicationSummaryOut(Out):
    """One application in the inbox (no personal data)."""

    id: str
    registration_number: str
    type_id: str
    department_id: str
    status: str
    lodged_at: Moment
    answer_deadline: Day
    overdue: bool
    closed_at: Moment | None
    kiosk_reference: str | None
    purged: bool


class HistoryStepOut(Out):
    at: Moment
    actor: str
    status: str | None
    note: str | None


class ApplicationOut(ApplicationSummaryOut):
    """One application with its personal fields and history."""

    language: str
    fields: dict[str, Any]
    lodged_by: str
    history: list[HistoryStepOut]


class StatusChangedOut(Out):
    id: str
    status: str


class AuditEntryOut(Out):
    at: Moment
    actor: str
    action: str
    application_id: str | None
    detail: str


class DurationsOut(Out):
    """Seconds, rounded to 0.1 s; None when there is nothing to measure."""

    mean: float | None
    median: float | None
    p90: float | None
    max: float | None


class FeedbackFiguresOut(Out):
    count: int
    average: float | None
    distribution: dict[str, int]


ClerkTimeOut = create_model(
    "ClerkTimeOut",
    __config__=RESPONSE_CONFIG,
    __doc__="Seconds the counters spent in each activity, and the busy share.",
    **{f"{activity}_seconds": (float, ...) for activity in ACTIVITIES},  # type: ignore[call-overload]
    present_seconds=(float, ...),
    busy_share=(float | None, ...),
)


class FiguresOut(Out):
    """One group's figures (`core.statistics.Figures.as_dict`)."""

    issued: int
    served: int
    no_shows: int
    cancelled: int
    expired: int
    walk_direct: int
    called: int
    wait_seconds: DurationsOut
    service_seconds: DurationsOut
    serving_seconds_total: float
    within_target: int
    service_level: float | None
    feedback: FeedbackFiguresOut
    clerk_time: ClerkTimeOut | None  # type: ignore[valid-type]


class StatsOut(Out):
    """`GET /stats`: figures per group."""

    model_config = ConfigDict(populate_by_name=True, **RESPONSE_CONFIG)

    from_: Day = Field(alias="from")
    to: Day
    group: str
    service: str | None
    groups: dict[str, FiguresOut]


class ApplicationTypeFiguresOut(Out):
    lodged: int
    by_status: dict[str, int]
    time_to_answer_seconds: DurationsOut


class ApplicationStatsOut(Out):
    """`GET /stats/applications`."""

    model_config = ConfigDict(populate_by_name=True, **RESPONSE_CONFIG)

    from_: Day = Field(alias="from")
    to: Day
    types: dict[str, ApplicationTypeFiguresOut]


class AppointmentFiguresOut(Out):
    """One service's (or the `total`) appointments of the period."""

    booked: int
    cancelled: int
    checked_in: int
    missed: int
    pending: int
    no_show: int
    late_check_ins: int
    check_in_lead_seconds: DurationsOut
    wait_seconds: DurationsOut
    service_level: float | None


class AppointmentStatsOut(Out):
    """`GET /stats/appointments`."""

    model_config = ConfigDict(populate_by_name=True, **RESPONSE_CONFIG)

    from_: Day = Field(alias="from")
    to: Day
    groups: dict[str, AppointmentFiguresOut]


OverviewServiceOut = create_model(
    "OverviewServiceOut",
    __base__=response_model(ServiceQueueView),
    __doc__="A service's queue with its name, target and today's service level.",
    name=(response_model(Localized), ...),
    target_wait_seconds=(int, ...),
    called=(int, ...),
    within_target=(int, ...),
    service_level=(float | None, ...),
)
OverviewCounterOut = create_model(
    "OverviewCounterOut",
    __base__=response_model(CounterQueueView),
    __doc__="A counter with its clerk's name and how long it has been in its state.",
    clerk_name=(str | None, ...),
    seconds_in_state=(int | None, ...),
)


class OverviewDeviceOut(Out):
    name: str
    role: str
    counter_id: str | None
    last_seen_at: Moment | None
    seconds_since_seen: int | None
    printer: str | None
    detail: str | None


class PrinterFaultOut(Out):
    seq: int
    at: Moment
    kind: str
    device: str | None
    ticket: str | None
    error: str | None
    detail: str | None


class OverviewOut(Out):
    """`GET /overview`: the manager's live picture."""

    at: Moment
    seq: int
    business_day: str
    centre: response_model(CentreStatusView)  # type: ignore[valid-type]
    counters: list[OverviewCounterOut]  # type: ignore[valid-type]
    services: list[OverviewServiceOut]  # type: ignore[valid-type]
    devices: list[OverviewDeviceOut]
    printer_faults: list[PrinterFaultOut]
    ticker: str
    storage: response_model(StorageView)  # type: ignore[valid-type]
    hub_link: response_model(HubLinkView) | None  # type: ignore[valid-type]
    catalogue: response_model(CatalogueStatusView)  # type: ignore[valid-type]


class PendingPairingOut(Out):
    """`GET /admin/pairings`: a terminal waiting to be paired, with the code it shows."""

    id: str
    name: str
    role: str
    counter_id: str | None
    code: str
    requested_at: Moment
    address: str


class PairingDecidedOut(Out):
    id: str
    name: str
    state: str
