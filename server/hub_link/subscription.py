"""A subscribed centre's national catalogue: the version it runs, kept in its data
directory, and a thread that applies each new version the hub publishes.

A centre whose own file has a `[subscription]` (`core.national`) runs on the last
national version it applied (`national-catalogue.toml` and `.json` beside its
database), so it starts and keeps working while the hub is away. Only a centre that
has never applied a version needs the hub to start. The thread asks the hub for its
current version every `HubLinkConfig.catalogue_poll_seconds`; a new one is joined
with the centre's own file and validated (`core.national.subscribed_catalogue`), then
applied by the writer between two commands (`Engine.apply_catalogue`): no restart,
tickets already issued keep their service. A version that fails is not applied (the
manager view says why) and is not tried again; the next one is. After applying, the
centre tells the hub which version it runs (`PUT /centres/{id}/catalogue`).
"""

from __future__ import annotations

import json
import logging
import os
import ssl
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import httpx

from core.catalogue import Catalogue
from core.clock import Clock
from core.errors import CatalogueError
from core.events import iso
from core.national import subscribed_catalogue
from core.settings import parse_document
from server.hub_link.config import HubLinkConfig

log = logging.getLogger(__name__)
DOCUMENT_FILE = "national-catalogue.toml"
STATE_FILE = "national-catalogue.json"


@dataclass(frozen=True)
class AppliedVersion:
    """The national version a centre runs, as kept in its data directory."""

    version: int
    document: str
    applied_at: datetime


def load_applied(data_dir: Path) -> AppliedVersion | None:
    """The version last applied here (None: never, or its files are unreadable)."""
    try:
        state = json.loads((data_dir / STATE_FILE).read_text("utf-8"))
        document = (data_dir / DOCUMENT_FILE).read_text("utf-8")
        return AppliedVersion(
            int(state["version"]), document, datetime.fromisoformat(state["applied_at"])
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def save_applied(data_dir: Path, applied: AppliedVersion) -> None:
    """Keep the applied version (document first, then the state that names it; each
    replaced atomically, so a crash leaves the old or the new version, never half)."""
    for name, text in (
        (DOCUMENT_FILE, applied.document),
        (
            STATE_FILE,
            json.dumps({"version": applied.version, "applied_at": applied.applied_at.isoformat()}),
        ),
    ):
        temporary = data_dir / f"{name}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, data_dir / name)


def joined(local: Mapping[str, Any], source: str, version: int, document: str) -> Catalogue:
    """The centre's catalogue with national `version` (its TOML `document`); raises
    `CatalogueError` naming the field (in the local file or in the version)."""
    national = parse_document(document, f"national catalogue version {version}", CatalogueError)
    return subscribed_catalogue(local, national.data, version=version, source=source)


def hub_client(config: HubLinkConfig) -> httpx.Client:
    """A client of the hub's API with the centre's token."""
    verify: ssl.SSLContext | bool = True
    if config.ca_file is not None:
        verify = ssl.create_default_context(cafile=str(config.ca_file))
    return httpx.Client(
        base_url=f"{config.url.rstrip('/')}/api/v1",
        headers={"Authorization": f"Bearer {config.token}"},
        timeout=httpx.Timeout(config.io_timeout, connect=config.connect_timeout),
        verify=verify,
    )


def fetch_current(client: httpx.Client) -> tuple[int, str]:
    """The hub's current version and its document; `httpx.HTTPError` when it cannot say."""
    response = client.get("/catalogue")
    response.raise_for_status()
    body = response.json()
    return int(body["version"]), str(body["document"])


def catalogue_at_start(
    local: Mapping[str, Any], source: str, data_dir: Path, hub: HubLinkConfig | None, now: datetime
) -> Catalogue:
    """The catalogue a subscribed centre starts on: the version it last applied, or else
    (never applied one) the hub's current version, fetched now. Raises `CatalogueError`
    when there is neither."""
    applied = load_applied(data_dir)
    if applied is not None:
        return joined(local, source, applied.version, applied.document)
    if hub is None:
        raise CatalogueError(
            f"{source}: subscription: a subscribed centre needs a hub (--hub URL --hub-token "
            "TOKEN) to receive the national catalogue"
        )
    try:
        with hub_client(hub) as client:
            version, document = fetch_current(client)
    except (httpx.HTTPError, ValueError, KeyError) as exc:
        raise CatalogueError(
            f"{source}: subscription: no national catalogue version has been applied here "
            f"yet and the hub cannot give one ({type(exc).__name__}: {exc}); start again "
            "when the hub can be reached"
        ) from None
    catalogue = joined(local, source, version, document)
    save_applied(data_dir, AppliedVersion(version, document, now))
    return catalogue


@dataclass(frozen=True)
class SubscriptionStatus:
    """Which national version runs, and whether a newer one waits."""

    running_version: int | None
    applied_at: datetime | None = None
    latest_version: int | None = None
    """The hub's current version when it last answered."""
    last_checked_at: datetime | None = None
    refused_version: int | None = None
    refused_because: str | None = None
    last_error: str | None = None
    """Why the hub could not be asked (it is away ...); the centre runs on meanwhile."""

    @property
    def newer_waiting(self) -> bool:
        """The hub has a version this centre does not run (not yet applied, or refused)."""
        return self.latest_version is not None and self.latest_version != self.running_version

    def as_json(self) -> dict[str, Any]:
        return {
            "running_version": self.running_version,
            "applied_at": iso(self.applied_at),
            "latest_version": self.latest_version,
            "newer_waiting": self.newer_waiting,
            "last_checked_at": iso(self.last_checked_at),
            "refused_version": self.refused_version,
            "refused_because": self.refused_because,
            "last_error": self.last_error,
        }


class CatalogueSubscription:
    """The thread that applies the hub's new national versions."""

    def __init__(
        self,
        config: HubLinkConfig,
        *,
        local: Mapping[str, Any],
        source: str,
        data_dir: Path,
        apply: Callable[[Catalogue], object],
        clock: Clock,
        on_applied: Callable[[], None] = lambda: None,
    ) -> None:
        self.config = config
        self._local = local
        self._source = source
        self._data_dir = data_dir
        self._apply = apply
        self._clock = clock
        self._on_applied = on_applied
        applied = load_applied(data_dir)
        self._status = SubscriptionStatus(
            running_version=applied.version if applied else None,
            applied_at=applied.applied_at if applied else None,
        )
        self._reported: int | None = None
        self._centre_id: str | None = None
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="rinda-catalogue-subscription", daemon=True
        )

    def status(self) -> SubscriptionStatus:
        """The latest status."""
        return self._status

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=min(self.config.io_timeout, 5.0) + 1)

    def check_now(self) -> None:
        """Ask the hub at once (rather than at the next poll)."""
        self._wake.set()

    def _set(self, **changes: Any) -> None:
        self._status = replace(self._status, **changes)

    def _run(self) -> None:
        try:
            with hub_client(self.config) as client:
                while not self._stop.is_set():
                    self.check(client)
                    self._wake.wait(self.config.catalogue_poll_seconds)
                    self._wake.clear()
        except Exception:  # a bug must not take the centre down; it is logged loudly
            log.exception("the catalogue subscription stopped")
            self._set(last_error="internal error; see the log")

    def check(self, client: httpx.Client) -> None:
        """One look at the hub: apply its current version if it is new here."""
        try:
            version, document = fetch_current(client)
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            self._set(last_error=f"cannot ask the hub: {type(exc).__name__}: {exc}")
            return
        self._set(latest_version=version, last_checked_at=self._clock.now(), last_error=None)
        status = self._status
        if version not in (status.running_version, status.refused_version):
            self._take(version, document)
        if (
            self._status.running_version is not None
            and self._reported != self._status.running_version
        ):
            self._report(client, self._status.running_version)

    def _take(self, version: int, document: str) -> None:
        try:
            catalogue = joined(self._local, self._source, version, document)
            self._apply(catalogue)
        except (CatalogueError, ValueError) as exc:
            message = exc.message if isinstance(exc, CatalogueError) else str(exc)
            log.warning("national catalogue version %d not applied: %s", version, message)
            self._set(refused_version=version, refused_because=message)
            return
        now = self._clock.now()
        try:
            save_applied(self._data_dir, AppliedVersion(version, document, now))
        except OSError as exc:  # it runs; after a restart the previous version would
            log.error("national catalogue version %d applied but not saved: %s", version, exc)
        self._set(
            running_version=version, applied_at=now, refused_version=None, refused_because=None
        )
        log.info("national catalogue version %d applied", version)
        self._on_applied()

    def _report(self, client: httpx.Client, version: int) -> None:
        try:
            if self._centre_id is None:
                me = client.get("/session")
                me.raise_for_status()
                self._centre_id = str(me.json()["username"])
            answer = client.put(f"/centres/{self._centre_id}/catalogue", json={"version": version})
            answer.raise_for_status()
            self._reported = version
        except (httpx.HTTPError, ValueError, KeyError) as exc:
            log.warning("could not tell the hub which catalogue version runs: %s", exc)
