"""Terminals waiting to be paired, until an admin confirms or refuses them.

A terminal asks to be paired (`POST /api/v1/pairings` with its name, role and a
nonce) and gets a pairing id and a secret; the console lists the request with
its code (`core.pairing`). When an admin confirms it, the device is registered
as `rinda devices add` would and its token is kept here for the terminal, which
collects it once with its secret. Requests live in memory for `PAIRING_LIFETIME`:
a restart of the server forgets them (the terminal asks again).
"""

from __future__ import annotations

import hmac
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from core.errors import Conflict, NotFound
from core.pairing import pairing_code

PAIRING_LIFETIME = timedelta(minutes=15)
MAX_PENDING = 20
"""More requests at once than any centre pairs; beyond it the oldest are dropped."""


class PairingState(StrEnum):
    """Where a request stands."""

    PENDING = "pending"
    CONFIRMED = "confirmed"
    REFUSED = "refused"
    COLLECTED = "collected"


@dataclass
class PairingRequest:
    """One terminal asking to be paired."""

    id: str
    name: str
    role: str
    counter_id: str | None
    nonce: str
    secret: str
    requested_at: datetime
    address: str
    state: PairingState = PairingState.PENDING
    token: str | None = None

    def code(self, ca_fingerprint: str) -> str:
        """The code the console shows (the terminal shows it too if it got the real CA)."""
        return pairing_code(self.nonce, ca_fingerprint)


class Pairings:
    """The requests of one running server (thread-safe)."""

    def __init__(self) -> None:
        self._requests: dict[str, PairingRequest] = {}
        self._lock = threading.Lock()

    def request(
        self, name: str, role: str, counter_id: str | None, nonce: str, address: str, now: datetime
    ) -> PairingRequest:
        """Record a request; its secret is for the terminal only."""
        with self._lock:
            self._expire(now)
            while len(self._requests) >= MAX_PENDING:
                oldest = min(self._requests.values(), key=lambda r: r.requested_at)
                del self._requests[oldest.id]
            request = PairingRequest(
                id=secrets.token_hex(8),
                name=name,
                role=role,
                counter_id=counter_id,
                nonce=nonce,
                secret=secrets.token_urlsafe(24),
                requested_at=now,
                address=address,
            )
            self._requests[request.id] = request
            return request

    def pending(self, now: datetime) -> list[PairingRequest]:
        """Requests waiting for an admin, oldest first."""
        with self._lock:
            self._expire(now)
            return sorted(
                (r for r in self._requests.values() if r.state is PairingState.PENDING),
                key=lambda r: r.requested_at,
            )

    def get(self, pairing_id: str, now: datetime) -> PairingRequest:
        """A live request; `NotFound` (code `unknown_pairing`) when unknown or expired."""
        with self._lock:
            self._expire(now)
            request = self._requests.get(pairing_id)
        if request is None:
            raise NotFound("pairing", pairing_id, "No such pairing request (it may have expired).")
        return request

    def decide(self, pairing_id: str, token: str | None, now: datetime) -> PairingRequest:
        """Confirm (with the new device's token) or refuse (None) a pending request."""
        request = self.get(pairing_id, now)
        with self._lock:
            if request.state is not PairingState.PENDING:
                raise Conflict(
                    f"This pairing request is already {request.state}.", code="pairing_decided"
                )
            request.state = PairingState.REFUSED if token is None else PairingState.CONFIRMED
            request.token = token
        return request

    def collect(self, pairing_id: str, secret: str, now: datetime) -> PairingRequest:
        """The request, seen by the terminal that made it; a confirmed one hands over its
        token this once. `NotFound` for a wrong secret, as for an unknown id."""
        request = self.get(pairing_id, now)
        if not hmac.compare_digest(request.secret, secret):
            raise NotFound("pairing", pairing_id, "No such pairing request (it may have expired).")
        with self._lock:
            seen = PairingRequest(**request.__dict__)
            if request.state is PairingState.CONFIRMED:
                request.state, request.token = PairingState.COLLECTED, None
        return seen

    def _expire(self, now: datetime) -> None:
        for key in [
            k for k, r in self._requests.items() if now - r.requested_at > PAIRING_LIFETIME
        ]:
            del self._requests[key]
