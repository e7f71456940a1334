"""Shipping the centre's event log to the network hub, in batches, from a thread of its own.

The event log is the outbox. The shipper asks the hub where to resume (the hub's
acknowledged position is the truth), reads the following events through its own
read connection, sends them in their shipped form (`shipped`), and moves on to
what the hub acknowledges. It never takes part in a local command: it does not
use the writer (apart from creating the staff-id key once) and no request waits
for it. When the hub is away or slow it backs off and tries again (1 s doubling
to a minute); a link that connects but passes no data is cut by the time-outs and
retried. Its state and lag (events not yet acknowledged, age of the oldest) are in
`status()`, for the health payload and the manager's overview.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from core.catalogue import Catalogue
from core.clock import Clock
from server.hub_link.config import HubLinkConfig
from server.hub_link.shipped import StaffIds, shipped_event
from server.hub_link.status import LinkState, LinkStatus
from server.store.database import ReadConnections
from server.store.events import logged_rows, time_of_first_after
from server.store.settings import setting_made_once
from server.store.writer import Transaction, Writer

log = logging.getLogger(__name__)
STATE_FILE = "hub-link.json"
STAFF_KEY_SETTING = "hub_link.staff_key"


class HubRefused(Exception):
    """The hub answered with a refusal that retrying soon will not fix."""


class _Stopping(Exception):
    pass


@dataclass
class _Progress:
    acknowledged: int | None = None
    backoff: float = 0.0
    connected: bool = False
    status: LinkStatus = field(default_factory=lambda: LinkStatus(hub=""))


class HubLink:
    """The shipper thread of one centre server."""

    def __init__(
        self,
        config: HubLinkConfig,
        *,
        data_dir: Path,
        catalogue: Callable[[], Catalogue],
        writer: Writer,
        reads: ReadConnections,
        clock: Clock,
    ) -> None:
        self.config = config
        self._state_path = data_dir / STATE_FILE
        self._catalogue = catalogue
        self._writer = writer
        self._reads = reads
        self._clock = clock
        self._stop = threading.Event()
        self._oldest: tuple[int, datetime] | None = None
        self._progress = _Progress(status=LinkStatus(hub=config.url.rstrip("/")))
        saved = self._load_state()
        if saved.get("hub") == self._progress.status.hub:
            self._set(acknowledged_seq=saved.get("acknowledged_seq"))
        self._thread = threading.Thread(target=self._run, name="rinda-hub-link", daemon=True)
        # Not every batch in the server's log (failures are logged, by the shipper).
        logging.getLogger("httpx").setLevel(logging.WARNING)

    # -- lifecycle ---------------------------------------------------------------

    def start(self) -> None:
        """Start shipping in the background (returns at once)."""
        self._thread.start()

    def stop(self) -> None:
        """Stop shipping (an unacknowledged batch is simply sent again next time)."""
        self._stop.set()
        # A request in flight to a silent hub ends at its time-out; shutdown does not
        # wait that long (the thread is a daemon, and the batch is resent next time).
        self._thread.join(timeout=min(self.config.io_timeout, 5.0) + 1)
        self._set(state=LinkState.STOPPED)

    def refresh_profile(self) -> None:
        """Send the centre's profile again (its services changed): the shipper
        reconnects, which puts the profile first."""
        self._progress.connected = False

    def status(self) -> LinkStatus:
        """The link's latest status, with the lag as it is now: the end of the local log
        and the time of the oldest event the hub has not acknowledged."""
        status = self._progress.status
        local = self._writer.last_event_seq
        acknowledged = status.acknowledged_seq or 0
        return replace(
            status,
            local_seq=local,
            oldest_unacknowledged_at=self._first_after(acknowledged)
            if local > acknowledged
            else None,
        )

    def _first_after(self, acknowledged: int) -> datetime | None:
        """The time of the first event after `acknowledged` (it never changes, so it is
        looked up once per acknowledged position, through the caller's read connection)."""
        cached = self._oldest
        if cached is not None and cached[0] == acknowledged:
            return cached[1]
        moment = time_of_first_after(self._reads.get(), acknowledged)
        if moment is not None:
            self._oldest = (acknowledged, moment)
        return moment

    def _set(self, **changes: Any) -> None:
        self._progress.status = replace(self._progress.status, **changes)

    # -- the loop ----------------------------------------------------------------

    def _run(self) -> None:
        try:
            staff = StaffIds(self._staff_key())
            with self._client() as client:
                while not self._stop.is_set():
                    self._step(client, staff)
        except _Stopping:
            pass
        except Exception:  # a bug must not take the centre down; it is logged loudly
            log.exception("the hub link stopped")
            self._set(state=LinkState.STOPPED, last_error="internal error; see the log")

    def _step(self, client: httpx.Client, staff: StaffIds) -> None:
        try:
            if not self._progress.connected:
                self._connect(client)
            mark = self._writer.last_event_seq  # before reading, so no commit slips past unseen
            if self._ship_batch(client, staff, mark) == 0:
                self._set(state=LinkState.CAUGHT_UP, last_error=None)
                self._idle(client, mark)
            self._progress.backoff = 0.0
        except (httpx.TransportError, _HubFailed) as exc:
            self._fail(LinkState.RETRYING, _describe(exc))
        except HubRefused as exc:
            self._fail(LinkState.REFUSED, str(exc), at_most=True)
        except _Diverged as exc:
            self._fail(LinkState.DIVERGED, str(exc), at_most=True)

    def _fail(self, state: LinkState, message: str, *, at_most: bool = False) -> None:
        progress = self._progress
        progress.connected = False
        if at_most:
            progress.backoff = self.config.max_backoff
        else:
            progress.backoff = min(
                self.config.max_backoff, max(self.config.first_backoff, progress.backoff * 2)
            )
        delay = progress.backoff * (0.8 + 0.4 * secrets.randbelow(1000) / 1000)
        now = self._clock.now()
        self._set(
            state=state,
            last_error=message,
            next_attempt_at=now + timedelta(seconds=delay),
        )
        log.warning("hub link: %s; next attempt in %.1f s", message, delay)
        if self._stop.wait(delay):
            raise _Stopping

    def _idle(self, client: httpx.Client, known: int) -> None:
        """Wait until the writer has committed past `known` (or we are stopped); tell
        the hub we are still here every `heartbeat_seconds` meanwhile."""
        spoke = time.monotonic()
        while self._writer.last_event_seq == known:
            if self._stop.wait(self.config.poll_seconds):
                raise _Stopping
            if time.monotonic() - spoke >= self.config.heartbeat_seconds:
                centre_id = self._progress.status.centre_id
                _answer(client.post(f"/centres/{centre_id}/heartbeat", json={"log_end": known}))
                self._set(last_contact_at=self._clock.now())
                spoke = time.monotonic()

    def _connect(self, client: httpx.Client) -> None:
        """Who we are at the hub, our profile, and where to resume."""
        me = _answer(client.get("/session"))
        if me.get("role") != "centre":
            raise HubRefused("the hub token is not a centre's token")
        centre_id = str(me["username"])
        _answer(client.put(f"/centres/{centre_id}/profile", json=self._profile()))
        position = _answer(client.get(f"/centres/{centre_id}/position"))
        acknowledged = int(position["acknowledged_seq"])
        local = self._writer.last_event_seq
        if acknowledged > local:
            raise _Diverged(
                f"the hub holds events up to {acknowledged} but this centre's log ends at "
                f"{local}: was the database restored from an older copy? See docs/network.md"
            )
        self._progress.acknowledged = acknowledged
        self._progress.connected = True
        self._set(
            centre_id=centre_id,
            acknowledged_seq=acknowledged,
            last_contact_at=self._clock.now(),
            last_error=None,
            next_attempt_at=None,
        )
        self._save_state()

    def _ship_batch(self, client: httpx.Client, staff: StaffIds, log_end: int) -> int:
        """Send the next batch (with where the log ends: `log_end`, or further if events
        came meanwhile); returns how many events it held (0: caught up)."""
        acknowledged = self._progress.acknowledged or 0
        rows = logged_rows(self._reads.get(), acknowledged, self.config.batch_size)
        if not rows:
            return 0
        self._set(state=LinkState.SHIPPING)
        began = time.thread_time()
        body = {
            "after": acknowledged,
            "through": rows[-1][0],
            "log_end": max(log_end, rows[-1][0]),
            "events": [shipped_event(row, self._catalogue(), staff) for row in rows],
        }
        content = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
        spent = time.thread_time() - began
        centre_id = self._progress.status.centre_id
        receipt = _answer(
            client.post(
                f"/centres/{centre_id}/events",
                content=content,
                headers={"Content-Type": "application/json"},
            )
        )
        self._progress.acknowledged = int(receipt["acknowledged_seq"])
        self._set(
            acknowledged_seq=self._progress.acknowledged,
            last_contact_at=self._clock.now(),
            last_error=None,
            next_attempt_at=None,
            shipped=self._progress.status.shipped + int(receipt["stored"]),
        )
        self._save_state()
        if len(rows) == self.config.batch_size and self._stop.wait(spent):
            # Catching up: rest as long as the batch took to build, so the shipper takes
            # at most about half a core from the server's own requests.
            raise _Stopping
        return len(rows)

    # -- set-up --------------------------------------------------------------------

    def _client(self) -> httpx.Client:
        verify: ssl.SSLContext | bool = True
        if self.config.ca_file is not None:
            verify = ssl.create_default_context(cafile=str(self.config.ca_file))
        timeout = httpx.Timeout(self.config.io_timeout, connect=self.config.connect_timeout)
        return httpx.Client(
            base_url=f"{self._progress.status.hub}/api/v1",
            headers={"Authorization": f"Bearer {self.config.token}"},
            timeout=timeout,
            verify=verify,
        )

    def _profile(self) -> dict[str, Any]:
        catalogue = self._catalogue()
        return {
            "timezone": catalogue.centre.timezone,
            "name": catalogue.centre.name.as_dict(),
            "services": [
                {
                    "id": service.id,
                    "name": service.name.as_dict(),
                    "target_wait_seconds": int(service.target_wait.total_seconds()),
                    "local": service.is_local,
                }
                for service in catalogue.services
            ],
            "counters": len(catalogue.counters),
        }

    def _staff_key(self) -> bytes:
        """The centre's key for staff ids, created once (kept with the data)."""

        def command(tx: Transaction) -> str:
            return setting_made_once(tx.db.conn, STAFF_KEY_SETTING, lambda: secrets.token_hex(32))

        return bytes.fromhex(self._writer.call(command, actor="system:hub-link"))

    def _load_state(self) -> dict[str, Any]:
        try:
            loaded = json.loads(self._state_path.read_text("utf-8"))
        except (OSError, ValueError):
            return {}
        return loaded if isinstance(loaded, dict) else {}

    def _save_state(self) -> None:
        """Remember the acknowledged position (shown before the first contact after a
        restart; the hub's own answer always wins)."""
        status = self._progress.status
        state = {
            "hub": status.hub,
            "centre_id": status.centre_id,
            "acknowledged_seq": status.acknowledged_seq,
        }
        temporary = self._state_path.with_suffix(".tmp")
        try:
            temporary.write_text(json.dumps(state), "utf-8")
            os.replace(temporary, self._state_path)
        except OSError as exc:
            log.warning("could not save the hub link state: %s", exc)


class _HubFailed(Exception):
    """The hub answered with a failure worth retrying (5xx, 409 profile missing ...)."""


class _Diverged(Exception):
    pass


def _answer(response: httpx.Response) -> dict[str, Any]:
    """The JSON of a successful answer; `_HubFailed` or `HubRefused` otherwise."""
    if response.is_success:
        body: dict[str, Any] = response.json()
        return body
    try:
        error = response.json()
        detail = f"{error.get('code')}: {error.get('message')}"
    except ValueError:
        detail = response.text[:200]
    message = f"the hub answered {response.status_code} ({detail})"
    if response.status_code in (401, 403, 404, 413, 422):
        raise HubRefused(message)
    raise _HubFailed(message)


def _describe(exc: Exception) -> str:
    if isinstance(exc, httpx.TimeoutException):
        return f"the hub did not answer in time ({type(exc).__name__})"
    if isinstance(exc, httpx.TransportError):
        return f"cannot reach the hub ({type(exc).__name__}: {exc})"
    return str(exc)
