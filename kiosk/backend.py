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
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from core.errors import PaymentError
from core.events import CATALOGUE_APPLIED
from core.payment import CreditTransfer
from core.wire.codec import Json
from core.wire.events import EventView
from core.wire.payloads import (
    ApplicationStatusView,
    ApplicationTypeView,
    CounterView,
    LiveTicketView,
    QueueView,
    ServiceView,
)
from kiosk.config import KioskConfig
from kiosk.lodging import Lodger, LodgingOutcome
from kiosk.outbox import Outbox
from kiosk.viewmodels import KioskCatalogue, centre_zone, service_fee, text_in
from printer.errors import PaperOut, PrinterError, PrinterOffline, PrinterTimeout
from printer.layout import (
    Layout,
    ServiceInfoContent,
    TicketContent,
    branding_for,
    service_info_layout,
    ticket_layout,
)
from printer.preview import write_png
from printer.ticket_printer import PrinterState, TicketPrinter
from terminal.client import (
    ApiError,
    ClientError,
    Incompatible,
    RindaClient,
    Unreachable,
    decoded,
)
from terminal.link import LinkCallbacks, LinkedBackend, LinkSettings, Loaded, TerminalLink

log = logging.getLogger(__name__)
Post = Callable[[Callable[[], None]], None]
ISSUE_RETRY_SECONDS = 12.0
DEFAULT_OUTBOX = Path.home() / ".local" / "share" / "rinda" / "kiosk-outbox"


class Listener(Protocol):
    """Where the backend reports (called on the main thread through `post`)."""

    def on_catalogue(self, catalogue: KioskCatalogue) -> None: ...
    def on_queue(self, queue: QueueView) -> None: ...
    def on_connection(self, connected: bool) -> None: ...
    def on_printer(self, state: PrinterState, detail: str) -> None: ...


@dataclass(frozen=True)
class TicketOutcome:
    """What happened when a visitor asked for a ticket."""

    ticket: LiveTicketView | None
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
        self.counters: list[CounterView] = []
        self.printer_state = PrinterState.UNKNOWN
        self.printer_detail = ""
        self.pending_reports: list[tuple[str, bool, str | None]] = []
        self._reports_lock = threading.Lock()
        self.application_types: list[ApplicationTypeView] = []
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
            fee=self._service_fee,
        )
        self.link = TerminalLink(
            LinkSettings(
                token=config.token,
                server_url=config.server_url,
                server_ca=config.server_ca,
                discover=config.discover,
                centre=config.centre,
                event_params={"type": ["ticket", "counter", "centre", "catalogue"]},
                heartbeat_seconds=config.status_interval_seconds,
            ),
            LinkCallbacks(
                load=self._load,
                loaded=self._loaded,
                event=self._event,
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

    def _event(self, event: EventView) -> None:
        """A new national catalogue version runs at the server: read its services (new
        texts, a service withdrawn or offered again) while the kiosk stays up."""
        if event.type == CATALOGUE_APPLIED:
            threading.Thread(target=self._reload, daemon=True).start()

    def _reload(self) -> None:
        client = self.client
        if client is None:
            return
        try:
            self._loaded(client, self._load(client))
        except ClientError as exc:
            log.info("reloading the catalogue failed: %s", exc)

    def _load(self, client: RindaClient) -> Loaded:
        return {
            "application_types": client.application_types(),
            "centre": client.centre(),
            "services": client.services(),
            "counters": client.counters(),
            "queue": client.queue(),
            "appointment_services": client.get("/appointments/services"),
        }

    def _loaded(self, client: RindaClient, data: Loaded) -> None:
        self.counters = data["counters"]
        self.application_types = data["application_types"]
        self.appointment_services = data["appointment_services"]
        self.catalogue = KioskCatalogue(
            centre=data["centre"], services=data["services"], queue=data["queue"]
        )
        self.post(partial(self.listener.on_catalogue, self.catalogue))

    def _queue(self, queue: QueueView) -> None:
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
        ticket: LiveTicketView | None = None
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
            except Incompatible as exc:  # a server this kiosk cannot read: say so, plainly
                log.error("cannot read the server's ticket: %s", exc)
                return TicketOutcome(None, error_code="incompatible", error_message=str(exc))
        return self._print_ticket(ticket, language)

    def _print_ticket(self, ticket: LiveTicketView, language: str) -> TicketOutcome:
        """Print an issued ticket and tell the server whether it came out."""
        service = self.catalogue.service(ticket.service_id)
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
        self._report_print(ticket.id, printer_error is None, printer_error)
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
        return CheckInResult(answer, self._print_ticket(LiveTicketView.decode(ticket), language))

    def counter_hint(self, service_id: str, language: str) -> str:
        """Where to go, when exactly one counter serves the service."""
        serving = [c for c in self.counters if service_id in c.service_ids]
        if len(serving) != 1:
            return ""
        counter = serving[0]
        area = text_in(counter.area, language)
        name = text_in(counter.name, language)
        return f"{name}, {area}" if area else name

    def _ticket_content(
        self, ticket: LiveTicketView, service: ServiceView, language: str
    ) -> TicketContent:
        issued = ticket.issued_at.astimezone(centre_zone(self.catalogue.centre))
        zone = centre_zone(self.catalogue.centre)
        booked = ticket.appointment_at
        appointment_at = booked.astimezone(zone).replace(tzinfo=None) if booked else None
        return TicketContent(
            number=ticket.number,
            service_name=service.name.get(language),
            issued_at=issued.replace(tzinfo=None),
            people_ahead=ticket.people_ahead,
            estimated_wait_seconds=ticket.estimated_wait_seconds,
            estimated_wait_range_seconds=_told_range(ticket.estimated_wait_range_seconds),
            language=language,
            is_priority=ticket.is_priority,
            counter_hint=self.counter_hint(service.id, language),
            status_url=self.status_url(ticket),
            payment=self.fee(service, language, f"{ticket.business_day}{ticket.number}"),
            appointment_at=appointment_at,
        )

    def _service_fee(
        self, service_id: str, language: str, reference_source: str
    ) -> CreditTransfer | None:
        try:
            service = self.catalogue.service(service_id)
        except KeyError:
            return None
        return self.fee(service, language, reference_source)

    def fee(
        self, service: ServiceView, language: str, reference_source: str | None
    ) -> CreditTransfer | None:
        """How to pay the service's fee, if it has one (a ticket prints without it rather
        than not at all when a payment field cannot be used)."""
        try:
            return service_fee(self.catalogue.centre, service, language, reference_source)
        except PaymentError as exc:
            log.warning("no payment QR code for %s: %s", service.id, exc.message)
            return None

    def status_url(self, ticket: LiveTicketView) -> str:
        """The ticket's status page address (for the on-screen QR code)."""
        template = self.catalogue.centre.status_url if self.catalogue.centre else ""
        return template.format(ticket_id=ticket.id) if template else ""

    def _branding(self, language: str) -> Any:
        centre = self.catalogue.centre
        return branding_for(centre.encode() if centre else {}, language)

    def _write_preview(self, layout: Layout, ticket: LiveTicketView) -> None:
        directory: Path | None = self.config.preview_dir
        if directory is None:
            return
        try:
            write_png(
                layout,
                directory / f"{ticket.number}-{ticket.id[:6]}.png",
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
        self, body: Json, type_info: ApplicationTypeView, done: Callable[[LodgingOutcome], None]
    ) -> None:
        """Lodge (outbox, server, receipt) in a worker; `done` gets the outcome."""

        def work() -> None:
            outcome = self.lodger.lodge(body, type_info)
            self.post(lambda: done(outcome))

        threading.Thread(target=work, daemon=True).start()

    def look_up_application(
        self,
        number: str,
        secret: str,
        done: Callable[[ApplicationStatusView | None, str], None],
    ) -> None:
        """The status of an application; `done(result, error_code)`."""

        def work() -> None:
            client = self.client
            result: ApplicationStatusView | None = None
            code = ""
            try:
                if client is None:
                    raise Unreachable("not connected")
                answer = client.post(
                    "/applications/lookup", {"registration_number": number, "secret": secret}
                )
                result = decoded(ApplicationStatusView, answer)
            except Unreachable:
                code = "unreachable"
            except ApiError as exc:
                code = exc.code
            except Incompatible as exc:
                log.error("cannot read the server's answer: %s", exc)
                code = "incompatible"
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
        """Print the service standard page in a worker; `done(True)` when printed. It
        names the national catalogue version it comes from and, for a service with a
        fee, carries the payment QR code."""
        service = self.catalogue.service(service_id)
        centre = self.catalogue.centre
        info = ServiceInfoContent(
            service_name=service.name.get(language),
            sections=tuple(sections),
            language=language,
            description=service.description.get(language),
            catalogue_version=centre.national_version if centre else None,
            payment=self.fee(service, language, None),
        )
        layout = service_info_layout(info, self._branding(language))

        def work() -> None:
            try:
                self.printer.print_layout(layout)
                ok = True
            except PrinterError as exc:
                log.warning("printing the service information failed: %s", exc)
                ok = False
            self.post(lambda: done(ok))

        threading.Thread(target=work, daemon=True).start()


def _told_range(value: object) -> tuple[int, int] | None:
    """The issue answer's `estimated_wait_range_seconds` (`[low, high]` or null)."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return int(value[0]), int(value[1])
    return None
