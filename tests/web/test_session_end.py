"""A console page whose session ends goes to the sign-in page by itself, and comes
back to where it was after signing in again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from core.clock import ManualClock
from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser
SIGN_IN_AGAIN = re.compile(r"/login\?error=ended&next=%2Fconsole$")


def test_the_console_goes_to_sign_in_when_the_user_is_disabled(open_page, server, staff) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    page = open_page()
    sign_in(page, "anna")
    expect(page.locator("#connection-status")).to_contain_text("Tiešsaistē")
    with server.client(staff.admin) as http:
        http.post("/admin/users/anna/disable").raise_for_status()
    expect(page).to_have_url(SIGN_IN_AGAIN, timeout=20_000)
    expect(page.locator("#login-error")).to_have_text(
        "Sesija ir beigusies. Lūdzu, pieslēdzieties vēlreiz."
    )
    with server.client(staff.admin) as http:
        http.post("/admin/users/anna/enable").raise_for_status()
    sign_in(page, "anna")
    expect(page).to_have_url(re.compile("/console$"))


def test_an_unattended_console_is_signed_out_after_the_idle_time(
    open_page, server, staff, clock: ManualClock
) -> None:
    """Live updates keep arriving and the page refreshes itself, but nobody touches it."""
    server.add_user("anna", "clerk", counter_id="c1")
    page = open_page()
    sign_in(page, "anna")
    page.click("#open-button")
    expect(page.locator("#counter-state")).to_have_text("Atvērts")
    for minutes in (10, 10, 9):
        clock.advance(timedelta(minutes=minutes))
        with server.client(staff.kiosk) as http:
            ticket = http.post("/tickets", json={"service_id": "residence"}).json()
        expect(page.locator("#waiting-list")).to_contain_text(ticket["number"])
    expect(page).to_have_url(re.compile("/console$"))
    clock.advance(timedelta(minutes=1))
    expect(page).to_have_url(SIGN_IN_AGAIN, timeout=20_000)
    page.screenshot(path=str(SCREENSHOT_DIR / "web-signed-out-idle.png"))
