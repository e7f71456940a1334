"""The hub link's state and lag, as the centre's health and manager view report them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from core.events import iso


class LinkState(StrEnum):
    """What the link is doing."""

    STARTING = "starting"
    SHIPPING = "shipping"
    CAUGHT_UP = "caught_up"
    RETRYING = "retrying"
    """The hub could not be reached, failed or timed out; trying again."""
    REFUSED = "refused"
    """The hub refused the token or the batch; trying again slowly (needs an operator)."""
    DIVERGED = "diverged"
    """The hub holds more of this centre's log than the centre does (the centre's
    database was restored from an older copy): nothing is shipped until resolved."""
    STOPPED = "stopped"


@dataclass(frozen=True)
class LinkStatus:
    """A snapshot of the link, as health and the manager view report it."""

    hub: str
    state: LinkState = LinkState.STARTING
    centre_id: str | None = None
    acknowledged_seq: int | None = None
    """What the hub acknowledged (None before the first contact since start)."""
    local_seq: int = 0
    """The end of the local log (filled in by `HubLink.status`)."""
    oldest_unacknowledged_at: datetime | None = None
    last_contact_at: datetime | None = None
    last_error: str | None = None
    next_attempt_at: datetime | None = None
    shipped: int = 0
    """Events the hub newly stored from this process."""

    def as_json(self, now: datetime) -> dict[str, Any]:
        """The status with its lag: events not yet acknowledged, and for how long."""
        acknowledged = self.acknowledged_seq or 0
        oldest = self.oldest_unacknowledged_at
        return {
            "hub": self.hub,
            "state": self.state.value,
            "centre_id": self.centre_id,
            "acknowledged_seq": self.acknowledged_seq,
            "local_seq": self.local_seq,
            "lag_events": max(0, self.local_seq - acknowledged),
            "lag_seconds": max(0, int((now - oldest).total_seconds())) if oldest else 0,
            "oldest_unacknowledged_at": iso(oldest),
            "last_contact_at": iso(self.last_contact_at),
            "last_error": self.last_error,
            "next_attempt_at": iso(self.next_attempt_at),
            "shipped": self.shipped,
        }


class HasStatus(Protocol):
    """Anything that reports a link status (the shipper)."""

    def status(self) -> LinkStatus: ...


def status_json(link: HasStatus | None, now: datetime) -> dict[str, Any] | None:
    """The link's status for a payload (None when no hub is configured)."""
    return None if link is None else link.status().as_json(now)
