"""What the kiosk screens show, computed without any window (so it is testable).

The data comes from the server as wire views (`core.wire.payloads`: `/centre`,
`/services`, `/queue`); these functions turn it into rows, texts and spoken
sentences in the visitor's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.i18n import (
    format_time,
    format_wait,
    format_wait_range,
    range_minutes,
    speak_wait,
    speak_wait_range,
    t,
)
from core.issuing import runs_past_closing
from core.model import Localized
from core.numbering import spoken_number
from core.payment import CreditTransfer, fee_transfer
from core.wire.payloads import (
    CentreView,
    LiveTicketView,
    NamedView,
    QueueView,
    ServiceQueueView,
    ServiceView,
)


def text_in(texts: Localized | Mapping[str, str] | None, language: str) -> str:
    """A localized text in `language`, falling back to Latvian, then English."""
    if not texts:
        return ""
    if isinstance(texts, Localized):
        return texts.get(language)
    return texts.get(language) or texts.get("lv") or texts.get("en") or ""


def fold(text: str) -> str:
    """Lowercase without diacritics: `Deklarēšana` -> `deklaresana` (for search)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True)
class ServiceRow:
    """One service button."""

    service_id: str
    name: str
    detail: str
    enabled: bool
    reason: str = ""

    @property
    def spoken(self) -> str:
        """What speech mode says for the button."""
        extra = self.reason if not self.enabled else self.detail
        return f"{self.name}. {extra}."


@dataclass(frozen=True)
class Choice:
    """A category or life situation button."""

    id: str
    name: str
    count: int


@dataclass
class KioskCatalogue:
    """The centre's services as the kiosk knows them from the server (`/centre`,
    `/services`, `/queue`); the catalogue itself is `core.catalogue.Catalogue`."""

    centre: CentreView | None = None
    services: list[ServiceView] = field(default_factory=list)
    queue: QueueView | None = None

    def service(self, service_id: str) -> ServiceView:
        """A service by id (KeyError if unknown)."""
        for service in self.services:
            if service.id == service_id:
                return service
        raise KeyError(service_id)

    def queue_row(self, service_id: str) -> ServiceQueueView | None:
        """The queue snapshot's row for a service (None if none yet)."""
        for row in self.queue.services if self.queue else ():
            if row.service_id == service_id:
                return row
        return None

    def same_offer(self, other: KioskCatalogue) -> bool:
        """Whether `other` describes the same centre and services (today's opening state
        aside): when not, the server or its catalogue has changed."""

        def offer(catalogue: KioskCatalogue) -> tuple[CentreView | None, list[ServiceView]]:
            centre = catalogue.centre
            if centre is not None:
                centre = replace(centre, is_open=False, opens_at=None, closes_at=None)
            return centre, catalogue.services

        return offer(self) == offer(other)

    @property
    def is_open(self) -> bool:
        """Whether the centre is open now (True until the first snapshot says otherwise)."""
        return self.queue.centre.is_open if self.queue else True

    def centre_name(self, language: str) -> str:
        """The centre's name in `language` ("" until it is known)."""
        return self.centre.name.get(language) if self.centre else ""


LONG_WAIT_HOURS = 2
"""Estimates longer than this are said as "longer than 2 hours": every visit ahead adds
uncertainty, and "~13 h 20 min" would claim a precision the estimate does not have."""


@dataclass(frozen=True)
class WaitWords:
    """What the kiosk truthfully says about a wait: a duration (`~15 min`, said after
    "wait" or "estimated wait"), or a sentence of its own (no counter serves it now)."""

    kind: str
    """`duration`, `none` (no wait), `no_counter`, `past_closing` or `long_wait`."""
    shown: str
    spoken: str

    @property
    def is_duration(self) -> bool:
        """Said after "estimated wait …" (the other kinds are sentences of their own)."""
        return self.kind in ("duration", "none")


def wait_words(
    seconds: int | None,
    counters_open: int | None,
    language: str,
    *,
    at: datetime | None = None,
    closes_at: datetime | None = None,
    range_seconds: Any = None,
) -> WaitWords:
    """The one place a kiosk words an estimate. `counters_open` is how many open counters
    serve the service (None: not known); `at` is when the estimate was made and
    `closes_at` when the centre closes today (both from the queue snapshot);
    `range_seconds` the 80 % range the server told with it (`[low, high]`, the
    `estimated_wait_range_seconds` of `/queue` or of the issued ticket), said instead
    of the single figure ("12–20 min") when it says more than one figure would."""

    def sentence(kind: str, **values: Any) -> WaitWords:
        text = t(f"service.{kind}", language, **values)
        return WaitWords(kind, text, text)

    if counters_open == 0:
        return sentence("no_counter")
    if seconds is None:
        return WaitWords("duration", t("wait.unknown", language), t("wait.unknown", language))
    if at is not None and runs_past_closing(at, timedelta(seconds=seconds), closes_at):
        return sentence("past_closing")
    if seconds > LONG_WAIT_HOURS * 3600:
        return sentence("long_wait", hours=LONG_WAIT_HOURS)
    told_range = range_minutes(range_seconds)
    if told_range is not None and told_range[1] * 60 <= LONG_WAIT_HOURS * 3600:
        low, high = told_range
        return WaitWords(
            "duration",
            format_wait_range(low, high, language),
            speak_wait_range(low, high, language),
        )
    if round(seconds / 60) <= 0:
        return WaitWords("none", t("wait.none", language), t("wait.none", language))
    return WaitWords("duration", format_wait(seconds, language), speak_wait(seconds, language))


def queue_wait_words(
    catalogue: KioskCatalogue,
    service_id: str,
    seconds: int | None,
    language: str,
    range_seconds: tuple[int, ...] | None = None,
) -> WaitWords:
    """`wait_words` for a service, with the counters and closing time from the snapshot
    (and the range told with `seconds`, if any)."""
    row = catalogue.queue_row(service_id)
    queue = catalogue.queue
    return wait_words(
        seconds,
        row.counters_open if row else None,
        language,
        at=queue.at if queue else None,
        closes_at=queue.centre.closes_at if queue else None,
        range_seconds=range_seconds,
    )


def service_row(catalogue: KioskCatalogue, service: ServiceView, language: str) -> ServiceRow:
    """The button text and state of one service."""
    queue = catalogue.queue_row(service.id)
    reason_code = queue.unavailable_reason if queue else None
    waiting = queue.waiting if queue else 0
    words = queue_wait_words(
        catalogue,
        service.id,
        queue.estimated_wait_seconds if queue else None,
        language,
        queue.estimated_wait_range_seconds if queue else None,
    )
    wait = (
        t("service.estimate", language, wait=words.shown)
        if words.kind == "duration"
        else words.shown
    )
    detail = f"{t('service.waiting', language, count=waiting)} · {wait}"
    reason = t(f"reason.{reason_code}", language) if reason_code else ""
    return ServiceRow(
        service_id=service.id,
        name=service.name.get(language),
        detail=detail,
        enabled=reason_code is None,
        reason=reason,
    )


def service_rows(
    catalogue: KioskCatalogue, language: str, service_ids: Iterable[str] | None = None
) -> list[ServiceRow]:
    """Rows for the given services (all when None), in catalogue order."""
    wanted = set(service_ids) if service_ids is not None else None
    return [
        service_row(catalogue, service, language)
        for service in catalogue.services
        if wanted is None or service.id in wanted
    ]


def categories(catalogue: KioskCatalogue, language: str) -> list[Choice]:
    """Categories that have services, with how many."""
    return _choices(
        catalogue,
        language,
        catalogue.centre.categories if catalogue.centre else (),
        lambda s, cid: s.category_id == cid,
    )


def life_situations(catalogue: KioskCatalogue, language: str) -> list[Choice]:
    """Life situations that have services, with how many."""
    return _choices(
        catalogue,
        language,
        catalogue.centre.life_situations if catalogue.centre else (),
        lambda s, sid: sid in s.life_situation_ids,
    )


def _choices(
    catalogue: KioskCatalogue, language: str, items: Iterable[NamedView], matches: Any
) -> list[Choice]:
    result = []
    for item in items:
        count = sum(1 for service in catalogue.services if matches(service, item.id))
        if count:
            result.append(Choice(item.id, item.name.get(language), count))
    return result


def services_in_category(catalogue: KioskCatalogue, category_id: str) -> list[str]:
    """Ids of the services in a category."""
    return [s.id for s in catalogue.services if s.category_id == category_id]


def services_in_situation(catalogue: KioskCatalogue, situation_id: str) -> list[str]:
    """Ids of the services for a life situation."""
    return [s.id for s in catalogue.services if situation_id in s.life_situation_ids]


def search(catalogue: KioskCatalogue, query: str, language: str) -> list[str]:
    """Services whose name or description (in the visitor's language or Latvian) contain
    every word of `query`, ignoring case and diacritics; names that match come first."""
    words = fold(query).split()
    if not words:
        return []
    scored: list[tuple[int, int, str]] = []
    for index, service in enumerate(catalogue.services):
        names = fold(" ".join({service.name.get(language), service.name.lv}))
        descriptions = fold(" ".join({service.description.get(language), service.description.lv}))
        if all(word in names for word in words):
            scored.append((0, index, service.id))
        elif all(word in names or word in descriptions for word in words):
            scored.append((1, index, service.id))
    return [service_id for _, _, service_id in sorted(scored)]


STANDARD_SECTIONS = (
    ("who_may_apply", "info.who"),
    ("documents", "info.documents"),
    ("fee", "info.fee"),
    ("decision_time", "info.decision_time"),
    ("institution", "info.institution"),
    ("result_delivery", "info.result"),
)


def service_fee(
    centre: CentreView | None, service: ServiceView, language: str, reference_source: str | None
) -> CreditTransfer | None:
    """How to pay `service`'s fee (None: it has none, or its department has no account):
    into the deciding department's account, as `GET /centre` gives it, referring to
    `reference_source` (the ticket's day and number, a registration number) or, without
    one, naming the service. Raises `PaymentError` when a field cannot be used."""
    amount = service.standard.fee_amount
    department_id = service.standard.department_id
    departments = centre.departments if centre else ()
    department = next((d for d in departments if d.id == department_id), None)
    if not amount or department is None or not department.iban:
        return None
    return fee_transfer(
        amount=amount,
        payee_name=department.payee_name,
        iban=department.iban,
        bic=department.bic,
        reference_source=reference_source,
        note=service.name.get(language),
    )


def standard_sections(service: ServiceView, language: str) -> list[tuple[str, str]]:
    """The service standard as (heading, text) pairs, empty sections left out."""
    standard = service.standard
    sections = []
    for key, heading in STANDARD_SECTIONS:
        text = text_in(getattr(standard, key), language)
        if text:
            sections.append((t(heading, language), text))
    channels = [t(f"channel.{channel}", language) for channel in standard.channels]
    if channels:
        sections.insert(5, (t("info.channels", language), ", ".join(channels)))
    return sections


@dataclass(frozen=True)
class TicketView:
    """The issued ticket as shown and spoken."""

    number: str
    service_name: str
    people_ahead: str
    wait: str
    spoken: str
    counter_hint: str = ""


def ticket_view(
    ticket: LiveTicketView,
    service: ServiceView,
    language: str,
    counter_hint: str = "",
    wait: WaitWords | None = None,
    booked_time: str = "",
) -> TicketView:
    """What the ticket screen shows and says; `wait` words the ticket's estimate (from
    `queue_wait_words`; plain when not given). A ticket of a checked-in booking
    (`booked_time`, `HH:MM` local) shows its booked time instead: it is called around
    that time, not after the people ahead."""
    number = ticket.number
    name = service.name.get(language)
    if booked_time:
        spoken = t(
            "speech.booked_ticket",
            language,
            number=spoken_number(number),
            service=name,
            time=booked_time,
        )
        return TicketView(
            number=number,
            service_name=name,
            people_ahead="",
            wait=t("ticket.booked_for", language, time=booked_time),
            spoken=spoken,
            counter_hint=counter_hint,
        )
    seconds = ticket.estimated_wait_seconds
    if wait is None:
        wait = wait_words(
            seconds, None, language, range_seconds=ticket.estimated_wait_range_seconds
        )
    if wait.kind == "no_counter":
        text = t("ticket.no_counter", language)
        wait = WaitWords("no_counter", text, text)
    ahead = ticket.people_ahead
    spoken = t("speech.ticket", language, number=spoken_number(number), service=name, ahead=ahead)
    if wait.is_duration:
        spoken += " " + t("speech.ticket_wait", language, wait=wait.spoken)
        shown_wait = f"{t('ticket.estimated_wait', language)}: {wait.shown}"
    else:
        spoken += " " + wait.spoken
        shown_wait = wait.shown
    return TicketView(
        number=number,
        service_name=name,
        people_ahead=f"{t('ticket.people_ahead', language)}: {ahead}",
        wait=shown_wait,
        spoken=spoken,
        counter_hint=counter_hint,
    )


DEFAULT_TIMEZONE = "Europe/Riga"


def booked_time(ticket: LiveTicketView, centre: CentreView | None, language: str) -> str:
    """`HH:MM` in the centre's zone: the booked time of a checked-in booking's ticket
    (empty for a walk-in's)."""
    booked = ticket.appointment_at
    if booked is None:
        return ""
    return format_time(booked.astimezone(centre_zone(centre)), language)


def centre_zone(centre: CentreView | None) -> ZoneInfo:
    """The centre's time zone (from `/centre`): every time a terminal shows is in it,
    never in the terminal computer's own zone."""
    return ZoneInfo(centre.timezone if centre and centre.timezone else DEFAULT_TIMEZONE)


def clock_text(now: datetime, centre: CentreView | None) -> str:
    """`14:05`: the time on the terminal's screen, in the centre's zone."""
    return now.astimezone(centre_zone(centre)).strftime("%H:%M")


def centre_date(now: datetime, centre: CentreView | None) -> date:
    """The date at the centre at the instant `now` (what "today" means for a visitor's
    form, e.g. a personal code's birth date), never the terminal computer's own date."""
    return now.astimezone(centre_zone(centre)).date()


def opening_hours_lines(centre: CentreView | None, language: str) -> list[str]:
    """`Pirmdiena 08:30–19:00` lines for the closed screen."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    weekly = centre.weekly_hours if centre else {}
    lines = []
    for index, day in enumerate(days):
        ranges = weekly.get(day)
        if ranges:
            lines.append(f"{t(f'day.{index}', language)}  {', '.join(ranges)}")
    return lines


def opens_at_text(queue: QueueView | None, language: str, zone: Any) -> str:
    """`Closed — opens at 24.11. 08:30` from the snapshot's `centre.opens_at`."""
    opens = queue.centre.opens_at if queue else None
    if opens is None:
        return t("closed", language)
    local = opens.astimezone(zone)
    return t("closed.opens_at", language, when=local.strftime("%d.%m. %H:%M"))


@dataclass
class Accessibility:
    """The visitor's accessibility choices; reset after each visitor."""

    large_text: bool = False
    high_contrast: bool = False
    speech: bool = False
    volume: int = 100

    def louder(self) -> int:
        """Raise the speech volume one step (espeak amplitude, max 200)."""
        self.volume = min(200, self.volume + 25)
        return self.volume

    def quieter(self) -> int:
        """Lower the speech volume one step."""
        self.volume = max(25, self.volume - 25)
        return self.volume


def language_names(languages: Sequence[str]) -> list[tuple[str, str]]:
    """(code, own name) for the language buttons."""
    return [(code, t("language.name", code)) for code in languages]
