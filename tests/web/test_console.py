"""The clerk console in Chromium: the full visit, live updates, races, keyboard, roles, escaping."""

from __future__ import annotations

import re
from datetime import UTC, timedelta

import pytest
from playwright.sync_api import expect

from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


def issue(server, staff, service: str = "residence") -> dict:
    with server.client(staff.kiosk) as http:
        response = http.post("/tickets", json={"service_id": service, "language": "ru"})
        response.raise_for_status()
        return response.json()


def test_clerk_calls_starts_and_finishes(open_page, server, staff) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    ticket = issue(server, staff)
    page = open_page()
    sign_in(page, "anna")
    expect(page).to_have_url(re.compile("/console$"))
    expect(page.locator("#counter-state")).to_have_text("Slēgts")
    expect(page.locator("#call-next-button")).to_be_disabled()
    page.click("#open-button")
    expect(page.locator("#counter-state")).to_have_text("Atvērts")
    expect(page.locator("#waiting-list")).to_contain_text(ticket["number"])
    page.click("#call-next-button")
    expect(page.locator("#current-number")).to_have_text(ticket["number"])
    expect(page.locator("#current-status")).to_have_text("izsaukts")
    expect(page.locator("#current-language")).to_have_text("krievu")
    expect(page.locator("#finish-button")).to_be_disabled()
    expect(page.locator("#waiting-empty")).to_be_visible()
    page.click("#start-button")
    expect(page.locator("#current-status")).to_have_text("apkalpo")
    expect(page.locator("#start-button")).to_be_disabled()
    page.click("#finish-button")
    page.fill("#finish-note", "Izziņa izsniegta")
    page.click("#finish-confirm-button")
    expect(page.locator("#current-empty")).to_be_visible()
    expect(page.locator("#last-served")).to_contain_text(f"{ticket['number']} — Izziņa izsniegta")
    with server.client(staff.manager) as http:
        stored = http.get(f"/tickets/{ticket['id']}").json()
    assert stored["status"] == "done" and stored["note"] == "Izziņa izsniegta"
    assert stored["delivered_service"] == "residence" and stored["clerk"] == "anna"


def test_a_ticket_issued_elsewhere_appears_without_reload(open_page, server, staff) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    page = open_page()
    sign_in(page, "anna")
    page.click("#open-button")
    expect(page.locator("#waiting-empty")).to_be_visible()
    expect(page.locator("#connection-status")).to_contain_text("Tiešsaistē")
    page.evaluate("window.noReload = true")
    ticket = issue(server, staff, "certificates")
    expect(page.locator("#waiting-list")).to_contain_text(ticket["number"], timeout=3000)
    expect(page.locator("#waiting-summary")).to_contain_text("Izziņas un apliecinājumi: 1")
    assert page.evaluate("window.noReload") is True, "the page was not reloaded"
    # A ticket for a service this counter does not serve does not appear.
    other = issue(server, staff, "building-board")
    page.wait_for_timeout(500)
    expect(page.locator("#waiting-list")).not_to_contain_text(other["number"])


def test_two_clerks_pressing_call_next_at_once_never_get_the_same_ticket(
    open_page, server, staff
) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    server.add_user("janis", "clerk", counter_id="c2")
    pages = []
    for name in ("anna", "janis"):
        page = open_page()
        sign_in(page, name)
        page.click("#open-button")
        expect(page.locator("#counter-state")).to_have_text("Atvērts")
        pages.append(page)
    for _ in range(3):
        issue(server, staff)
    for page in pages:
        expect(page.locator("#call-next-button")).to_be_enabled()
    # Both clicks are scheduled for the same instant in each page.
    moment = pages[0].evaluate("Date.now() + 400")
    for page in pages:
        page.evaluate(
            "(at) => setTimeout(() => document.getElementById('call-next-button').click(),"
            " at - Date.now())",
            moment,
        )
    numbers = []
    for page in pages:
        expect(page.locator("#current-number")).to_have_text(re.compile(r"A00\d"))
        numbers.append(page.locator("#current-number").inner_text())
    assert len(set(numbers)) == 2, numbers
    with server.client(staff.manager) as http:
        counters = {c["id"]: c["current_ticket_id"] for c in http.get("/counters").json()}
    assert counters["c1"] != counters["c2"] and None not in (counters["c1"], counters["c2"])


def test_keyboard_only(open_page, server, staff) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    ticket = issue(server, staff)
    page = open_page()
    expect(page.locator("#username")).to_be_focused()  # the page puts the cursor there
    page.keyboard.type("anna")
    page.keyboard.press("Tab")
    page.keyboard.type("correct horse")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile("/console$"))
    page.keyboard.press("o")
    expect(page.locator("#counter-state")).to_have_text("Atvērts")
    page.keyboard.press("n")
    expect(page.locator("#current-number")).to_have_text(ticket["number"])
    page.keyboard.press("r")
    page.keyboard.press("s")
    expect(page.locator("#current-status")).to_have_text("apkalpo")
    page.keyboard.press("f")
    expect(page.locator("#delivered-service")).to_be_focused()
    page.keyboard.press("Tab")
    page.keyboard.type("ar tastatūru")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#current-empty")).to_be_visible()
    with server.client(staff.manager) as http:
        stored = http.get(f"/tickets/{ticket['id']}").json()
    assert stored["status"] == "done" and stored["recall_count"] == 1
    assert stored["note"] == "ar tastatūru"
    # Every action button says its shortcut.
    for button in page.locator(".actions button").all():
        assert button.locator("kbd").count() == 1


def test_transfer_park_resume_and_walk_in(open_page, server, staff) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    first = issue(server, staff)
    page = open_page()
    sign_in(page, "anna", counter="")
    page.click("#open-button")
    page.click("#call-next-button")
    expect(page.locator("#current-number")).to_have_text(first["number"])
    page.click("#park-button")
    expect(page.locator("#parked-list")).to_contain_text(first["number"])
    page.click("#parked-list button")
    expect(page.locator("#current-number")).to_have_text(first["number"])
    page.click("#transfer-button")
    page.select_option("#transfer-service", "social-assistance")
    page.click("#transfer-confirm-button")
    expect(page.locator("#current-empty")).to_be_visible()
    with server.client(staff.manager) as http:
        moved = http.get(f"/tickets/{first['id']}").json()
    assert moved["service_id"] == "social-assistance" and moved["number"] == first["number"]
    page.click("#walk-direct-button")
    page.select_option("#walk-service", "certificates")
    page.click("#walk-confirm-button")
    expect(page.locator("#current-number")).to_have_text("C001")
    expect(page.locator("#current-status")).to_have_text("apkalpo")


def test_server_errors_are_shown_in_plain_words(open_page, server, staff) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    page = open_page()
    sign_in(page, "anna")
    page.click("#open-button")
    expect(page.locator("#counter-state")).to_have_text("Atvērts")
    # Another session closes the counter behind the page's back.
    with server.client(server.login("anna")) as http:
        http.post("/counters/c1/close").raise_for_status()
    # Wait until the page has heard of it (else the live update would disable the button
    # again after the line below), then press the button as a stale page would.
    expect(page.locator("#counter-state")).to_have_text("Slēgts")
    page.evaluate("document.getElementById('call-next-button').disabled = false")
    page.click("#call-next-button")
    expect(page.locator("#error-message")).to_contain_text("Counter c1 is closed; open it first.")


def test_clerk_without_a_bound_counter_chooses_one(open_page, server) -> None:
    server.add_user("floater", "clerk")
    page = open_page()
    sign_in(page, "floater")
    expect(page.locator("#counter-form")).to_be_visible()
    page.select_option("#counter-choice", "c3")
    page.click("#counter-choose-button")
    expect(page.locator("#counter-name")).to_have_text("3. lodziņš")


def test_role_limits(open_page, server) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    server.add_user("boss2", "manager")
    clerk = open_page()
    sign_in(clerk, "anna")
    for path in ("/manager", "/admin"):
        response = clerk.goto(path)
        assert response.status == 403
        expect(clerk.locator("#forbidden-message")).to_have_text("Jums nav tiesību atvērt šo lapu.")
    manager = open_page()
    sign_in(manager, "boss2")
    expect(manager).to_have_url(re.compile("/manager$"))
    assert manager.goto("/admin").status == 403
    anonymous = open_page("/console")
    expect(anonymous).to_have_url(re.compile("/login"))


def test_csrf_is_required(open_page, server) -> None:
    server.add_user("anna", "clerk", counter_id="c1")
    page = open_page()
    sign_in(page, "anna")
    status = page.evaluate("""async () => (await fetch('/api/v1/counters/c1/open',
        {method: 'POST', credentials: 'same-origin'})).status""")
    assert status == 403
    expect(page.locator("#counter-state")).to_have_text("Slēgts")
    # A forged sign-out form without the token does not end the session.
    # Wait for the form's own navigation to finish, or the next goto races with it.
    with page.expect_navigation():
        page.evaluate("""() => { const f = document.createElement('form'); f.method = 'post';
            f.action = '/logout'; document.body.append(f); f.submit(); }""")
    assert page.goto("/console").url.endswith("/console")
    # The sign-out button (with the token) does.
    page.click("#logout-button")
    expect(page).to_have_url(re.compile("/login$"))
    assert "/login" in page.goto("/console").url


def test_text_typed_by_people_renders_inert(open_page, server, staff) -> None:
    script = "<script>window.pwned = 1</script><img src=x onerror='window.pwned=2'>"
    server.add_user("mallory", "clerk", counter_id="c1")
    from server.admin import run_admin

    run_admin(
        server.data_dir,
        lambda tx: tx.execute(
            "UPDATE users SET display_name = ? WHERE username = 'mallory'", (script,)
        ),
    )
    ticket = issue(server, staff)
    page = open_page()
    sign_in(page, "mallory")
    expect(page.locator("#user-name")).to_have_text(script)
    page.click("#open-button")
    page.click("#call-next-button")
    page.click("#start-button")
    page.click("#finish-button")
    page.fill("#finish-note", script)
    page.click("#finish-confirm-button")
    expect(page.locator("#last-served")).to_contain_text(script)
    with server.client(staff.manager) as http:
        http.put("/display/ticker", json={"text": script}).raise_for_status()
    manager = open_page()
    sign_in(manager, "boss")
    expect(manager.locator("#ticker-text")).to_have_value(script)
    expect(manager.locator("#counters-table")).to_contain_text(script)
    for checked in (page, manager):
        assert checked.evaluate("window.pwned") is None
    assert ticket["number"] in page.content()


def test_console_screenshot(open_page, server, staff) -> None:
    server.add_user(
        "anna",
        "clerk",
        counter_id="c1",
    )
    for service in ("residence", "certificates", "residence", "property-tax"):
        issue(server, staff, service)
    with server.client(staff.kiosk) as http:
        http.post("/tickets", json={"service_id": "residence", "priority": True}).raise_for_status()
    page = open_page()
    # The browser's clock at the server's (test) time, so that the waits shown are real.
    page.clock.set_fixed_time(server.ctx.clock.now())
    sign_in(page, "anna")
    page.click("#open-button")
    page.click("#call-next-button")
    page.click("#start-button")
    expect(page.locator("#current-status")).to_have_text("apkalpo")
    expect(page.locator("#current-priority")).to_have_text("★ jā")
    page.wait_for_timeout(300)
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "web-console.png"), full_page=True)


def test_the_console_shows_who_is_booked_next_and_marks_arrivals(
    open_page, server, staff, clock
) -> None:
    from tests.server.test_appointments import BOARD_NOON, book

    with server.client(staff.kiosk) as http:
        counter_id = next(
            c["id"] for c in http.get("/counters").json() if "building-board" in c["service_ids"]
        )
        assert http.get(f"/counters/{counter_id}/bookings").status_code == 403
    with server.client() as public:
        book(public, BOARD_NOON, phone="20000001")
        later = book(public, BOARD_NOON + timedelta(minutes=30), phone="20000002")
        public.post(f"/appointments/manage/{later['manage_token']}/cancel").raise_for_status()
    server.add_user("anna", "clerk", counter_id=counter_id)
    page = open_page()
    sign_in(page, "anna")
    bookings = page.locator("#bookings-list tr")
    expect(bookings).to_have_count(1)  # the cancelled one is not shown
    expect(bookings.first.locator("td")).to_have_text(
        ["14:00", "Anna B.", "Būvvaldes konsultācijas", "Ieradās"]
    )
    assert "Bērziņa" not in page.content()
    page.click("#open-button")
    page.click("#bookings-list button")
    # Marked four hours early: the ticket waits for the booked time.
    waiting = page.locator("#waiting-list tr")
    expect(waiting).to_have_count(1)
    expect(waiting.first).to_contain_text("pieraksts 14:00")
    expect(page.locator("#bookings-empty")).to_be_visible()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOT_DIR / "web-console-booked.png"), full_page=True)
    with server.client(staff.manager) as http:
        ticket = http.get(f"/counters/{counter_id}/waiting").json()[0]
    assert ticket["appointment_at"] == BOARD_NOON.astimezone(UTC).isoformat()
    # Another booking, never checked in, leaves the list once its window has closed.
    with server.client() as public:
        book(public, BOARD_NOON + timedelta(minutes=60), phone="20000003")
    page.reload()
    expect(bookings).to_have_count(1)
    clock.advance(timedelta(hours=5, minutes=11))  # 15:11: its window closed at 15:10
    with server.client(staff.clerk(counter_id)) as http:
        assert http.get(f"/counters/{counter_id}/bookings").json() == []
