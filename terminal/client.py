"""HTTP client of the centre server for terminals (kiosk, display, feedback), with
an event stream that reconnects forever and resumes with `Last-Event-ID`.

Blocking by design: Kivy apps call it from worker threads and hand results
back to the main thread.

    ClientError
    ├── Unreachable      the server did not answer (network, timeout, refused)
    │   └── UntrustedServer   it answered with a certificate the pinned CA did not sign
    ├── ApiError         the server answered with an error body {code, message}
    └── Incompatible     the answer is not what this program reads (`core.wire`):
                         a member missing or malformed, or an unsupported schema version

The convenience calls decode the server's answers into their wire views
(`core.wire.payloads`); `SseEvent.decoded()` gives an event as its `EventView`.
"""

from __future__ import annotations

import contextlib
import json
import logging
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from core.errors import ResumePointAhead
from core.events import DEFAULT_HEARTBEAT_SECONDS, HEARTBEAT_HEADER
from core.free_text import DEVICE_DETAIL, fitted
from core.wire.codec import WireError, decode
from core.wire.events import EventView, decode_event
from core.wire.payloads import (
    ApplicationTypeView,
    CentreView,
    CounterView,
    DeviceStatusView,
    HealthView,
    LiveTicketView,
    QueueView,
    ServiceView,
)

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
SILENT_HEARTBEATS = 2.0
"""A stream that passes not a byte for this many heartbeat intervals is treated as dead
(a network that silently stopped passing data, with the connection still open)."""


class ClientError(Exception):
    """Base of client errors."""


class Unreachable(ClientError):
    """The server could not be reached or did not answer in time."""


class UntrustedServer(Unreachable):
    """The server's TLS certificate is not signed by the CA this terminal pinned: another
    machine answers at the server's address (a man in the middle, another centre)."""


def transport_error(what: str, exc: httpx.TransportError) -> Unreachable:
    """The client error for a transport failure: `UntrustedServer` for a certificate
    that failed verification, else `Unreachable`."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, ssl.SSLCertVerificationError):
            return UntrustedServer(f"{what}: the server's certificate is not trusted: {cause}")
        cause = cause.__cause__ or cause.__context__
    return Unreachable(f"{what}: {exc.__class__.__name__}: {exc}")


class ApiError(ClientError):
    """The server refused the request; `code` is its stable error code."""

    def __init__(
        self, status: int, code: str, message: str, fields: dict[str, str] | None = None
    ) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


class Incompatible(ClientError):
    """The server's answer or event does not have the shape this program reads (it
    names the member), or carries a schema version it does not read: one of the two
    programs needs updating."""


View = TypeVar("View")


def decoded(view: type[View], payload: Any) -> View:
    """`payload` as `view`; `Incompatible` if it is not one."""
    try:
        return decode(view, payload)
    except WireError as exc:
        raise Incompatible(f"{view.__name__}: {exc}") from exc


def decoded_list(view: type[View], payload: Any) -> list[View]:
    """A JSON array of `view`s; `Incompatible` if it is not one."""
    if not isinstance(payload, list):
        raise Incompatible(f"expected a list of {view.__name__}, got {payload!r:.60}")
    return [decoded(view, item) for item in payload]


class RindaClient:
    """Calls the REST API with a bearer token."""

    def __init__(
        self,
        base_url: str,
        token: str | None = None,
        timeout: float = 5.0,
        *,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        """`verify`: what an https:// server must prove (a paired terminal passes the
        context pinning its server's CA, `terminal.pairing.pinned_context`)."""
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}"} if token else {},
            verify=verify,
        )

    def close(self) -> None:
        """Close the connection pool."""
        self._http.close()

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        idempotency_key: str | None = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        """One API call; returns the decoded JSON (None for 204)."""
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        try:
            response = self._http.request(method, path, json=body, headers=headers, params=params)
        except httpx.TransportError as exc:
            raise transport_error(f"{method} {path}", exc) from exc
        if response.status_code == 204:
            return None
        try:
            payload = response.json()
        except ValueError:
            payload = None
        if response.is_error:
            if isinstance(payload, dict) and "code" in payload:
                raise ApiError(
                    response.status_code,
                    payload["code"],
                    payload.get("message", ""),
                    payload.get("fields"),
                )
            raise ApiError(response.status_code, "http_error", response.text[:200])
        return payload

    def get(self, path: str, **params: Any) -> Any:
        """GET a resource."""
        return self.request("GET", path, params=params or None)

    def post(self, path: str, body: Any = None, *, idempotency_key: str | None = None) -> Any:
        """POST a command."""
        return self.request("POST", path, body, idempotency_key=idempotency_key)

    # Convenience calls used by the terminals.

    def health(self) -> HealthView:
        """`GET /health` (a degraded server answers 503 with the same body)."""
        try:
            return decoded(HealthView, self.get("/health"))
        except ApiError as exc:
            if exc.status != 503:
                raise
            raise Unreachable(f"the server cannot store data: {exc.message}") from exc

    def centre(self) -> CentreView:
        """Centre details, categories, life situations, hours."""
        return decoded(CentreView, self.get("/centre"))

    def services(self) -> list[ServiceView]:
        """Every service with its standard."""
        return decoded_list(ServiceView, self.get("/services"))

    def counters(self) -> list[CounterView]:
        """Every counter."""
        return decoded_list(CounterView, self.get("/counters"))

    def queue(self) -> QueueView:
        """The live queue snapshot."""
        return decoded(QueueView, self.get("/queue"))

    def application_types(self) -> list[ApplicationTypeView]:
        """The application forms a kiosk offers."""
        return decoded_list(ApplicationTypeView, self.get("/application-types"))

    def issue_ticket(
        self, service_id: str, language: str, priority: bool, idempotency_key: str
    ) -> LiveTicketView:
        """Issue a ticket (retry with the same key to get the same ticket)."""
        answer = self.post(
            "/tickets",
            {"service_id": service_id, "language": language, "priority": priority},
            idempotency_key=idempotency_key,
        )
        return decoded(LiveTicketView, answer)

    def ticket(self, ticket_id: str) -> LiveTicketView:
        """A ticket with its live figures."""
        return decoded(LiveTicketView, self.get(f"/tickets/{ticket_id}"))

    def report_print(
        self, ticket_id: str, printed: bool, error: str | None = None
    ) -> LiveTicketView:
        """Tell the server whether the ticket was printed."""
        error = None if error is None else fitted(error, DEVICE_DETAIL)
        answer = self.post(
            f"/tickets/{ticket_id}/print-result", {"printed": printed, "error": error}
        )
        return decoded(LiveTicketView, answer)

    def report_status(self, printer: str, detail: str | None = None) -> DeviceStatusView:
        """The terminal's heartbeat with its printer state."""
        detail = None if detail is None else fitted(detail, DEVICE_DETAIL)
        answer = self.post("/devices/me/status", {"printer": printer, "detail": detail})
        return decoded(DeviceStatusView, answer)


@dataclass
class SseEvent:
    """One Server-Sent Event."""

    id: int | None
    event: str
    data: str

    def json(self) -> Any:
        """The data decoded as JSON."""
        return json.loads(self.data)

    def decoded(self) -> EventView:
        """The event as its wire view (`core.wire.events.decode_event`); `Incompatible`
        for an event of a schema version this program does not read, or malformed."""
        try:
            return decode_event(self.json())
        except ValueError as exc:  # WireError (UnsupportedVersion ...) or not JSON
            raise Incompatible(f"event {self.id}: {exc}") from exc


@dataclass
class SseParser:
    """Incremental parser of the SSE wire format (fed line by line)."""

    _data: list[str] = field(default_factory=list)
    _event: str = "message"
    _id: int | None = None
    retry_ms: int | None = None

    def feed(self, line: str) -> SseEvent | None:
        """Feed one line (without its newline); returns an event when one completes."""
        if line == "":
            if not self._data:
                self._event = "message"
                return None
            event = SseEvent(self._id, self._event, "\n".join(self._data))
            self._data, self._event = [], "message"
            return event
        if line.startswith(":"):
            return None
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "data":
            self._data.append(value)
        elif name == "event":
            self._event = value
        elif name == "id" and value.isdigit():
            self._id = int(value)
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)
        return None


def parse_sse(lines: Iterable[str]) -> Iterator[SseEvent]:
    """Events from an iterable of lines."""
    parser = SseParser()
    for line in lines:
        event = parser.feed(line)
        if event is not None:
            yield event


class EventStream:
    """Follows `/api/v1/events` in a background thread; reconnects forever.

    `on_event` is called (in the stream's thread) for every event in order,
    exactly once, across reconnections; `on_connection` with True/False when
    the connection comes up or drops.

    Liveness: the server sends a heartbeat comment every few seconds (it says
    how often in the `Rinda-Heartbeat-Seconds` header). When nothing at all
    arrives for `SILENT_HEARTBEATS` intervals, measured on `clock` (monotonic
    seconds; injected in tests), the connection is cut and the stream resumes
    on a new one, so a link that went silent is noticed within two heartbeats,
    not only when the operating system gives up on the socket.
    """

    def __init__(
        self,
        base_url: str,
        token: str,
        on_event: Callable[[SseEvent], None],
        *,
        on_connection: Callable[[bool], None] | None = None,
        last_event_id: int | None = None,
        params: dict[str, Any] | None = None,
        min_backoff: float = 0.2,
        max_backoff: float = 5.0,
        read_timeout: float = 45.0,
        clock: Callable[[], float] = time.monotonic,
        watch_interval: float = 0.2,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.verify = verify
        self.token = token
        self.on_event = on_event
        self.on_connection = on_connection or (lambda connected: None)
        self.last_event_id = last_event_id
        self.params = params or {}
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.read_timeout = read_timeout
        self.clock = clock
        self.watch_interval = watch_interval
        self.connected = False
        self.silence_limit = DEFAULT_HEARTBEAT_SECONDS * SILENT_HEARTBEATS
        """Seconds without a byte after which the connection counts as dead."""
        self.silent_drops = 0
        """How many connections were cut for silence (for logs and tests)."""
        self.resets = 0
        """How many times the server's log ended before our resume point, so the stream
        was followed from the log's end instead (for logs and tests)."""
        self._last_data_at = 0.0
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._response: httpx.Response | None = None
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start following the stream (and watching it for silence)."""
        for target, name in ((self._run, "rinda-events"), (self._watch, "rinda-events-watch")):
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop following (returns once the threads end)."""
        self._stop.set()
        self._cut()
        for thread in self._threads:
            thread.join(timeout=5)

    def _cut(self) -> bool:
        """End the open connection, waking the read blocked on it; True if there was one."""
        with self._lock:
            response = self._response
        if response is None:
            return False
        network = response.extensions.get("network_stream")
        sock = network.get_extra_info("socket") if network is not None else None
        if isinstance(sock, socket.socket):
            # shutdown (not close) wakes a recv() blocked in the reading thread.
            with contextlib.suppress(OSError):  # already gone
                sock.shutdown(socket.SHUT_RDWR)
        try:
            response.close()
        except Exception:  # closing a half-dead stream may raise anything
            log.debug("closing the event stream raised", exc_info=True)
        return True

    def _heard(self) -> None:
        self._last_data_at = self.clock()

    def _watch(self) -> None:
        while not self._stop.wait(self.watch_interval):
            self.check_silence()

    def check_silence(self) -> bool:
        """Cut the connection if it has been silent too long (the watch thread calls this
        every `watch_interval`); True if it was cut."""
        with self._lock:
            open_stream = self._response is not None and self.connected
        if not open_stream:
            return False
        silent = self.clock() - self._last_data_at
        if silent < self.silence_limit:
            return False
        log.warning(
            "event stream silent for %.0f s (limit %.0f s): reconnecting",
            silent,
            self.silence_limit,
        )
        self.silent_drops += 1
        return self._cut()

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.on_connection(connected)

    def _run(self) -> None:
        backoff = self.min_backoff
        timeout = httpx.Timeout(5.0, read=self.read_timeout)
        with httpx.Client(timeout=timeout, verify=self.verify) as http:
            while not self._stop.is_set():
                try:
                    self._follow(http)
                    backoff = self.min_backoff
                except httpx.TransportError as exc:
                    error = transport_error("event stream", exc)
                    if isinstance(error, UntrustedServer):
                        log.error("%s", error)
                    else:
                        log.info("event stream interrupted: %s", exc)
                except ApiError as exc:
                    if exc.code == ResumePointAhead.code:
                        # The server's log was replaced (restored from a backup): follow
                        # it from now; the reconnection makes the terminal reload its
                        # snapshot, so nothing written since is skipped.
                        log.warning("event stream: %s; following from now", exc)
                        self.last_event_id = None
                        self.resets += 1
                    else:
                        log.info("event stream interrupted: %s", exc)
                except httpx.HTTPError as exc:
                    log.info("event stream interrupted: %s", exc)
                except Exception:  # a bug in a handler must not end the stream forever
                    log.exception("event stream handler failed")
                finally:
                    with self._lock:
                        self._response = None
                    self._set_connected(False)
                if self._stop.wait(backoff):
                    break
                backoff = min(backoff * 2, self.max_backoff)

    def _follow(self, http: httpx.Client) -> None:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "text/event-stream"}
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = str(self.last_event_id)
        url = f"{self.base_url}{API_PREFIX}/events"
        with http.stream("GET", url, headers=headers, params=self.params) as response:
            if response.status_code != 200:
                response.read()
                body = response.json() if response.content else {}
                raise ApiError(
                    response.status_code, body.get("code", "http_error"), body.get("message", "")
                )
            self.silence_limit = heartbeat_seconds(response) * SILENT_HEARTBEATS
            self._heard()
            with self._lock:
                self._response = response
            if self._stop.is_set():
                return
            self._set_connected(True)
            parser = SseParser()
            for line in response.iter_lines():
                self._heard()
                if self._stop.is_set():
                    return
                event = parser.feed(line)
                if event is None:
                    continue
                if event.id is not None:
                    if self.last_event_id is not None and event.id <= self.last_event_id:
                        continue
                    self.last_event_id = event.id
                self.on_event(event)
        # Falling out of the loop means the server ended the stream (shutdown);
        # the caller reconnects after a pause.


def heartbeat_seconds(response: httpx.Response) -> float:
    """The heartbeat interval a `GET /events` response announces (the default if none)."""
    try:
        value = float(response.headers.get(HEARTBEAT_HEADER, DEFAULT_HEARTBEAT_SECONDS))
    except ValueError:
        return DEFAULT_HEARTBEAT_SECONDS
    return value if value > 0 else DEFAULT_HEARTBEAT_SECONDS
