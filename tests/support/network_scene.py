"""A small network for tests: a real hub and real centre servers shipping to it, all on
one injected clock, each centre busy with a seeded day (`centre_activity`)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import psycopg

from core.clock import ManualClock
from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.centre_activity import Activity, activity_for
from tests.support.hub_link import caught_up, eventually, link_config
from tests.support.running_hub import RunningHub
from tests.support.running_server import RunningServer


@dataclass
class Centre:
    """One centre of the scene."""

    centre_id: str
    municipality: str
    server: RunningServer
    staff: Staff
    activity: Activity

    def get(self, path: str, **params: Any) -> Any:
        """A manager's GET on the centre's own API."""
        with self.server.client(self.staff.manager) as http:
            response = http.get(path, params=params)
            response.raise_for_status()
            return response.json() if "json" in response.headers["content-type"] else response


@dataclass
class Network:
    """The hub and its centres."""

    hub: RunningHub
    clock: ManualClock
    centres: dict[str, Centre] = field(default_factory=dict)
    stopped: set[str] = field(default_factory=set)
    _stack: contextlib.ExitStack = field(default_factory=contextlib.ExitStack)

    def add_centre(
        self, tmp_path: Path, centre_id: str, municipality: str, name: str, seed: int, **link: Any
    ) -> Centre:
        token = self.hub.add_centre(centre_id, municipality, name=name)
        link = {"heartbeat_seconds": 0.05, **link}
        server = self._stack.enter_context(
            RunningServer(
                tmp_path / centre_id,
                clock=self.clock,
                catalogue=always_open(),
                hub=link_config(self.hub.url, token, **link),
                # A scene's centres take turns on one clock for hours: their clerks'
                # sessions must not end while another centre's day moves on.
                session_idle=timedelta(days=1),
                session_lifetime=timedelta(days=2),
            )
        )
        staff = Staff(server)
        activity = activity_for(server, staff, self.clock, seed)
        centre = Centre(centre_id, municipality, server, staff, activity)
        self.centres[centre_id] = centre
        return centre

    def take_down(self, centre_id: str) -> None:
        """Stop a centre's server (its link goes silent); `settle` no longer waits for it."""
        self.centres[centre_id].server.stop()
        self.stopped.add(centre_id)

    def settle(self) -> None:
        """Wait until the hub holds every centre's whole log and has heard from each at
        the clock's present time (centres here send a heartbeat every 50 ms; the clock
        jumps when a centre's day moves on, which would otherwise look like silence)."""
        now = self.clock.now()
        running = [c for c in self.centres.values() if c.centre_id not in self.stopped]
        for centre in running:
            url = centre.server.url
            eventually(lambda url=url: caught_up(url), what=f"{centre.centre_id} to catch up")
        with psycopg.connect(self.hub.dsn, autocommit=True) as conn:

            def heard() -> bool:
                row = conn.execute(
                    "SELECT count(*) FROM centres WHERE last_contact_at >= %s AND id = ANY(%s)",
                    (now, [c.centre_id for c in running]),
                ).fetchone()
                return row is not None and row[0] == len(running)

            eventually(heard, what="a word from every centre at the present time")

    def reader(self, name: str = "national", municipality: str | None = None) -> httpx.Client:
        """A signed-in analyst's client of the hub's API."""
        self.hub.add_user(name, "analyst", municipality=municipality)
        return self.hub.client(self.hub.login(name))

    def close(self) -> None:
        self._stack.close()


@contextlib.contextmanager
def network(hub_dsn: str, clock: ManualClock, **hub_config: Any) -> Iterator[Network]:
    """A hub on `clock`; add centres with `add_centre`; everything stops at the end."""
    with RunningHub(hub_dsn, clock=clock, **hub_config) as hub:
        scene = Network(hub, clock)
        try:
            yield scene
        finally:
            scene.close()
