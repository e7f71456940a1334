"""Signing in to the hub's pages follows a centre's conventions: a form with its own CSRF
cookie, an HttpOnly SameSite=Strict session cookie, a CSRF token for every change made
with it, and a session that ends after its idle time or lifetime (on the hub's clock)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import httpx
import pytest

from core.clock import ManualClock
from hub.api.deps import SESSION_COOKIE
from tests.support.running_hub import RunningHub


@pytest.fixture
def hub(hub_dsn: str, clock: ManualClock) -> Iterator[RunningHub]:
    with RunningHub(hub_dsn, clock=clock) as running:
        running.add_user("anna")
        yield running


def signed_in(hub: RunningHub) -> httpx.Client:
    browser = httpx.Client(base_url=hub.url, timeout=30)
    form = browser.get("/login")
    csrf = form.text.split('name="csrf" value="')[1].split('"')[0]
    answer = browser.post(
        "/login", data={"username": "anna", "password": "correct horse", "csrf": csrf}
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/network"
    cookie = answer.headers["set-cookie"]
    assert SESSION_COOKIE in cookie and "HttpOnly" in cookie and "SameSite=strict" in cookie
    return browser


def test_the_sign_in_form_needs_its_own_csrf_cookie(hub: RunningHub) -> None:
    with httpx.Client(base_url=hub.url) as forger:
        answer = forger.post(
            "/login", data={"username": "anna", "password": "correct horse", "csrf": "x"}
        )
        assert answer.headers["location"] == "/login?error=csrf"
        assert SESSION_COOKIE not in answer.cookies
    wrong = httpx.Client(base_url=hub.url)
    csrf = wrong.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
    answer = wrong.post("/login", data={"username": "anna", "password": "nope", "csrf": csrf})
    assert answer.headers["location"] == "/login?error=failed"


def test_changes_made_with_the_cookie_need_the_sessions_csrf_token(hub: RunningHub) -> None:
    browser = signed_in(hub)
    assert browser.get("/network").status_code == 200
    assert browser.delete("/api/v1/session").status_code == 403
    page = browser.get("/network").text
    assert browser.post("/logout", data={"csrf": "forged"}).headers["location"] == "/network"
    assert browser.get("/network").status_code == 200  # a forged sign-out changed nothing
    token = page.split('"csrf": "')[1].split('"')[0]
    assert browser.post("/logout", data={"csrf": token}).headers["location"] == "/login"
    assert browser.get("/network").headers["location"].startswith("/login")


def test_a_session_ends_after_its_idle_time_and_its_lifetime(
    hub: RunningHub, clock: ManualClock
) -> None:
    idle = signed_in(hub)
    clock.advance(timedelta(minutes=29))
    assert idle.get("/network").status_code == 200  # use: the idle time starts again
    for _ in range(4):  # a page refreshing itself is not use
        clock.advance(timedelta(minutes=10))
        idle.get("/api/v1/network/live", headers={"X-Rinda-Background": "1"})
    assert idle.get("/api/v1/network/live").status_code == 401
    assert idle.get("/network").headers["location"].startswith("/login")

    busy = signed_in(hub)
    for _ in range(12 * 4):  # used every quarter of an hour, for twelve hours
        assert busy.get("/network").status_code == 200
        clock.advance(timedelta(minutes=15))
    assert busy.get("/network").headers["location"].startswith("/login")
