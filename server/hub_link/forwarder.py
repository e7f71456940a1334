"""Forwarding applications to the network hub, from a thread of its own.

The outbox is the table `application_forwarding` (written in the lodging
transaction, `server.forwarding`). The forwarder reads what the hub has not
acknowledged, sends each application (`POST /api/v1/centres/{id}/applications`,
keyed by its registration number, so a resend after a lost answer or a restart is
stored once), and records the acknowledgement through the writer: the outbox row
is marked and the application moves to `forwarded`. Nothing is deleted before the
hub has it, so a centre killed at any moment resends on its next start; while the
hub is away it backs off like the event shipper (1 s doubling to a minute).
"""

from __future__ import annotations

import logging
import secrets
import ssl
import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx

from core.applications import ApplicationStatus
from core.errors import IllegalTransition
from server.applications import move_status
from server.forwarding import ACTOR
from server.hub_link.config import HubLinkConfig
from server.hub_link.shipper import HubRefused, _answer, _describe, _HubFailed
from server.store import applications as applications_store
from server.store import forwarding as store
from server.store.database import ReadConnections
from server.store.settings import get_setting, put_setting
from server.store.writer import Transaction, Writer

log = logging.getLogger(__name__)
BATCH = 50
UPDATES_PAGE = 500
"""The most status steps the hub answers at once (`hub.applications.UPDATES_LIMIT`)."""
UPDATES_SETTING = "hub_link.application_updates"
"""The last status step from the hub this centre applied."""


class _Stopping(Exception):
    pass


@dataclass
class ForwarderStatus:
    """What the forwarder last did (for the health payload)."""

    delivered: int = 0
    last_error: str | None = None


class Forwarder:
    """The thread that delivers a centre's forwarded applications to the hub."""

    def __init__(self, config: HubLinkConfig, *, writer: Writer, reads: ReadConnections) -> None:
        self.config = config
        self._writer = writer
        self._reads = reads
        self._stop = threading.Event()
        self._backoff = 0.0
        self._centre_id: str | None = None
        self._next_update_check = 0.0
        self.status = ForwarderStatus()
        self._thread = threading.Thread(target=self._run, name="rinda-forwarder", daemon=True)

    def start(self) -> None:
        """Start forwarding in the background (returns at once)."""
        self._thread.start()

    def stop(self) -> None:
        """Stop (an application in flight is simply sent again next time)."""
        self._stop.set()
        self._thread.join(timeout=min(self.config.io_timeout, 5.0) + 1)

    def _run(self) -> None:
        try:
            with self._client() as client:
                while not self._stop.is_set():
                    self._step(client)
        except _Stopping:
            pass
        except Exception:  # a bug must not take the centre down; it is logged loudly
            log.exception("the application forwarder stopped")
            self.status.last_error = "internal error; see the log"

    def _step(self, client: httpx.Client) -> None:
        try:
            pending = store.pending(self._reads.get(), BATCH)
            if not pending and (
                time.monotonic() < self._next_update_check
                or not store.any_forwarded(self._reads.get())
            ):  # nothing to send, and no updates due (or nothing ever forwarded to have any)
                if self._stop.wait(self.config.poll_seconds):
                    raise _Stopping
                return
            if self._centre_id is None:
                me = _answer(client.get("/session"))
                if me.get("role") != "centre":
                    raise HubRefused("the hub token is not a centre's token")
                self._centre_id = str(me["username"])
            for application_id, payload in pending:
                self._forward(client, application_id, payload)
                self.status.delivered += 1
            if not pending:
                self._take_updates(client)
            self._backoff = 0.0
            self.status.last_error = None
        except (httpx.TransportError, _HubFailed) as exc:
            self._fail(_describe(exc), at_most=False)
        except HubRefused as exc:
            self._fail(str(exc), at_most=True)

    def _take_updates(self, client: httpx.Client) -> None:
        """Apply the status steps institutions made at the hub, from where this centre
        left off (its position is kept with the data, in the same transaction)."""
        after = int(get_setting(self._reads.get(), UPDATES_SETTING) or 0)
        answer = _answer(
            client.get(f"/centres/{self._centre_id}/application-updates", params={"after": after})
        )
        updates: list[dict[str, Any]] = answer["updates"]
        if updates:

            def apply(tx: Transaction) -> None:
                for update in updates:
                    _apply_update(tx, update)
                put_setting(tx.db.conn, UPDATES_SETTING, str(updates[-1]["seq"]))

            self._writer.call(apply, actor=ACTOR)
        if len(updates) < UPDATES_PAGE:
            self._next_update_check = time.monotonic() + self.config.heartbeat_seconds

    def _forward(self, client: httpx.Client, application_id: str, payload: dict[str, Any]) -> None:
        """Send one application and record the hub's acknowledgement; one the hub
        refuses is kept (never dropped), tried after the others and shown to staff."""
        try:
            _answer(client.post(f"/centres/{self._centre_id}/applications", json=payload))
        except HubRefused as exc:
            error = str(exc)

            def failed(tx: Transaction) -> None:
                store.mark_failed(tx.db.conn, application_id, error)

            self._writer.call(failed, actor=ACTOR)
            raise

        def acknowledged(tx: Transaction) -> None:
            _delivered(tx, application_id)

        self._writer.call(acknowledged, actor=ACTOR)

    def _fail(self, message: str, *, at_most: bool) -> None:
        self._centre_id = None
        if at_most:
            self._backoff = self.config.max_backoff
        else:
            self._backoff = min(
                self.config.max_backoff, max(self.config.first_backoff, self._backoff * 2)
            )
        delay = self._backoff * (0.8 + 0.4 * secrets.randbelow(1000) / 1000)
        self.status.last_error = message
        log.warning("application forwarding: %s; next attempt in %.1f s", message, delay)
        if self._stop.wait(delay):
            raise _Stopping

    def _client(self) -> httpx.Client:
        verify: ssl.SSLContext | bool = True
        if self.config.ca_file is not None:
            verify = ssl.create_default_context(cafile=str(self.config.ca_file))
        timeout = httpx.Timeout(self.config.io_timeout, connect=self.config.connect_timeout)
        return httpx.Client(
            base_url=f"{self.config.url.rstrip('/')}/api/v1",
            headers={"Authorization": f"Bearer {self.config.token}"},
            timeout=timeout,
            verify=verify,
        )


def _delivered(tx: Transaction, application_id: str) -> None:
    """The hub acknowledged the application: the outbox row is marked and a still
    `received` application moves to `forwarded` (once, by the one lifecycle)."""
    if not store.mark_delivered(tx.db.conn, application_id, tx.now):
        return
    row = applications_store.application(tx.db.conn, application_id)
    if row is not None and row["status"] == ApplicationStatus.RECEIVED.value:
        move_status(tx, row, ApplicationStatus.FORWARDED, None)


def _apply_update(tx: Transaction, update: dict[str, Any]) -> None:
    """One status step made by the institution, applied to the centre's copy by the
    one lifecycle; a step the copy has already taken (or cannot take) is skipped."""
    found = applications_store.by_registration(tx.db.conn, str(update["registration_number"]))
    if found is None:
        log.warning("the hub sent a status for unknown %s", update["registration_number"])
        return
    row = applications_store.application(tx.db.conn, found[0])
    assert row is not None
    try:
        new = ApplicationStatus(update["status"])
        move_status(tx, row, new, None)
    except (ValueError, IllegalTransition) as exc:
        log.warning("status %s for %s not applied: %s", update["status"], row["id"], exc)
