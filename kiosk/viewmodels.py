"""What the kiosk screens show, computed without any window (so it is testable).

The data comes from the server as JSON (`/centre`, `/services`, `/queue`);
these functions turn it into rows, texts and spoken sentences in the
visitor's language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from core.i18n import format_time, format_wait, speak_wait, t
from core.issuing import runs_past_closing
from core.numbering import spoken_number

Json = dict[str, Any]


def text_in(texts: Mapping[str, str] | None, language: str) -> str:
    """A localized JSON text in `language`, falling back to Latvian, then English."""
    if not texts:
        return ""
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
    `/services`, `/queue`); the catalogue itself is `core.catalogue.KioskCatalogue`."""

    centre: Json = field(default_factory=dict)
    services: list[Json] = field(default_factory=list)
    queue: Json = field(default_factory=dict)

    def service(self, service_id: str) -> Json:
        """A service's JSON by id (KeyError if unknown)."""
        for service in self.services:
            if service["id"] == service_id:
                return service
        raise KeyError(service_id)

    def queue_row(self, service_id: str) -> Json:
        """The queue snapshot's row for a service ({} if none yet)."""
        for row in self.queue.get("services", []):
            if row["service_id"] == service_id:
                return dict(row)
        return {}

    def same_offer(self, other: KioskCatalogue) -> bool:
        """Whether `other` describes the same centre and services (today's opening state
        aside): when not, the server or its catalogue has changed."""
        live = ("is_open", "opens_at", "closes_at")

        def offer(catalogue: KioskCatalogue) -> tuple[Json, list[Json]]:
            centre = {k: v for k, v in catalogue.centre.items() if k not in live}
            return centre, catalogue.services

        return offer(self) == offer(other)

    @property
    def is_open(self) -> bool:
        """Whether the centre is open now (True until the first snapshot says otherwise)."""
        centre = self.queue.get("centre")
        return bool(centre.get("is_open", True)) if centre else True


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
) -> WaitWords:
    """The one place a kiosk words an estimate. `counters_open` is how many open counters
    serve the service (None: not known); `at` is when the estimate was made and
    `closes_at` when the centre closes today (both from the queue snapshot)."""

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
    if round(seconds / 60) <= 0:
        return WaitWords("none", t("wait.none", language), t("wait.none", language))
    return WaitWords("duration", format_wait(seconds, language), speak_wait(seconds, language))


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def queue_wait_words(
    catalogue: KioskCatalogue, service_id: str, seconds: Any, language: str
) -> WaitWords:
    """`wait_words` for a service, with the counters and closing time from the snapshot."""
    row = catalogue.queue_row(service_id)
    counters = row.get("counters_open")
    return wait_words(
        seconds,
        int(counters) if counters is not None else None,
        language,
        at=_moment(catalogue.queue.get("at")),
        closes_at=_moment(catalogue.queue.get("centre", {}).get("closes_at")),
    )


def service_row(catalogue: KioskCatalogue, service: Json, language: str) -> ServiceRow:
    """The button text and state of one service."""
    queue = catalogue.queue_row(service["id"])
    reason_code = queue.get("unavailable_reason")
    waiting = int(queue.get("waiting", 0))
    words = queue_wait_words(
        catalogue, service["id"], queue.get("estimated_wait_seconds"), language
    )
    wait = (
        t("service.estimate", language, wait=words.shown)
        if words.kind == "duration"
        else words.shown
    )
    detail = f"{t('service.waiting', language, count=waiting)} · {wait}"
    reason = t(f"reason.{reason_code}", language) if reason_code else ""
    return ServiceRow(
        service_id=service["id"],
        name=text_in(service["name"], language),
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
        if wanted is None or service["id"] in wanted
    ]


def categories(catalogue: KioskCatalogue, language: str) -> list[Choice]:
    """Categories that have services, with how many."""
    return _choices(catalogue, language, "categories", lambda s, cid: s["category_id"] == cid)


def life_situations(catalogue: KioskCatalogue, language: str) -> list[Choice]:
    """Life situations that have services, with how many."""
    return _choices(
        catalogue, language, "life_situations", lambda s, sid: sid in s["life_situation_ids"]
    )


def _choices(catalogue: KioskCatalogue, language: str, key: str, matches: Any) -> list[Choice]:
    result = []
    for item in catalogue.centre.get(key, []):
        count = sum(1 for service in catalogue.services if matches(service, item["id"]))
        if count:
            result.append(Choice(item["id"], text_in(item["name"], language), count))
    return result


def services_in_category(catalogue: KioskCatalogue, category_id: str) -> list[str]:
    """Ids of the services in a category."""
    return [s["id"] for s in catalogue.services if s["category_id"] == category_id]


def services_in_situation(catalogue: KioskCatalogue, situation_id: str) -> list[str]:
    """Ids of the services for a life situation."""
    return [s["id"] for s in catalogue.services if situation_id in s["life_situation_ids"]]


def search(catalogue: KioskCatalogue, query: str, language: str) -> list[str]:
    """Services whose name or description (in the visitor's language or Latvian) contain
    every word of `query`, ignoring case and diacritics; names that match come first."""
    words = fold(query).split()
    if not words:
        return []
    scored: list[tuple[int, int, str]] = []
    for index, service in enumerate(catalogue.services):
        names = fold(" ".join({text_in(service["name"], language), service["name"].get("lv", "")}))
        descriptions = fold(
            " ".join(
                {text_in(service["description"], language), service["description"].get("lv", "")}
            )
        )
        if all(word in names for word in words):
            scored.append((0, index, service["id"]))
        elif all(word in names or word in descriptions for word in words):
            scored.append((1, index, service["id"]))
    return [service_id for _, _, service_id in sorted(scored)]


STANDARD_SECTIONS = (
    ("who_may_apply", "info.who"),
    ("documents", "info.documents"),
    ("fee", "info.fee"),
    ("decision_time", "info.decision_time"),
    ("institution", "info.institution"),
    ("result_delivery", "info.result"),
)


def standard_sections(service: Json, language: str) -> list[tuple[str, str]]:
    """The service standard as (heading, text) pairs, empty sections left out."""
    standard = service.get("standard", {})
    sections = []
    for key, heading in STANDARD_SECTIONS:
        text = text_in(standard.get(key), language)
        if text:
            sections.append((t(heading, language), text))
    channels = [t(f"channel.{channel}", language) for channel in standard.get("channels", [])]
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
    ticket: Json,
    service: Json,
    language: str,
    counter_hint: str = "",
    wait: WaitWords | None = None,
    booked_time: str = "",
) -> TicketView:
    """What the ticket screen shows and says; `wait` words the ticket's estimate (from
    `queue_wait_words`; plain when not given). A ticket of a checked-in booking
    (`booked_time`, `HH:MM` local) shows its booked time instead: it is called around
    that time, not after the people ahead."""
    number = ticket["number"]
    name = text_in(service["name"], language)
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
    seconds = ticket.get("estimated_wait_seconds")
    if wait is None:
        wait = wait_words(seconds, None, language)
    if wait.kind == "no_counter":
        text = t("ticket.no_counter", language)
        wait = WaitWords("no_counter", text, text)
    ahead = ticket.get("people_ahead", 0)
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


def booked_time(ticket: Json, centre: Json, language: str) -> str:
    """`HH:MM` in the centre's zone: the booked time of a checked-in booking's ticket
    (empty for a walk-in's)."""
    booked = ticket.get("appointment_at")
    if not booked:
        return ""
    return format_time(datetime.fromisoformat(booked).astimezone(centre_zone(centre)), language)


def centre_zone(centre: Json) -> ZoneInfo:
    """The centre's time zone (from `/centre`): every time a terminal shows is in it,
    never in the terminal computer's own zone."""
    return ZoneInfo(centre.get("timezone") or DEFAULT_TIMEZONE)


def clock_text(now: datetime, centre: Json) -> str:
    """`14:05`: the time on the terminal's screen, in the centre's zone."""
    return now.astimezone(centre_zone(centre)).strftime("%H:%M")


def centre_date(now: datetime, centre: Json) -> date:
    """The date at the centre at the instant `now` (what "today" means for a visitor's
    form, e.g. a personal code's birth date), never the terminal computer's own date."""
    return now.astimezone(centre_zone(centre)).date()


def opening_hours_lines(centre: Json, language: str) -> list[str]:
    """`Pirmdiena 08:30–19:00` lines for the closed screen."""
    days = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    weekly = centre.get("weekly_hours", {})
    lines = []
    for index, day in enumerate(days):
        ranges = weekly.get(day)
        if ranges:
            lines.append(f"{t(f'day.{index}', language)}  {', '.join(ranges)}")
    return lines


def opens_at_text(queue: Json, language: str, zone: Any) -> str:
    """`Closed — opens at 24.11. 08:30` from the snapshot's `centre.opens_at`."""
    opens = queue.get("centre", {}).get("opens_at")
    if not opens:
        return t("closed", language)
    local = datetime.fromisoformat(opens).astimezone(zone)
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
