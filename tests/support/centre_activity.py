"""A seeded, varied working day at a real centre server, driven over its HTTP API: tickets
issued for every service, called, served, recalled, parked and resumed, transferred,
marked no-show and reactivated, cancelled, walk-ins, ratings; the clock moves on."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import httpx

from core.clock import ManualClock

SERVICES = (
    "residence",
    "social-assistance",
    "certificates",
    "building-board",
    "property-tax",
    "family-benefits",
    "council",
    "specialist",
)
COUNTERS = ("c1", "c2", "c3", "c4", "c5")
SECRET_NOTE = "Visitor Jānis Bērziņš, personas kods 010101-10006, phone 29123456"
"""Free text a clerk typed: must never reach the hub."""


@dataclass
class Activity:
    """Drives a centre's day; `run(steps)` performs that many random actions."""

    url: str
    kiosk_token: str
    clerk_tokens: dict[str, str]
    feedback_token: str
    clock: ManualClock | None
    seed: int = 1
    services: tuple[str, ...] = SERVICES
    counters: tuple[str, ...] = COUNTERS
    rng: random.Random = field(init=False)
    waiting: list[str] = field(default_factory=list)
    at_counter: dict[str, dict[str, Any]] = field(default_factory=dict)
    parked: list[tuple[str, str]] = field(default_factory=list)
    no_shows: list[str] = field(default_factory=list)
    served: list[str] = field(default_factory=list)
    commands: int = 0

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def _http(self, token: str) -> httpx.Client:
        return httpx.Client(
            base_url=f"{self.url}/api/v1",
            headers={"Authorization": f"Bearer {token}"},
            timeout=30,
        )

    def _post(self, token: str, path: str, body: Any = None) -> httpx.Response:
        with self._http(token) as http:
            response = http.post(path, json=body)
        self.commands += 1
        assert response.status_code < 500, (path, response.status_code, response.text)
        return response

    def open_counters(self) -> None:
        for counter in self.counters:
            self._post(self.clerk_tokens[counter], f"/counters/{counter}/open").raise_for_status()

    def _tick(self, low: int = 5, high: int = 90) -> None:
        if self.clock is not None:
            self.clock.advance(timedelta(seconds=self.rng.randint(low, high), milliseconds=437))

    def issue(self) -> None:
        body = {
            "service_id": self.rng.choice(self.services),
            "language": self.rng.choice(("lv", "ru", "en")),
        }
        response = self._post(self.kiosk_token, "/tickets", body)
        if response.status_code == 409:  # daily cap, or the service's wait runs past closing
            return
        response.raise_for_status()
        self.waiting.append(response.json()["id"])

    def step(self) -> None:
        """One random action."""
        roll = self.rng.random()
        counter = self.rng.choice(self.counters)
        clerk = self.clerk_tokens[counter]
        holding = self.at_counter.get(counter)
        if roll < 0.35:
            self.issue()
        elif holding is None and roll < 0.75:
            if self.parked and self.rng.random() < 0.2:
                ticket_id, parked_at = self.parked.pop()
                response = self._post(
                    self.clerk_tokens[parked_at],
                    f"/tickets/{ticket_id}/resume",
                    {"counter_id": parked_at},
                )
                if response.status_code == 200:
                    self.at_counter[parked_at] = response.json()
                return
            response = self._post(clerk, f"/counters/{counter}/call-next")
            if response.status_code == 200:
                ticket = response.json()
                self.at_counter[counter] = ticket
                if ticket["id"] in self.waiting:
                    self.waiting.remove(ticket["id"])
        elif holding is not None:
            self._deal_with(counter, clerk, holding)
        elif roll < 0.8:
            service = self.rng.choice(self.services)
            self._post(clerk, f"/counters/{counter}/walk-direct", {"service_id": service})
        elif roll < 0.85 and self.waiting:
            self._post(clerk, f"/tickets/{self.waiting.pop(0)}/cancel")
        elif roll < 0.9 and self.no_shows:
            self._post(clerk, f"/tickets/{self.no_shows.pop()}/reactivate")
        elif self.served:
            rating = self.rng.randint(1, 5)
            self._post(
                self.feedback_token,
                "/feedback",
                {"ticket_id": self.served.pop(0), "rating": rating},
            )
        self._tick()

    def _deal_with(self, counter: str, clerk: str, ticket: dict[str, Any]) -> None:
        ticket_id, status = ticket["id"], ticket["status"]
        roll = self.rng.random()
        if status == "called":
            if roll < 0.1:
                self._post(clerk, f"/tickets/{ticket_id}/recall")
            elif roll < 0.2:
                self._post(clerk, f"/tickets/{ticket_id}/no-show")
                self.no_shows.append(ticket_id)
                del self.at_counter[counter]
            else:
                response = self._post(clerk, f"/tickets/{ticket_id}/start")
                if response.status_code == 200:
                    self.at_counter[counter] = response.json()
            return
        if roll < 0.08:
            self._post(clerk, f"/tickets/{ticket_id}/park")
            self.parked.append((ticket_id, counter))
        elif roll < 0.15:
            service = self.rng.choice(self.services)
            self._post(clerk, f"/tickets/{ticket_id}/transfer", {"service_id": service})
            self.waiting.append(ticket_id)
        else:
            self._post(
                clerk,
                f"/tickets/{ticket_id}/finish",
                {"note": SECRET_NOTE, "delivered_service": SECRET_NOTE[:60]},
            )
            self.served.append(ticket_id)
        del self.at_counter[counter]

    def run(self, steps: int) -> None:
        for _ in range(steps):
            self.step()


def activity_for(server: Any, staff: Any, clock: ManualClock | None, seed: int = 1) -> Activity:
    """An activity on a `RunningServer` with its `Staff` (tests/conftest.py)."""
    activity = Activity(
        url=server.url,
        kiosk_token=staff.kiosk,
        clerk_tokens={counter: staff.clerk(counter) for counter in COUNTERS},
        feedback_token=staff.exit_feedback,
        clock=clock,
        seed=seed,
    )
    activity.open_counters()
    return activity
