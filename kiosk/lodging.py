"""Lodging applications from the kiosk: outbox first, then the server, then the receipt.

Runs in worker threads (no Kivy). The application is written to the durable
outbox before anything is sent, and leaves it only once the server has
answered for it; `flush` resends what is left (same idempotency key) whenever
the server is reachable again.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from core.payment import CreditTransfer
from core.wire.codec import Json
from core.wire.payloads import ApplicationTypeView, CentreView, LodgedView
from kiosk.outbox import Outbox, OutboxEntry, new_reference
from kiosk.viewmodels import centre_zone, text_in
from printer.errors import PrinterError
from printer.layout import Branding, ReceiptContent, receipt_layout
from printer.ticket_printer import TicketPrinter
from terminal.client import ApiError, Incompatible, RindaClient, Unreachable, decoded

log = logging.getLogger(__name__)
SEND_RETRY_SECONDS = 8.0


@dataclass(frozen=True)
class LodgingOutcome:
    """What happened to the visitor's application."""

    result: LodgedView | None = None
    """The server's answer (registration number, secret, deadline)."""
    printed: bool = False
    queued_reference: str | None = None
    """Kept in the outbox, to be sent later; the visitor's reference."""
    field_errors: dict[str, str] = field(default_factory=dict)
    error_message: str = ""


class Lodger:
    """Sends applications and prints receipts."""

    def __init__(
        self,
        outbox: Outbox,
        printer: TicketPrinter,
        client: Callable[[], RindaClient | None],
        branding: Callable[[str], Branding],
        centre: Callable[[], CentreView | None],
        monotonic: Callable[[], float] = time.monotonic,
        fee: Callable[[str, str, str], CreditTransfer | None] = lambda *_: None,
    ) -> None:
        self.outbox = outbox
        self.printer = printer
        self.client = client
        self.branding = branding
        self.centre = centre
        self.monotonic = monotonic
        """What the retry budget is measured on (the kiosk's clock)."""
        self.fee = fee
        """How to pay the fee of a service (id, language, registration number), if any."""
        self._flush_lock = threading.Lock()

    def lodge(self, body: Json, type_info: ApplicationTypeView) -> LodgingOutcome:
        """Store durably, send, print the receipt (blocking; call from a worker)."""
        entry = self.outbox.add({**body, "kiosk_reference": new_reference()})
        deadline = self.monotonic() + SEND_RETRY_SECONDS
        while True:
            client = self.client()
            try:
                if client is None:
                    raise Unreachable("not connected")
                answer = client.post("/applications", entry.body, idempotency_key=entry.key)
                result = decoded(LodgedView, answer)
                break
            except Unreachable:
                if self.monotonic() > deadline:
                    return LodgingOutcome(queued_reference=entry.reference)
                time.sleep(0.5)
            except Incompatible as exc:
                # Stored by the server but not readable here: the outbox keeps it and
                # resends it with its key later (the server answers the same again).
                log.error("cannot read the server's answer to an application: %s", exc)
                return LodgingOutcome(queued_reference=entry.reference)
            except ApiError as exc:
                # Refused (e.g. a field the kiosk could not check): the visitor is still
                # here to correct it, so it does not stay in the outbox.
                self.outbox.remove(entry)
                return LodgingOutcome(field_errors=exc.fields, error_message=exc.message)
        self.outbox.remove(entry)
        printed = self.print_receipt(result, type_info, body.get("language", "lv"))
        return LodgingOutcome(result=result, printed=printed)

    def print_receipt(
        self, result: LodgedView, type_info: ApplicationTypeView, language: str
    ) -> bool:
        """Print the application receipt; False if the printer failed."""
        zone = centre_zone(self.centre())
        lodged = result.lodged_at.astimezone(zone)
        content = ReceiptContent(
            registration_number=result.registration_number,
            lodged_at=lodged.replace(tzinfo=None),
            application_type=text_in(type_info.name, language),
            institution=text_in(result.department_name, language),
            deadline=result.answer_deadline,
            secret=result.secret,
            language=language,
            payment=self.fee(type_info.service_id, language, result.registration_number),
        )
        try:
            self.printer.print_layout(receipt_layout(content, self.branding(language)))
        except PrinterError as exc:
            log.warning("printing the receipt for %s failed: %s", content.registration_number, exc)
            return False
        return True

    def flush(self) -> int:
        """Send what the outbox still holds; returns how many were acknowledged."""
        client = self.client()
        if client is None or not self._flush_lock.acquire(blocking=False):
            return 0
        sent = 0
        try:
            for entry in self.outbox.pending():
                if not self._send_later(client, entry):
                    break
                sent += 1
        finally:
            self._flush_lock.release()
        return sent

    def _send_later(self, client: RindaClient, entry: OutboxEntry) -> bool:
        try:
            result = decoded(
                LodgedView, client.post("/applications", entry.body, idempotency_key=entry.key)
            )
        except (Unreachable, Incompatible):
            return False
        except ApiError as exc:
            log.error("the server refused queued application %s: %s", entry.reference, exc)
            self.outbox.set_aside(entry, str(exc))
            return True
        log.info("queued application %s lodged as %s", entry.reference, result.registration_number)
        self.outbox.remove(entry)
        return True
