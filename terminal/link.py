"""What every terminal (kiosk, hall display, feedback terminal) does to stay in touch.

Find the server (zeroconf, else the configured URL), load what the terminal
needs, follow the event stream from the snapshot's `seq` (resuming after any
break), refetch the queue snapshot after events (debounced) and report the
terminal's health now and then. Blocking, in background threads; results
go to callbacks, which the Kivy apps forward to their main thread.
"""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.discovery import find_server_url
from core.wire.events import EventView
from core.wire.payloads import QueueView
from terminal.client import ClientError, EventStream, Incompatible, RindaClient, SseEvent
from terminal.pairing import pinned_context

log = logging.getLogger(__name__)
REFRESH_DEBOUNCE = 0.25
Loaded = dict[str, Any]
"""What a terminal loads at (re)connection, by name; `queue` is always a `QueueView`."""


@dataclass
class LinkSettings:
    """Where the server is and what to follow."""

    token: str
    server_url: str | None = None
    discover: bool = True
    centre: str | None = None
    event_params: dict[str, Any] = field(default_factory=dict)
    heartbeat_seconds: float = 30.0
    refresh_seconds: float = 60.0
    server_ca: Path | None = None
    """The paired server's CA (PEM): set, the terminal talks to it over TLS only,
    trusting nothing else (`terminal.pairing`)."""


@dataclass
class LinkCallbacks:
    """What the terminal wants to hear about (called from background threads)."""

    loaded: Callable[[RindaClient, Loaded], None]
    """The first load (and every reload after a reconnection): the snapshot is in `queue`."""
    event: Callable[[EventView], None] = lambda event: None
    """Each event, decoded (an event this program cannot read is logged and skipped)."""
    queue: Callable[[QueueView], None] = lambda queue: None
    connection: Callable[[bool], None] = lambda connected: None
    heartbeat: Callable[[RindaClient], None] | None = None
    load: Callable[[RindaClient], Loaded] = lambda client: {"queue": client.queue()}
    """What to fetch at (re)connection; must include `queue`."""


class TerminalLink:
    """A terminal's connection to its server.

    Timed duties (the periodic queue refresh, the event stream's silence limit)
    run on `clock`, monotonic seconds, which tests inject; the threads only poll
    it every `poll` seconds.
    """

    def __init__(
        self,
        settings: LinkSettings,
        callbacks: LinkCallbacks,
        *,
        clock: Callable[[], float] = time.monotonic,
        poll: float = 0.2,
    ) -> None:
        self.settings = settings
        self.callbacks = callbacks
        self.clock = clock
        self.poll = poll
        self.client: RindaClient | None = None
        self.url: str | None = None
        self.stream: EventStream | None = None
        self.verify: ssl.SSLContext | bool = (
            pinned_context(settings.server_ca) if settings.server_ca else True
        )
        self._stop = threading.Event()
        self._refresh = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        """Start connecting in the background."""
        targets = [
            (self._connect_loop, "terminal-connect"),
            (self._refresh_loop, "terminal-refresh"),
        ]
        if self.callbacks.heartbeat is not None:
            targets.append((self._heartbeat_loop, "terminal-heartbeat"))
        for target, name in targets:
            thread = threading.Thread(target=target, name=name, daemon=True)
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        """Stop every background thread."""
        self._stop.set()
        self._refresh.set()
        if self.stream is not None:
            self.stream.stop()
        for thread in self._threads:
            thread.join(timeout=5)
        if self.client is not None:
            self.client.close()

    def refresh_soon(self) -> None:
        """Refetch the queue snapshot shortly (debounced)."""
        self._refresh.set()

    @property
    def connected(self) -> bool:
        """Whether the event stream is up."""
        return self.stream is not None and self.stream.connected

    def _find_server(self) -> str | None:
        settings = self.settings
        if settings.discover:
            return find_server_url(settings.server_url, timeout=3.0, centre=settings.centre)
        return settings.server_url

    def _connect_loop(self) -> None:
        while not self._stop.is_set():
            url = self._find_server()
            if url is None or (self.settings.server_ca and not url.startswith("https://")):
                if url is not None:
                    log.error(
                        "refusing %s: a paired terminal talks to its server over TLS only", url
                    )
                self.callbacks.connection(False)
                self._stop.wait(3)
                continue
            client = RindaClient(url, self.settings.token, verify=self.verify)
            try:
                data = self.callbacks.load(client)
            except ClientError as exc:
                log.info("server at %s not usable yet: %s", url, exc)
                client.close()
                self.callbacks.connection(False)
                self._stop.wait(2)
                continue
            self.client, self.url = client, url
            self.callbacks.loaded(client, data)
            self.callbacks.connection(True)
            queue: QueueView = data["queue"]
            self._follow(url, queue.seq)
            return

    def _follow(self, url: str, seq: int) -> None:
        def on_connection(connected: bool) -> None:
            if connected:
                self._refresh.set()
            self.callbacks.connection(connected)

        def on_event(event: SseEvent) -> None:
            try:
                view = event.decoded()
            except Incompatible as exc:
                # A newer server's major change: say so plainly, keep the rest working
                # (the snapshot refresh below shows what the event changed, if it can).
                log.error("cannot read an event from the server, skipped: %s", exc)
            else:
                self.callbacks.event(view)
            self._refresh.set()

        self.stream = EventStream(
            url,
            self.settings.token,
            on_event,
            on_connection=on_connection,
            last_event_id=seq,
            params=self.settings.event_params,
            clock=self.clock,
            watch_interval=self.poll,
            verify=self.verify,
        )
        self.stream.start()

    def _refresh_loop(self) -> None:
        due = self.clock() + self.settings.refresh_seconds
        while not self._stop.is_set():
            asked = self._refresh.wait(self.poll)
            if self._stop.is_set():
                return
            if not asked and self.clock() < due:
                continue
            time.sleep(REFRESH_DEBOUNCE)
            self._refresh.clear()
            due = self.clock() + self.settings.refresh_seconds
            client = self.client
            if client is None:
                continue
            try:
                queue = client.queue()
            except ClientError as exc:
                log.info("queue refresh failed: %s", exc)
                continue
            self.callbacks.queue(queue)

    def _heartbeat_loop(self) -> None:
        assert self.callbacks.heartbeat is not None
        while not self._stop.is_set():
            client = self.client
            if client is None:
                self._stop.wait(0.5)  # report in as soon as connected
                continue
            try:
                self.callbacks.heartbeat(client)
            except ClientError as exc:
                log.info("heartbeat failed: %s", exc)
            self._stop.wait(self.settings.heartbeat_seconds)


class LinkedBackend:
    """A terminal backend working through its `TerminalLink` (set as `self.link`)."""

    link: TerminalLink

    @property
    def client(self) -> RindaClient | None:
        """The server client, once connected."""
        return self.link.client

    def start(self) -> None:
        """Start connecting in the background."""
        self.link.start()

    def stop(self) -> None:
        """Stop every background thread."""
        self.link.stop()
