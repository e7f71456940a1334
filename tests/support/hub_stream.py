"""One SSE connection to a hub's `/network/stream`, read in a thread, not reconnecting:
tests see exactly when and how the hub ends it."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

import httpx


@dataclass
class HubStream:
    """`events` gets each event's data; `ended` is set when the stream ends; `broken`
    names the error if it ended by one rather than by the hub closing it."""

    url: str
    token: str | None = None
    cookies: dict[str, str] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    opened: threading.Event = field(default_factory=threading.Event)
    ended: threading.Event = field(default_factory=threading.Event)
    status: int | None = None
    broken: str | None = None

    def start(self) -> HubStream:
        threading.Thread(target=self._read, daemon=True).start()
        assert self.opened.wait(15), "the stream did not answer"
        return self

    def _read(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        try:
            with (
                httpx.Client(base_url=f"{self.url}/api/v1", cookies=self.cookies) as http,
                http.stream("GET", "/network/stream", headers=headers, timeout=None) as response,
            ):
                self.status = response.status_code
                self.opened.set()
                for line in response.iter_lines():
                    if line.startswith("data: "):
                        self.events.append(json.loads(line[6:]))
        except httpx.HTTPError as exc:
            self.broken = f"{type(exc).__name__}: {exc}"
        finally:
            self.opened.set()
            self.ended.set()
