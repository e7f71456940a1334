"""The feedback terminal's work away from the screen: the server, its events, the ratings.

The terminal learns from the server which counter its device token is bound
to: bound to a counter, it hears when a visit there is finished; bound to
none, it is an exit terminal and finds visits by the typed ticket number.
A rating is written to a durable outbox before the visitor is thanked and
leaves it only when the server has stored it (sent with the same
idempotency key on every retry, so it is stored exactly once).
Blocking work runs in threads; results reach the screen through `post`.
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
from typing import Protocol

from core.events import TICKET_FINISHED
from core.wire.event_data import TicketData
from core.wire.events import EventView
from core.wire.payloads import CentreView, CounterView, PrincipalView, ServiceView, VisitView
from feedback.flow import VisitToRate
from kiosk.outbox import Outbox, OutboxEntry
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
DEFAULT_FEEDBACK_OUTBOX = Path.home() / ".local" / "share" / "rinda" / "feedback-outbox"


class FeedbackListener(Protocol):
    """Where the backend reports (called on the main thread through `post`)."""

    def on_ready(self, centre: CentreView, counter: CounterView | None) -> None: ...
    def on_connection(self, connected: bool) -> None: ...
    def on_visit_finished(self, visit: VisitToRate) -> None: ...


@dataclass(frozen=True)
class FeedbackSettings:
    """What the backend needs from the terminal's configuration."""

    token: str
    server_url: str | None
    discover: bool
    centre: str | None
    outbox_dir: Path
    heartbeat_seconds: float = 30.0
    question_seconds: float = 30.0
    server_ca: Path | None = None


@dataclass(frozen=True)
class Lookup:
    """The answer to "which visit has this ticket number?"."""

    visit: VisitToRate | None = None
    error_code: str = ""


class ServerClock:
    """The server's time, estimated from its last snapshot (terminal clocks drift)."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.monotonic = monotonic
        self._at: datetime | None = None
        self._mono = 0.0

    def set(self, server_at: datetime) -> None:
        self._at, self._mono = server_at, self.monotonic()

    def age(self, moment: datetime) -> float | None:
        """Seconds from `moment` (a server timestamp) to the server's now, if known."""
        if self._at is None:
            return None
        now = self._at.timestamp() + (self.monotonic() - self._mono)
        return now - moment.timestamp()


class FeedbackBackend(LinkedBackend):
    """Follows the counter's finished visits; stores ratings durably and sends them."""

    def __init__(
        self,
        settings: FeedbackSettings,
        post: Post,
        listener: FeedbackListener,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self.post = post
        self.listener = listener
        self.outbox = Outbox(settings.outbox_dir)
        self.counter_id: str | None = None
        self.prefixes: list[str] = []
        self.server_clock = ServerClock(monotonic)
        self._flush_lock = threading.Lock()
        self.link = TerminalLink(
            LinkSettings(
                token=settings.token,
                server_url=settings.server_url,
                server_ca=settings.server_ca,
                discover=settings.discover,
                centre=settings.centre,
                event_params={"type": [TICKET_FINISHED]},
                heartbeat_seconds=settings.heartbeat_seconds,
            ),
            LinkCallbacks(
                load=self._load,
                loaded=self._loaded,
                event=self._event,
                queue=lambda queue: self.server_clock.set(queue.at),
                connection=self._connection,
                heartbeat=self._heartbeat,
            ),
        )

    # -- server --------------------------------------------------------------------

    def _load(self, client: RindaClient) -> Loaded:
        return {
            "session": decoded(PrincipalView, client.get("/session")),
            "centre": client.centre(),
            "counters": client.counters(),
            "services": client.services(),
            "queue": client.queue(),
        }

    def _loaded(self, client: RindaClient, data: Loaded) -> None:
        session: PrincipalView = data["session"]
        services: list[ServiceView] = data["services"]
        counters: list[CounterView] = data["counters"]
        self.counter_id = session.counter_id
        self.prefixes = [service.prefix for service in services]
        self.server_clock.set(data["queue"].at)
        counter = next((c for c in counters if c.id == self.counter_id), None)
        self.post(partial(self.listener.on_ready, data["centre"], counter))

    def _connection(self, connected: bool) -> None:
        self.post(partial(self.listener.on_connection, connected))
        if connected:
            threading.Thread(target=self.flush, daemon=True).start()

    def _event(self, event: EventView) -> None:
        if event.type != TICKET_FINISHED or self.counter_id is None:
            return
        if event.counter_id != self.counter_id or not isinstance(event.data, TicketData):
            return
        age = self.server_clock.age(event.at)
        if age is not None and age > self.settings.question_seconds:
            # Replayed after a break in the connection: that visitor has long gone, and
            # the person now in front of the terminal must not rate someone else's visit.
            return
        visit = VisitToRate.of_ticket(event.data.ticket)
        self.post(partial(self.listener.on_visit_finished, visit))

    def _heartbeat(self, client: RindaClient) -> None:
        self.flush()
        waiting = len(self.outbox.pending())
        detail = f"{waiting} ratings not yet sent" if waiting else None
        try:
            client.report_status("none", detail)
        except ClientError as exc:
            log.info("could not report the terminal's state: %s", exc)

    # -- ratings -------------------------------------------------------------------

    def rate(self, visit: VisitToRate, rating: int) -> None:
        """Keep the rating durably (before returning), then send it in the background."""
        entry = self.outbox.add({"ticket_id": visit.ticket_id, "rating": rating})
        threading.Thread(target=self._send_now, args=(entry,), daemon=True).start()

    def _send_now(self, entry: OutboxEntry) -> None:
        with self._flush_lock:
            self._send(entry)

    def flush(self) -> None:
        """Send every rating still in the outbox (after a restart or a break)."""
        with self._flush_lock:
            for entry in self.outbox.pending():
                if not self._send(entry):
                    return

    def _send(self, entry: OutboxEntry) -> bool:
        """False when the server cannot be reached (the entry stays)."""
        if not (self.settings.outbox_dir / f"{entry.key}.json").exists():
            return True  # already sent by another flush
        client = self.client
        if client is None:
            return False
        try:
            client.post("/feedback", entry.body, idempotency_key=entry.key)
        except Unreachable:
            return False
        except ApiError as exc:
            if exc.code == "already_rated":
                # Rated meanwhile (e.g. at the exit terminal too): one rating is kept.
                log.info("visit %s was already rated", entry.body.get("ticket_id"))
                self.outbox.remove(entry)
            else:
                log.error("the server refused rating %s: %s", entry.body, exc)
                self.outbox.set_aside(entry, str(exc))
            return True
        self.outbox.remove(entry)
        return True

    def find_visit(self, typed_number: str, done: Callable[[Lookup], None]) -> None:
        """Exit terminal: today's served visit with this number; `done` gets the answer."""

        def work() -> None:
            client = self.client
            lookup = Lookup(error_code="unreachable")
            if client is not None:
                try:
                    found = client.get("/feedback/visit", number=typed_number)
                    lookup = Lookup(VisitToRate.of_visit(decoded(VisitView, found)))
                except (Unreachable, Incompatible):
                    pass
                except ApiError as exc:
                    lookup = Lookup(error_code=exc.code)
            self.post(lambda: done(lookup))

        threading.Thread(target=work, daemon=True).start()
