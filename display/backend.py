"""The hall display's connection: snapshot, events, periodic refresh, heartbeat.

No Kivy here; results go to the app through `post` (Clock on the main thread).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any, Protocol

from core.wire.events import EventView
from core.wire.payloads import CentreView, CounterView, QueueView, ServiceView
from display.board import Snapshot
from display.config import DisplayConfig
from terminal.client import RindaClient
from terminal.link import LinkCallbacks, LinkedBackend, LinkSettings, Loaded, TerminalLink

Post = Callable[[Callable[[], None]], None]


class Listener(Protocol):
    """The display app (called on the main thread)."""

    def on_snapshot(self, snapshot: Snapshot) -> None: ...
    def on_event(self, event: EventView) -> None: ...
    def on_connection(self, connected: bool) -> None: ...


class DisplayBackend(LinkedBackend):
    """Follows the server for one display (optionally one zone)."""

    def __init__(
        self,
        config: DisplayConfig,
        post: Post,
        listener: Listener,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.config = config
        self.post = post
        self.listener = listener
        self.centre: CentreView | None = None
        self.services: list[ServiceView] = []
        self.counters: list[CounterView] = []
        params: dict[str, Any] = {"type": ["ticket", "counter", "display"]}
        if config.counters:
            params["counter"] = list(config.counters)
        if config.services:
            params["service"] = list(config.services)
        self.link = TerminalLink(
            LinkSettings(
                token=config.token,
                server_url=config.server_url,
                server_ca=config.server_ca,
                discover=config.discover,
                centre=config.centre,
                event_params=params,
                heartbeat_seconds=config.status_interval_seconds,
                refresh_seconds=30.0,
            ),
            LinkCallbacks(
                load=self._load,
                loaded=self._loaded,
                event=self._event,
                queue=self._queue,
                connection=lambda up: self.post(partial(self.listener.on_connection, up)),
                heartbeat=self._heartbeat,
            ),
            clock=clock,
        )

    @staticmethod
    def _heartbeat(client: RindaClient) -> None:
        client.report_status("none")

    def _load(self, client: RindaClient) -> Loaded:
        return {
            "centre": client.centre(),
            "services": client.services(),
            "counters": client.counters(),
            "queue": client.queue(),
        }

    def _snapshot(self, queue: QueueView) -> Snapshot:
        return Snapshot(
            queue=queue,
            services=tuple(self.services),
            counters=tuple(self.counters),
            centre=self.centre,
        )

    def _loaded(self, client: RindaClient, data: Loaded) -> None:
        self.centre, self.services, self.counters = (
            data["centre"],
            data["services"],
            data["counters"],
        )
        self.post(partial(self.listener.on_snapshot, self._snapshot(data["queue"])))

    def _queue(self, queue: QueueView) -> None:
        self.post(partial(self.listener.on_snapshot, self._snapshot(queue)))

    def _event(self, event: EventView) -> None:
        self.post(partial(self.listener.on_event, event))
