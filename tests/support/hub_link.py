"""Helpers for tests of a centre shipping to a hub: link settings for tests, waiting
for a condition, and the figures on both sides."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date
from typing import Any

import httpx
import psycopg

from hub.figures import Scope, figures
from server.hub_link.config import HubLinkConfig


def link_config(url: str, token: str, **overrides: Any) -> HubLinkConfig:
    """Quick retries and short time-outs, so tests do not idle."""
    settings: dict[str, Any] = {
        "first_backoff": 0.05,
        "max_backoff": 0.5,
        "poll_seconds": 0.05,
        "io_timeout": 10.0,
        "batch_size": 100,
    }
    settings.update(overrides)
    return HubLinkConfig(url, token, **settings)


def eventually(predicate: Callable[[], Any], timeout: float = 120, what: str = "") -> Any:
    """Poll until `predicate()` is truthy (a condition, not a fixed sleep); returns it."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        time.sleep(0.05)


def link_status(centre_url: str) -> dict[str, Any]:
    """The centre's hub link as its health reports it."""
    status: dict[str, Any] = httpx.get(f"{centre_url}/api/v1/health", timeout=10).json()["hub_link"]
    return status


def caught_up(centre_url: str) -> bool:
    """The hub has acknowledged everything the centre has logged."""
    status = link_status(centre_url)
    return status["lag_events"] == 0 and status["acknowledged_seq"] == status["local_seq"]


def centre_figures(
    centre_url: str, manager_token: str, start: date, end: date, group: str
) -> dict[str, Any]:
    """The centre's own `/stats` groups for a period, without clerk time (which the
    hub does not roll up)."""
    response = httpx.get(
        f"{centre_url}/api/v1/stats",
        params={"from": start.isoformat(), "to": end.isoformat(), "group": group},
        headers={"Authorization": f"Bearer {manager_token}"},
        timeout=30,
    )
    response.raise_for_status()
    groups = response.json()["groups"]
    return {name: {**values, "clerk_time": None} for name, values in groups.items()}


def hub_figures(dsn: str, centre_id: str, start: date, end: date, group: str) -> dict[str, Any]:
    """The hub's figures of one centre for a period, from its rollups."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        return figures(conn, Scope(start, end, (centre_id,)), group)


def stored_seqs(dsn: str, centre_id: str) -> list[int]:
    """Every seq the hub stored for a centre (with repeats, if any were doubled)."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT seq FROM events WHERE centre_id = %s ORDER BY seq", (centre_id,)
        ).fetchall()
    return [seq for (seq,) in rows]
