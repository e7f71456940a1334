"""How a centre reaches the network hub (`rinda server --hub URL --hub-token TOKEN`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class HubLinkConfig:
    """Where the hub is and how to reach it."""

    url: str
    """The hub's base URL, e.g. `https://hub.example.lv:8788`."""
    token: str
    ca_file: Path | None = None
    """A CA certificate (PEM) to trust for the hub's HTTPS, besides the system's."""
    batch_size: int = 500
    connect_timeout: float = 5.0
    io_timeout: float = 30.0
    """Longest wait for the hub to take a request or to answer it: a link that
    connects but passes no data is cut after this and retried."""
    first_backoff: float = 1.0
    max_backoff: float = 60.0
    poll_seconds: float = 0.25
    """How often an idle shipper looks for new events."""
    catalogue_poll_seconds: float = 60.0
    """How often a subscribed centre asks the hub for a new national catalogue version."""
    heartbeat_seconds: float = 30.0
    """An idle shipper tells the hub it is still there at least this often (the hub
    shows a centre not heard from for 90 s as down)."""
