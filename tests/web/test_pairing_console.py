"""The console over HTTPS in Chromium: an admin signs in and confirms a terminal's pairing."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from terminal.pairing import pair_by_code
from tests.support.catalogues import always_open
from tests.support.running_server import RunningServer
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def test_an_admin_confirms_a_pairing_in_the_console_over_https(
    browser, tmp_path: Path, clock
) -> None:
    with RunningServer(tmp_path / "data", clock=clock, catalogue=always_open(), tls=True) as server:
        server.add_user("root", "admin")
        # Chromium does not know the centre's CA: it refuses the page...
        untrusting = browser.new_context()
        with pytest.raises(Exception, match="ERR_CERT_AUTHORITY_INVALID"):
            untrusting.new_page().goto(f"{server.url}/login")
        untrusting.close()
        # ...until told to accept it, as a clerk's browser is once the CA is installed.
        context = browser.new_context(
            viewport={"width": 1600, "height": 1000},
            base_url=server.url,
            locale="en-GB",
            ignore_https_errors=True,
        )
        try:
            page = context.new_page()
            page.set_default_timeout(10_000)
            page.goto("/login")
            sign_in(page, "root")
            cookie = next(c for c in context.cookies() if c["httpOnly"])
            assert cookie["secure"], "the session cookie is sent over HTTPS only"
            page.goto("/admin")
            page.wait_for_selector("#pairings-none", state="visible")

            shown: list[str] = []
            paired: list[object] = []
            thread = threading.Thread(
                target=lambda: paired.append(
                    pair_by_code(server.url, "kiosk-hall", "kiosk", shown.append, poll=0.05)
                )
            )
            thread.start()
            deadline = time.monotonic() + 20
            while not shown:
                assert time.monotonic() < deadline
                time.sleep(0.02)
            code = f"{shown[0][:3]} {shown[0][3:]}"
            row = page.locator("#pairings-table tr", has_text="kiosk-hall")
            row.wait_for()  # appears without a reload
            assert row.locator(".pairing-code").inner_text() == code
            page.screenshot(path=str(tmp_path / "admin-pairing.png"), full_page=False)
            row.get_by_role("button", name="Confirm").click()
            thread.join(timeout=20)
            assert paired and getattr(paired[0], "name", None) == "kiosk-hall"
            page.wait_for_selector("#pairings-none", state="visible")
            devices = page.locator("#devices-table")
            assert "kiosk-hall" in devices.inner_text()
        finally:
            context.close()
