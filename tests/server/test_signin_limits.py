"""Sign-in limits over HTTP: progressive delays per address and per account,
`Retry-After`, no lock-out of a clerk by other clients' failures, proxy headers only
from trusted proxies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from core.clock import ManualClock
from tests.conftest import Staff
from tests.support.catalogues import always_open
from tests.support.running_server import RunningServer

PASSWORD = "correct horse"


def _sign_in(
    client: httpx.Client, username: str, password: str, forwarded_for: str | None = None
) -> httpx.Response:
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post(
        "/api/v1/session", json={"username": username, "password": password}, headers=headers
    )


def _client(server: RunningServer) -> httpx.Client:
    """A fresh client: its own cookie jar, so no device cookie yet."""
    return httpx.Client(base_url=server.url, timeout=10)


def test_untrusted_clients_wait_progressively_and_are_told_how_long(
    server: RunningServer, staff: Staff, clock: ManualClock
) -> None:
    staff.clerk("c1")
    with _client(server) as stranger:
        statuses = [_sign_in(stranger, "clerk-c1", f"guess {i}").status_code for i in range(10)]
        assert statuses == [401] * 10
        for wait in (1, 2, 4, 8):
            refused = _sign_in(stranger, "clerk-c1", "another guess")
            assert refused.status_code == 429
            assert refused.json()["code"] == "too_many_attempts"
            assert refused.headers["Retry-After"] == str(wait)
            # Even the right password gets no answer but the wait: no guessing oracle.
            assert _sign_in(stranger, "clerk-c1", PASSWORD).status_code == 429
            clock.advance(timedelta(seconds=wait))
            assert _sign_in(stranger, "clerk-c1", "another guess").status_code == 401


def test_a_clerk_is_not_locked_out_by_someone_elses_failures(
    server: RunningServer, staff: Staff
) -> None:
    """The attacker shares the clerk's address (same machine here): only the clerk's
    browser, holding the device cookie from an earlier sign-in, still gets in."""
    staff.clerk("c1")
    with _client(server) as clerk_browser, _client(server) as attacker:
        assert _sign_in(clerk_browser, "clerk-c1", PASSWORD).status_code == 200
        assert "rinda_device" in clerk_browser.cookies
        statuses = [_sign_in(attacker, "clerk-c1", f"guess {i}").status_code for i in range(30)]
        assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
        assert _sign_in(attacker, "clerk-c1", PASSWORD).status_code == 429
        assert _sign_in(clerk_browser, "clerk-c1", PASSWORD).status_code == 200


def test_the_clerks_own_mistakes_slow_only_their_device_then_the_rest_applies(
    server: RunningServer, staff: Staff, clock: ManualClock
) -> None:
    staff.clerk("c1")
    with _client(server) as browser:
        assert _sign_in(browser, "clerk-c1", PASSWORD).status_code == 200
        assert [_sign_in(browser, "clerk-c1", "typo").status_code for _ in range(10)] == [401] * 10
        # The device's own budget is spent; it falls back to the untrusted budget.
        assert [_sign_in(browser, "clerk-c1", "typo").status_code for _ in range(10)] == [401] * 10
        assert _sign_in(browser, "clerk-c1", "typo").status_code == 429
        clock.advance(timedelta(seconds=1))
        assert _sign_in(browser, "clerk-c1", PASSWORD).status_code == 200


def test_one_try_each_on_many_user_names_is_limited(server: RunningServer) -> None:
    with _client(server) as sprayer:
        statuses = [_sign_in(sprayer, f"user-{i}", "Password1").status_code for i in range(40)]
    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}


def test_a_correct_password_forgets_that_users_failures_from_that_address(
    server: RunningServer, staff: Staff
) -> None:
    staff.clerk("c1")
    with _client(server) as first, _client(server) as second:
        assert [_sign_in(first, "clerk-c1", "typo").status_code for _ in range(9)] == [401] * 9
        assert _sign_in(first, "clerk-c1", PASSWORD).status_code == 200
        # A fresh client from the same address starts with a clean slate for this user.
        assert [_sign_in(second, "clerk-c1", "typo").status_code for _ in range(10)] == [401] * 10
        assert _sign_in(second, "clerk-c1", "typo").status_code == 429


def test_forwarded_for_is_not_believed_by_default(server: RunningServer, staff: Staff) -> None:
    """uvicorn believes X-Forwarded-For from 127.0.0.1 unless told otherwise: a client
    on the server's own machine could then claim any address."""
    staff.clerk("c1")
    with _client(server) as liar:
        statuses = [
            _sign_in(liar, "clerk-c1", "guess", forwarded_for=f"10.0.{i}.1").status_code
            for i in range(20)
        ]
    assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}


@pytest.fixture
def proxied(tmp_path: Path, clock: ManualClock) -> Iterator[RunningServer]:
    """A server behind a reverse proxy on 127.0.0.1 (configured as trusted)."""
    with RunningServer(
        tmp_path / "proxied",
        clock=clock,
        catalogue=always_open(),
        trusted_proxies=("127.0.0.1/32",),
    ) as running:
        yield running


def test_a_trusted_proxy_names_the_client_and_each_address_has_its_own_budget(
    proxied: RunningServer, staff_factory: type[Staff]
) -> None:
    staff_factory(proxied).clerk("c1")
    staff_factory(proxied).clerk("c2")
    with _client(proxied) as proxy:
        noisy = [_sign_in(proxy, "clerk-c1", "guess", "10.0.0.1").status_code for _ in range(11)]
        assert noisy == [401] * 10 + [429]
        # Another visitor behind the same proxy, for another account, is not slowed.
        assert _sign_in(proxy, "clerk-c2", "guess", "10.0.0.2").status_code == 401
        assert _sign_in(proxy, "clerk-c2", PASSWORD, "10.0.0.2").status_code == 200
        # A chain: the client is the last address the trusted proxy did not add.
        assert _sign_in(proxy, "clerk-c2", "guess", "10.0.0.1, 10.0.0.3").status_code == 401


def test_guessing_one_account_from_many_addresses_is_slowed_per_account(
    proxied: RunningServer, staff_factory: type[Staff]
) -> None:
    staff_factory(proxied).clerk("c1")
    with _client(proxied) as clerk_browser, _client(proxied) as botnet:
        assert _sign_in(clerk_browser, "clerk-c1", PASSWORD, "10.1.0.1").status_code == 200
        statuses = [
            _sign_in(botnet, "clerk-c1", "guess", f"10.2.0.{i}").status_code for i in range(15)
        ]
        assert statuses[:10] == [401] * 10 and set(statuses[10:]) == {429}
        # The clerk's own browser is trusted, from wherever it comes.
        assert _sign_in(clerk_browser, "clerk-c1", PASSWORD, "10.3.0.1").status_code == 200


def test_the_sign_in_page_reports_the_wait(server: RunningServer, staff: Staff) -> None:
    staff.clerk("c1")
    with _client(server) as browser:
        form = browser.get("/login")
        csrf = form.cookies.get("rinda_login_csrf") or browser.cookies["rinda_login_csrf"]
        answers = [
            browser.post(
                "/login", data={"username": "clerk-c1", "password": "typo", "csrf": csrf}
            ).headers["location"]
            for _ in range(11)
        ]
    assert answers[:10] == ["/login?error=failed"] * 10
    assert answers[10] == "/login?error=too_many&wait=1"
    with _client(server) as browser:
        page = browser.get(answers[10] + "&lang=en")
    assert "Too many failed sign-ins. Try again in 1 s." in page.text


def test_every_429_carries_retry_after(server: RunningServer) -> None:
    with _client(server) as http:
        answers = [
            http.post(
                "/api/v1/applications/lookup",
                json={"registration_number": "KAC/2026/000001", "secret": "WRONG-SECRET"},
            )
            for _ in range(12)
        ]
    refused = [a for a in answers if a.status_code == 429]
    assert refused and all(int(a.headers["Retry-After"]) >= 1 for a in refused)
