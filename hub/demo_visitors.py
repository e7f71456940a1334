"""Simulated visitors for the network demo: at one centre, over its HTTP API, tickets are
issued at a steady random pace and the counters call, serve, sometimes lose a visitor
to a no-show, and the feedback terminal at counter 1 rates some visits."""

from __future__ import annotations

import logging
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

log = logging.getLogger(__name__)
SERVICES = ("residence", "social-assistance", "certificates", "property-tax", "council")
COUNTERS = ("c1", "c2", "c3")


@dataclass
class Visitors:
    """Drives one centre until `stop()`; `pace` scales every pause (1.0: a busy day)."""

    url: str
    kiosk_token: str
    manager_token: str
    feedback_token: str
    seed: int
    pace: float = 1.0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> Visitors:
        self._thread = threading.Thread(target=self._run, name="demo-visitors", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)

    def _client(self, token: str) -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.url}/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=10,
        )

    def _run(self) -> None:
        rng = random.Random(self.seed)
        kiosk = self._client(self.kiosk_token)
        staff = self._client(self.manager_token)
        rater = self._client(self.feedback_token)
        serving: dict[str, tuple[dict[str, Any], float]] = {}
        next_arrival = time.monotonic()
        try:
            for counter in COUNTERS:
                staff.post(f"/counters/{counter}/open")
            while not self._stop.wait(0.5 * self.pace):
                now = time.monotonic()
                if now >= next_arrival:
                    kiosk.post(
                        "/tickets",
                        json={
                            "service_id": rng.choice(SERVICES),
                            "language": rng.choice(("lv", "lv", "ru", "en")),
                        },
                    )
                    next_arrival = now + rng.uniform(3, 12) * self.pace
                for counter in COUNTERS:
                    self._counter(rng, staff, rater, counter, serving, now)
        except httpx.HTTPError as exc:  # the centre stopped: the demo is ending
            log.info("demo visitors at %s stopped: %s", self.url, exc)
        finally:
            for client in (kiosk, staff, rater):
                client.close()

    def _counter(
        self,
        rng: random.Random,
        staff: httpx.Client,
        rater: httpx.Client,
        counter: str,
        serving: dict[str, tuple[dict[str, Any], float]],
        now: float,
    ) -> None:
        held = serving.get(counter)
        if held is None:
            response = staff.post(f"/counters/{counter}/call-next")
            if response.status_code == 200:
                ticket = response.json()
                serving[counter] = (ticket, now + rng.uniform(15, 70) * self.pace)
            return
        ticket, done_at = held
        if now < done_at:
            return
        del serving[counter]
        if rng.random() < 0.07:
            staff.post(f"/tickets/{ticket['id']}/no-show")
            return
        staff.post(f"/tickets/{ticket['id']}/start")
        staff.post(f"/tickets/{ticket['id']}/finish", json={})
        if counter == "c1" and rng.random() < 0.6:
            rater.post(
                "/feedback",
                json={"ticket_id": ticket["id"], "rating": rng.choice((5, 5, 5, 4, 4, 3, 2, 1))},
            )
