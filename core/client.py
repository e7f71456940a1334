"""HTTP client of the centre server for terminals (kiosk, display, feedback), with
an event stream that reconnects forever and resumes with `Last-Event-ID`.

Blocking by design: Kivy apps call it from worker threads and hand results
back to the main thread.

    ClientError
    ├── Unreachable      the server did not answer (network, timeout, refused)
    └── ApiError         the server answered with an error body {code, message}
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from core.free_text import DEVICE_DETAIL, fitted

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"


class ClientError(Exception):
    """Base of client errors."""


class Unreachable(ClientError):
    """The server could not be reached or did not answer in time."""


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


class RindaClient:
    """Calls the REST API with a bearer token."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 5.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(
            base_url=self.base_url + API_PREFIX,
            timeout=timeout,
            headers={"Authorization": f"Bearer {token}"} if token else {},
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
            raise Unreachable(f"{method} {path}: {exc.__class__.__name__}: {exc}") from exc
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

    def health(self) -> dict[str, Any]:
        """`GET /health`."""
        result: dict[str, Any] = self.get("/health")
        return result

    def centre(self) -> dict[str, Any]:
        """Centre details, categories, life situations, hours."""
        result: dict[str, Any] = self.get("/centre")
        return result

    def services(self) -> list[dict[str, Any]]:
        """Every service with its standard."""
        result: list[dict[str, Any]] = self.get("/services")
        return result

    def counters(self) -> list[dict[str, Any]]:
        """Every counter."""
        result: list[dict[str, Any]] = self.get("/counters")
        return result

    def queue(self) -> dict[str, Any]:
        """The live queue snapshot."""
        result: dict[str, Any] = self.get("/queue")
        return result

    def issue_ticket(
        self, service_id: str, language: str, priority: bool, idempotency_key: str
    ) -> dict[str, Any]:
        """Issue a ticket (retry with the same key to get the same ticket)."""
        result: dict[str, Any] = self.post(
            "/tickets",
            {"service_id": service_id, "language": language, "priority": priority},
            idempotency_key=idempotency_key,
        )
        return result

    def ticket(self, ticket_id: str) -> dict[str, Any]:
        """A ticket with its live figures."""
        result: dict[str, Any] = self.get(f"/tickets/{ticket_id}")
        return result

    def report_print(self, ticket_id: str, printed: bool, error: str | None = None) -> Any:
        """Tell the server whether the ticket was printed."""
        error = None if error is None else fitted(error, DEVICE_DETAIL)
        return self.post(f"/tickets/{ticket_id}/print-result", {"printed": printed, "error": error})

    def report_status(self, printer: str, detail: str | None = None) -> Any:
        """The terminal's heartbeat with its printer state."""
        detail = None if detail is None else fitted(detail, DEVICE_DETAIL)
        return self.post("/devices/me/status", {"printer": printer, "detail": detail})


@dataclass
class SseEvent:
    """One Server-Sent Event."""

    id: int | None
    event: str
    data: str

    def json(self) -> Any:
        """The data decoded as JSON."""
        return json.loads(self.data)


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
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.on_event = on_event
        self.on_connection = on_connection or (lambda connected: None)
        self.last_event_id = last_event_id
        self.params = params or {}
        self.min_backoff = min_backoff
        self.max_backoff = max_backoff
        self.read_timeout = read_timeout
        self.connected = False
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._response: httpx.Response | None = None

    def start(self) -> None:
        """Start following the stream."""
        self._thread = threading.Thread(target=self._run, name="rinda-events", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop following (returns once the thread ends)."""
        self._stop.set()
        response = self._response
        if response is not None:
            try:
                response.close()
            except Exception:  # closing a half-dead stream may raise anything
                log.debug("closing the event stream raised", exc_info=True)
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _set_connected(self, connected: bool) -> None:
        if connected != self.connected:
            self.connected = connected
            self.on_connection(connected)

    def _run(self) -> None:
        backoff = self.min_backoff
        timeout = httpx.Timeout(5.0, read=self.read_timeout)
        with httpx.Client(timeout=timeout) as http:
            while not self._stop.is_set():
                try:
                    self._follow(http)
                    backoff = self.min_backoff
                except (httpx.HTTPError, ApiError) as exc:
                    log.info("event stream interrupted: %s", exc)
                except Exception:  # a bug in a handler must not end the stream forever
                    log.exception("event stream handler failed")
                finally:
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
            self._response = response
            if response.status_code != 200:
                response.read()
                body = response.json() if response.content else {}
                raise ApiError(
                    response.status_code, body.get("code", "http_error"), body.get("message", "")
                )
            self._set_connected(True)
            parser = SseParser()
            for line in response.iter_lines():
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
