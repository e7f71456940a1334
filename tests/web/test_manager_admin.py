"""The manager's live view, the admin pages and the public ticket page, in Chromium."""

from __future__ import annotations

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def issue(server, staff, service: str = "residence", **extra) -> dict:
    with server.client(staff.kiosk) as http:
        response = http.post("/tickets", json={"service_id": service, "language": "lv", **extra})
        response.raise_for_status()
        return response.json()


def test_manager_sees_counters_queues_and_device_health_live(open_page, server, staff) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    server.add_user("chief", "manager")
    first = issue(server, staff)
    issue(server, staff)
    page = open_page()
    sign_in(page, "chief")
    expect(page).to_have_url(re.compile("/manager$"))
    residence = page.locator("#queues-table tr", has_text="Dzīvesvietas deklarēšana")
    expect(residence.locator("td").nth(1)).to_have_text("2")
    expect(page.locator("#hub-link-card")).to_be_hidden()  # no network hub configured
    # A clerk calls through the API: the manager's page follows without a reload.
    anna = server.login("anna", counter_id="c1")
    with server.client(anna) as http:
        http.post("/counters/c1/open").raise_for_status()
        http.post("/counters/c1/call-next").raise_for_status()
    row = page.locator("#counters-table tr").first
    expect(row).to_contain_text("izsaukts")
    expect(row).to_contain_text(first["number"])
    expect(row).to_contain_text("anna")
    expect(residence.locator("td").nth(1)).to_have_text("1")
    expect(residence.locator("td").nth(4)).to_contain_text("100% (1/1)")
    # A kiosk reports its printer out of paper: the fault shows at once.
    with server.client(staff.kiosk) as http:
        http.post("/devices/me/status", json={"printer": "paper_out", "detail": "Papīrs beidzies"})
    device = page.locator("#devices-table tr", has_text="kiosk-1")
    expect(device).to_contain_text("nav papīra — Papīrs beidzies")
    expect(device).to_have_class(re.compile("fault"))
    expect(page.locator("#faults-list")).to_contain_text("kiosk-1")
    # The ticker text for the hall displays is set here.
    page.fill("#ticker-text", "Šodien strādājam līdz 16:00")
    page.click("#ticker-save-button")
    expect(page.locator("#ticker-result")).to_have_text("Saglabāts.")
    with server.client(staff.display) as http:
        assert http.get("/queue").json()["ticker"] == "Šodien strādājam līdz 16:00"
    page.wait_for_timeout(200)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "web-manager.png"), full_page=True)


def test_admin_manages_users_devices_and_hours(open_page, server, staff) -> None:
    server.add_user("root2", "admin")
    page = open_page()
    sign_in(page, "root2")
    page.goto("/admin")
    # A new clerk bound to counter 2 who can then sign in.
    page.fill("#new-username", "liga")
    page.fill("#new-display-name", "Līga Ozola")
    page.select_option("#new-counter", "c2")
    page.fill("#new-password", "liga-password")
    page.click("#add-user-button")
    expect(page.locator("#users-table")).to_contain_text("Līga Ozola")
    clerk = open_page()
    sign_in(clerk, "liga", "liga-password")
    expect(clerk.locator("#counter-name")).to_have_text("2. lodziņš")
    # Disabling her ends her sign-in.
    page.locator("#users-table tr", has_text="liga").get_by_role("button", name="Atspējot").click()
    expect(page.locator("#users-table tr", has_text="liga")).to_contain_text("atspējots")
    assert "/login" in clerk.goto("/console").url
    # A bad request explains itself and changes nothing.
    page.fill("#new-username", "x y")
    page.fill("#new-password", "short")
    page.evaluate("document.getElementById('new-password').removeAttribute('minlength')")
    page.click("#add-user-button")
    expect(page.locator("#error-message")).not_to_be_empty()
    expect(page.locator("#users-table tr")).to_have_count(2)
    # A device token is shown once and works.
    page.fill("#new-device-name", "kiosk-hall")
    page.click("#add-device-button")
    expect(page.locator("#device-token")).to_be_visible()
    token_text = page.locator("#device-token").inner_text()
    token = token_text.split()[-1]
    response = httpx.post(
        f"{server.url}/api/v1/tickets",
        json={"service_id": "residence"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201
    page.locator("#devices-table tr", has_text="kiosk-hall").get_by_role(
        "button", name="Atsaukt"
    ).click()
    expect(page.locator("#devices-table tr", has_text="kiosk-hall")).to_contain_text("atsaukta")
    response = httpx.post(
        f"{server.url}/api/v1/tickets",
        json={"service_id": "residence"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 401
    # An opening-hours exception: shortened day, then removed.
    page.fill("#new-date", "2026-12-24")
    page.fill("#new-hours", "09:00-13:00")
    page.fill("#new-note", "Ziemassvētku vakars")
    page.click("#add-hours-button")
    row = page.locator("#hours-table tr", has_text="24.12.2026")
    expect(row).to_contain_text("09:00-13:00")
    with server.client(staff.admin) as http:
        assert [h["date"] for h in http.get("/admin/hours").json()] == ["2026-12-24"]
    row.get_by_role("button", name="Noņemt").click()
    expect(page.locator("#hours-table tr")).to_have_count(0)


def test_pages_speak_three_languages(open_page, server) -> None:
    page = open_page("/login", locale="ru-RU")
    expect(page.locator("h1")).to_have_text("Вход")
    page.click("a[lang=en]")
    expect(page.locator("h1")).to_have_text("Sign in")
    server.add_user("anna", "clerk", counter_id="c1")
    sign_in(page, "anna")
    expect(page.locator("#counter-state")).to_have_text("Closed")
    page.click("a[lang=lv]")
    expect(page.locator("#counter-state")).to_have_text("Slēgts")


def test_public_ticket_page(open_page, server, staff) -> None:
    ticket = issue(server, staff)
    page = open_page(f"/t/{ticket['id']}")
    expect(page.locator("#ticket-number")).to_have_text(ticket["number"])
    expect(page.locator("#ticket-ahead")).to_contain_text("0")
    anna = staff.clerk("c1")
    with server.client(anna) as http:
        http.post("/counters/c1/open").raise_for_status()
        http.post("/counters/c1/call-next").raise_for_status()
    page.reload()
    expect(page.locator("#ticket-called")).to_contain_text("1. lodziņš")
    assert open_page("/t/not-a-ticket").locator("#ticket-unknown").is_visible()
