"""The manager's reports page in Chromium: figures, charts, filters, print layout."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from tests.server.test_stats import serve
from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def test_reports_page_with_charts(open_page, server, staff, clock) -> None:
    for wait, service in ((60, 300), (600, 420), (1500, 200), (90, 600)):
        ticket = serve(server, staff, clock, wait=wait, service=service)
        with server.client(staff.feedback) as http:
            http.post("/feedback", json={"ticket_id": ticket["id"], "rating": 4}).raise_for_status()
        clock.advance(timedelta(minutes=40))
    server.add_user("chief", "manager")
    page = open_page()
    sign_in(page, "chief")
    page.click("a[href='/reports']")
    figures = page.locator("#key-figures")
    expect(figures).to_contain_text("4")
    expect(figures).to_contain_text("75%")  # 3 of 4 called within 15 minutes
    for chart in ("wait_by_hour", "service_level", "volume", "feedback"):
        image = page.locator(f"#chart-{chart} img")
        expect(image).to_be_visible()
        assert image.evaluate("(img) => img.complete && img.naturalWidth") > 300
        assert image.get_attribute("src").startswith("data:image/svg+xml;base64,")
    expect(page.locator("#service-table")).to_contain_text("Dzīvesvietas deklarēšana")
    # Counter c1 served 300 + 420 + 200 + 600 s = 25 min, and idled the rest.
    clerk_row = page.locator("#clerk-table tbody tr", has_text="clerk-c1")
    expect(clerk_row).to_contain_text("0:25")
    expect(figures).to_contain_text("noslodze")
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    page.wait_for_timeout(200)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "web-reports.png"), full_page=True)
    # The print layout hides the filters and navigation.
    page.emulate_media(media="print")
    expect(page.locator("#report-filter")).to_be_hidden()
    page.emulate_media(media="screen")
    # A period with nothing in it, and a bad date, are explained.
    page.fill("#report-from", "2025-01-01")
    page.fill("#report-to", "2025-01-31")
    page.click("#report-button")
    expect(page.locator("#no-data")).to_be_visible()
    page.goto("/reports?from=yesterday")
    expect(page.locator("#report-error")).to_contain_text("not a date")
    clerk = open_page()
    sign_in(clerk, "clerk-c1")
    assert clerk.goto("/reports").status == 403


def test_reports_show_appointments_apart(open_page, server, staff, clock) -> None:
    from tests.server.test_appointments import BOARD_NOON, book

    with server.client() as public, server.client(staff.kiosk) as kiosk:
        came = book(public, BOARD_NOON, phone="20000001")
        book(public, BOARD_NOON + timedelta(minutes=30), phone="20000002")
        clock.advance(timedelta(hours=3, minutes=50))  # 13:50
        kiosk.post("/appointments/check-in", json={"code": came["code"]}).raise_for_status()
    clock.advance(timedelta(hours=1))  # 14:50: the 14:30 booking's window has closed
    server.add_user("chief", "manager")
    page = open_page()
    sign_in(page, "chief")
    page.goto("/reports?from=2026-11-23&to=2026-11-23")
    table = page.locator("#appointments-table")
    # Service, booked, cancelled, checked in, not checked in, no-shows, late, early by.
    row = table.locator("tbody tr", has_text="Būvvaldes konsultācijas")
    expect(row.locator("td")).to_have_text(
        ["Būvvaldes konsultācijas", "2", "0", "1", "1", "0", "0", "10.0", "—", "—"]
    )
    expect(table.locator("tbody tr", has_text="Kopā").locator("td").nth(1)).to_have_text("2")
    table.scroll_into_view_if_needed()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    table.screenshot(path=str(SCREENSHOT_DIR / "web-reports-appointments.png"))
