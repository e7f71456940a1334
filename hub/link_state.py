"""A centre's link as the hub sees it: the one rule for "up", "down" and the lag.

A centre's shipper talks to the hub with every batch and, when it has nothing to send,
at least every `server.hub_link.config.HubLinkConfig.heartbeat_seconds` (30 s). So a
centre not heard from for `DOWN_AFTER` has lost its link (or its server is down): the
hub knows nothing of its hall since its last event, and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

DOWN_AFTER = timedelta(seconds=90)
"""Three heartbeats missed (a shipper retrying after a failure tries again within a
minute and a bit, so a link that is only retrying is not yet "down")."""


class LinkState(StrEnum):
    """How a centre's link stands, at the hub."""

    NEVER = "never"
    """The centre has never reached the hub."""
    UP = "up"
    """Heard from recently; everything the centre logged is stored."""
    CATCHING_UP = "catching_up"
    """Heard from recently; it still has events to send (see the lag)."""
    DOWN = "down"
    """Not heard from for `DOWN_AFTER`: its live figures are unknown."""
    REVOKED = "revoked"
    """Its token was revoked at the hub."""

    @property
    def live(self) -> bool:
        """Whether the hub's picture of the centre's hall is current."""
        return self in (LinkState.UP, LinkState.CATCHING_UP)


@dataclass(frozen=True)
class Link:
    """A centre's link figures, as stored."""

    acknowledged_seq: int
    log_end: int | None
    """The end of the centre's own log when it last said (None: never said)."""
    last_event_at: datetime | None
    last_contact_at: datetime | None
    revoked: bool

    def state(self, now: datetime) -> LinkState:
        """The link's state at `now`."""
        if self.revoked:
            return LinkState.REVOKED
        if self.last_contact_at is None:
            return LinkState.NEVER
        if now - self.last_contact_at > DOWN_AFTER:
            return LinkState.DOWN
        if self.lag_events:
            return LinkState.CATCHING_UP
        return LinkState.UP

    @property
    def lag_events(self) -> int:
        """Events the centre has logged that the hub does not hold yet (as of the centre's
        last word)."""
        return max(0, (self.log_end or 0) - self.acknowledged_seq)

    def as_json(self, now: datetime) -> dict[str, Any]:
        """The link as readers see it."""
        return {
            "state": self.state(now).value,
            "acknowledged_seq": self.acknowledged_seq,
            "log_end": self.log_end,
            "lag_events": self.lag_events,
            "last_event_at": _iso(self.last_event_at),
            "last_contact_at": _iso(self.last_contact_at),
            "seconds_since_contact": (
                None
                if self.last_contact_at is None
                else max(0, int((now - self.last_contact_at).total_seconds()))
            ),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
