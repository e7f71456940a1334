"""The kiosk's work away from the screen: the server, the event stream, the printer.

Everything here blocks, so it runs in worker threads; results are handed to
the screen through `post` (on Kivy: `Clock.schedule_once`), never touching
widgets directly. No Kivy import here: the backend is tested on its own.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from kiosk.config import KioskConfig
from kiosk.lodging import Lodger, LodgingOutcome
from kiosk.outbox import Outbox
from kiosk.viewmodels import KioskCatalogue, centre_zone, text_in
from printer.errors import PaperOut, PrinterError, PrinterOffline, PrinterTimeout
from printer.layout import Align as LayoutAlign
from printer.layout import Cut as LayoutCut
from printer.layout import (
    Layout,
    Rule,
    Size,
    Text,
    TicketContent,
    branding_for,
    ticket_layout,
)
from printer.preview import write_png
from printer.ticket_printer import PrinterState, TicketPrinter
from terminal.client import ApiError, ClientError, RindaClient, Unreachable
from terminal.link import LinkCallbacks, LinkedBackend, LinkSettings, TerminalLink

log = logging.getLogger(__name__)
Json = dict[str, Any]
Post = Callable[[Callable[[], None]], None]
ISSUE_RETRY_SECONDS = 12.0
DEFAULT_OUTBOX = Path.home() / ".local" / "share" / "rinda" / "kiosk-outbox"


class Listener(Protocol):
    """Where the backend reports (called on the main thread through `post`)."""

    def on_catalogue(self, catalogue: KioskCatalogue) -> None: ...
    def on_queue(self, queue: Json) -> None: ...
    def on_connection(self, connected: bool) -> None: ...
    def on_printer(self, state: PrinterState, detail: str) -> None: ...


@dataclass(frozen=True)
class TicketOutcome:
    """What happened when a visitor asked for a ticket."""

    ticket: Json | None
    printed: bool = False
    printer_error: str | None = None
    error_code: str | None = None
    error_message: str = ""


@dataclass(frozen=True)
class CheckInResult:
    """What checking a booking in came to: the server's `answer` (`outcome`, `starts_at`,
    `opens_at`, `normal_ticket`; see `POST /appointments/check-in`) and, once checked in,
    the ticket as printed; or why there is no answer (`error_code`)."""

    answer: Json | None
    ticket: TicketOutcome | None = None
    error_code: str | None = None


PRINTER_STATE_FOR_ERROR = {
    PaperOut: PrinterState.PAPER_OUT,
    PrinterOffline: PrinterState.OFFLINE,
    PrinterTimeout: PrinterState.UNKNOWN,
}


class KioskBackend(LinkedBackend):
    """Finds the server, follows its events, issues and prints tickets."""

    def __init__(
        self,
        config: KioskConfig,
        printer: TicketPrinter,
        post: Post,
        listener: Listener,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.monotonic = monotonic
        """What the retry budget is measured on (the app's clock)."""
        self.printer = printer
        self.post = post
        self.listener = listener
        self.catalogue = KioskCatalogue()
        self.counters: list[Json] = []
        self.printer_state = PrinterState.UNKNOWN
        self.printer_detail = ""
        self.pending_reports: list[tuple[str, bool, str | None]] = []
        self._reports_lock = threading.Lock()
        self.application_types: list[Json] = []
        self.appointment_services: list[Json] = []
        """Services that take appointments (the kiosk offers check-in when there are)."""
        self._lost = False
        outbox_dir = config.outbox_dir or DEFAULT_OUTBOX
        self.lodger = Lodger(
            Outbox(outbox_dir),
            printer,
            lambda: self.link.client,
            self._branding,
            lambda: self.catalogue.centre,
            monotonic,
        )
        self.link = TerminalLink(
            LinkSettings(
                token=config.token,
                server_url=config.server_url,
                server_ca=config.server_ca,
                discover=config.discover,
                centre=config.centre,
                event_params={"type": ["ticket", "counter", "centre"]},
                heartbeat_seconds=config.status_interval_seconds,
            ),
            LinkCallbacks(
                load=self._load,
                loaded=self._loaded,
                queue=self._queue,
                connection=self._connection,
                heartbeat=self._heartbeat,
            ),
        )

    # -- connection --------------------------------------------------------------

    def _connection(self, connected: bool) -> None:
        self.post(partial(self.listener.on_connection, connected))
        if not connected:
            self._lost = True
        elif self._lost:
            # The event stream resumed, but the server may have been restarted with another
            # catalogue, or be another server: load what it offers anew.
            self._lost = False
            threading.Thread(target=self._reload, daemon=True).start()

    def _reload(self) -> None:
        client = self.client
        if client is None:
            return
        try:
            self._loaded(client, self._load(client))
        except ClientError as exc:
            log.info("reloading the catalogue failed: %s", exc)

    def _load(self, client: RindaClient) -> Json:
        return {
            "application_types": client.get("/application-types"),
            "centre": client.centre(),
            "services": client.services(),
            "counters": client.counters(),
            "queue": client.queue(),
            "appointment_services": client.get("/appointments/services"),
        }

    def _loaded(self, client: RindaClient, data: Json) -> None:
        self.counters = data["counters"]
        self.application_types = data["application_types"]
        self.appointment_services = data["appointment_services"]
        self.catalogue = KioskCatalogue(
            centre=data["centre"], services=data["services"], queue=data["queue"]
        )
        self.post(partial(self.listener.on_catalogue, self.catalogue))

    def _queue(self, queue: Json) -> None:
        self.catalogue.queue = queue
        self.post(partial(self.listener.on_queue, queue))
        self._flush_print_reports()

    # -- printer status ------------------------------------------------------------

    def _heartbeat(self, client: RindaClient) -> None:
        status = self.printer.status()
        self._set_printer(status.state, status.detail)
        self.lodger.flush()

    def _set_printer(self, state: PrinterState, detail: str) -> None:
        self.printer_state, self.printer_detail = state, detail
        self.post(lambda: self.listener.on_printer(state, detail))
        client = self.client
        if client is not None:
            try:
                client.report_status(state.value, detail[:500] or None)
            except ClientError as exc:
                log.info("could not report the printer state: %s", exc)

    # -- tickets -------------------------------------------------------------------

    def issue_ticket(
        self,
        service_id: str,
        language: str,
        priority: bool,
        key: str,
        done: Callable[[TicketOutcome], None],
    ) -> None:
        """Issue, print and report a ticket in a worker; `done` gets the outcome. `key` is
        the visitor's idempotency key for it: the server gives every request with the same
        key the same ticket."""
        thread = threading.Thread(
            target=self._issue, args=(service_id, language, priority, key, done), daemon=True
        )
        thread.start()

    def _issue(
        self,
        service_id: str,
        language: str,
        priority: bool,
        key: str,
        done: Callable[[TicketOutcome], None],
    ) -> None:
        outcome = self._issue_and_print(service_id, language, priority, key)
        self.post(lambda: done(outcome))

    def _issue_and_print(
        self, service_id: str, language: str, priority: bool, key: str
    ) -> TicketOutcome:
        client = self.client
        if client is None:
            return TicketOutcome(None, error_code="unreachable")
        deadline = self.monotonic() + ISSUE_RETRY_SECONDS
        ticket: Json | None = None
        while ticket is None:
            try:
                ticket = client.issue_ticket(service_id, language, priority, idempotency_key=key)
            except Unreachable as exc:
                # The answer may have been lost after the server committed the ticket:
                # retry with the same key, so the retry returns that ticket, never a second.
                if self.monotonic() > deadline:
                    return TicketOutcome(None, error_code="unreachable", error_message=str(exc))
                time.sleep(0.5)
            except ApiError as exc:
                return TicketOutcome(None, error_code=exc.code, error_message=exc.message)
        return self._print_ticket(ticket, language)

    def _print_ticket(self, ticket: Json, language: str) -> TicketOutcome:
        """Print an issued ticket and tell the server whether it came out."""
        service = self.catalogue.service(ticket["service_id"])
        layout = ticket_layout(
            self._ticket_content(ticket, service, language), self._branding(language)
        )
        printer_error: str | None = None
        try:
            self.printer.print_layout(layout)
        except PrinterError as exc:
            printer_error = exc.code
            state = next(
                (s for kind, s in PRINTER_STATE_FOR_ERROR.items() if isinstance(exc, kind)),
                PrinterState.UNKNOWN,
            )
            self._set_printer(state, str(exc))
        else:
            if self.printer_state in (PrinterState.PAPER_OUT, PrinterState.OFFLINE):
                self._set_printer(PrinterState.OK, "")
        self._write_preview(layout, ticket)
        self._report_print(ticket["id"], printer_error is None, printer_error)
        return TicketOutcome(ticket, printed=printer_error is None, printer_error=printer_error)

    def check_in(self, code: str, language: str, done: Callable[[CheckInResult], None]) -> None:
        """Check a booking in by its code in a worker, printing the ticket it gives;
        `done` gets the result. A retry after a lost answer is safe: checking in again
        answers with the same ticket."""

        def work() -> None:
            result = self._check_in(code, language)
            self.post(lambda: done(result))

        threading.Thread(target=work, daemon=True).start()

    def _check_in(self, code: str, language: str) -> CheckInResult:
        client = self.client
        if client is None:
            return CheckInResult(None, error_code="unreachable")
        deadline = self.monotonic() + ISSUE_RETRY_SECONDS
        while True:
            try:
                answer = client.post("/appointments/check-in", {"code": code, "language": language})
                break
            except Unreachable:
                if self.monotonic() > deadline:
                    return CheckInResult(None, error_code="unreachable")
                time.sleep(0.5)
            except ApiError as exc:
                return CheckInResult(None, error_code=exc.code)
        ticket = answer.get("ticket")
        if answer.get("outcome") != "checked_in" or ticket is None:
            return CheckInResult(answer)
        return CheckInResult(answer, self._print_ticket(ticket, language))

    def counter_hint(self, service_id: str, language: str) -> str:
        """Where to go, when exactly one counter serves the service."""
        serving = [c for c in self.counters if service_id in c.get("service_ids", [])]
        if len(serving) != 1:
            return ""
        counter = serving[0]
        area = text_in(counter.get("area"), language)
        name = text_in(counter.get("name"), language)
        return f"{name}, {area}" if area else name

    def _ticket_content(self, ticket: Json, service: Json, language: str) -> TicketContent:
        zone = centre_zone(self.catalogue.centre)
        issued = datetime.fromisoformat(ticket["issued_at"]).astimezone(zone)
        booked = ticket.get("appointment_at")
        appointment_at = (
            datetime.fromisoformat(booked).astimezone(zone).replace(tzinfo=None) if booked else None
        )
        template = self.catalogue.centre.get("status_url") or ""
        return TicketContent(
            number=ticket["number"],
            service_name=text_in(service["name"], language),
            issued_at=issued.replace(tzinfo=None),
            people_ahead=int(ticket.get("people_ahead", 0)),
            estimated_wait_seconds=ticket.get("estimated_wait_seconds"),
            language=language,
            is_priority=bool(ticket.get("is_priority")),
            counter_hint=self.counter_hint(service["id"], language),
            status_url=template.format(ticket_id=ticket["id"]) if template else "",
            appointment_at=appointment_at,
        )

    def status_url(self, ticket: Json) -> str:
        """The ticket's status page address (for the on-screen QR code)."""
        template = self.catalogue.centre.get("status_url") or ""
        return template.format(ticket_id=ticket["id"]) if template else ""

    def _branding(self, language: str) -> Any:
        return branding_for(self.catalogue.centre, language)

    def _write_preview(self, layout: Layout, ticket: Json) -> None:
        directory: Path | None = self.config.preview_dir
        if directory is None:
            return
        try:
            write_png(
                layout,
                directory / f"{ticket['number']}-{ticket['id'][:6]}.png",
                self.printer.renderer.info.width,
            )
        except OSError as exc:
            log.warning("could not write the ticket preview: %s", exc)

    # -- print reports ---------------------------------------------------------------

    def _report_print(self, ticket_id: str, printed: bool, error: str | None) -> None:
        with self._reports_lock:
            self.pending_reports.append((ticket_id, printed, error))
        self._flush_print_reports()

    def _flush_print_reports(self) -> None:
        """Tell the server about prints; unsent reports are kept and retried."""
        client = self.client
        if client is None:
            return
        with self._reports_lock:
            pending, self.pending_reports = self.pending_reports, []
        failed = []
        for ticket_id, printed, error in pending:
            try:
                client.report_print(ticket_id, printed, error)
            except Unreachable:
                failed.append((ticket_id, printed, error))
            except ApiError as exc:
                log.warning("the server refused the print report for %s: %s", ticket_id, exc)
        if failed:
            with self._reports_lock:
                self.pending_reports = failed + self.pending_reports

    # -- applications --------------------------------------------------------------------

    def lodge_application(
        self, body: Json, type_info: Json, done: Callable[[LodgingOutcome], None]
    ) -> None:
        """Lodge (outbox, server, receipt) in a worker; `done` gets the outcome."""

        def work() -> None:
            outcome = self.lodger.lodge(body, type_info)
            self.post(lambda: done(outcome))

        threading.Thread(target=work, daemon=True).start()

    def look_up_application(
        self, number: str, secret: str, done: Callable[[Json | None, str], None]
    ) -> None:
        """The status of an application; `done(result, error_code)`."""

        def work() -> None:
            client = self.client
            result: Json | None = None
            code = ""
            try:
                if client is None:
                    raise Unreachable("not connected")
                result = client.post(
                    "/applications/lookup", {"registration_number": number, "secret": secret}
                )
            except Unreachable:
                code = "unreachable"
            except ApiError as exc:
                code = exc.code
            self.post(lambda: done(result, code))

        threading.Thread(target=work, daemon=True).start()

    # -- service information -----------------------------------------------------------

    def print_information(
        self,
        service_id: str,
        language: str,
        sections: list[tuple[str, str]],
        done: Callable[[bool], None],
    ) -> None:
        """Print the service standard page in a worker; `done(True)` when printed."""
        service = self.catalogue.service(service_id)
        blocks: list[Any] = [
            Text(self.catalogue.centre.get("name", {}).get(language, ""), bold=True),
            Rule(),
            Text(text_in(service["name"], language), size=Size.LARGE, bold=True),
        ]
        for heading, text in sections:
            blocks += [
                Text(heading, bold=True, align=LayoutAlign.LEFT),
                Text(text, align=LayoutAlign.LEFT),
            ]
        blocks.append(LayoutCut())
        layout = tuple(blocks)

        def work() -> None:
            try:
                self.printer.print_layout(layout)
                ok = True
            except PrinterError as exc:
                log.warning("printing the service information failed: %s", exc)
                ok = False
            self.post(lambda: done(ok))

        threading.Thread(target=work, daemon=True).start()
