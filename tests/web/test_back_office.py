"""The applications back office in Chromium: inbox per department, status, notes, escaping."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser
SCRIPT = "<script>window.pwned = 1</script><img src=x onerror='window.pwned=2'>"


def lodge(server, staff, type_id: str = "certificate-request", text: str = "Lūdzu izziņu.") -> dict:
    fields = {
        "name": "Jānis Bērziņš",
        "personal_code": "120389-11220",
        "phone": "20000000",
        "text": text,
        "delivery": "in_person",
    }
    with server.client(staff.kiosk) as http:
        response = http.post(
            "/applications",
            json={"type_id": type_id, "language": "ru", "fields": fields, "consent": True},
        )
        response.raise_for_status()
        return response.json()


def test_department_clerk_handles_an_application(open_page, server, staff) -> None:
    mine = lodge(server, staff, text=SCRIPT)
    other = lodge(server, staff, type_id="social-assessment")
    server.add_user("inese", "clerk", counter_id="c1", department_id="registry")
    page = open_page()
    sign_in(page, "inese")
    page.click("a[href='/applications']")
    expect(page.locator("#inbox-table tr")).to_have_count(1)
    expect(page.locator("#inbox-table")).to_contain_text(mine["registration_number"])
    expect(page.locator("#inbox-table")).not_to_contain_text(other["registration_number"])
    page.click("#inbox-table button")
    expect(page.locator("#detail-fields")).to_contain_text(SCRIPT)
    expect(page.locator("#detail-fields")).to_contain_text("Jānis Bērziņš")
    page.select_option("#status-choice", "forwarded")
    page.fill("#status-note", SCRIPT)
    page.click("#status-button")
    expect(page.locator("#detail-history li")).to_have_count(2)
    expect(page.locator("#detail-history")).to_contain_text(SCRIPT)
    expect(page.locator("#inbox-table")).to_contain_text("pārsūtīts")
    page.fill("#note-text", "Zvanīju, atbilde nosūtīta pa pastu")
    page.click("#note-button")
    expect(page.locator("#detail-history li")).to_have_count(3)
    assert page.evaluate("window.pwned") is None
    page.wait_for_timeout(200)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "web-applications.png"), full_page=True)
    # Search by registration number.
    page.fill("#filter-search", mine["registration_number"][-3:])
    page.click("#filter-button")
    expect(page.locator("#inbox-table tr")).to_have_count(1)
    # Another department's application cannot be opened, even by its id.
    status = page.evaluate(
        f"""async () => (await fetch('/api/v1/applications/{other["id"]}')).status"""
    )
    assert status == 403
    with server.client(staff.manager) as http:
        audit = http.get("/applications/audit").json()
    assert {e["actor"] for e in audit} == {"user:inese"}


def test_clerk_without_a_department_sees_no_inbox(open_page, server, staff) -> None:
    lodge(server, staff)
    server.add_user("anna", "clerk", counter_id="c1")
    page = open_page()
    sign_in(page, "anna")
    page.goto("/applications")
    expect(page.locator("#error-message")).to_contain_text("department")
    expect(page.locator("#inbox-table tr")).to_have_count(0)
