"""The public ticket page behind the QR code: on a phone, live, showing only its ticket."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import expect

from tests.support.kivy_harness import SCREENSHOT_DIR

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
VIEW_KEYS = {
    "number",
    "service",
    "status",
    "final",
    "called",
    "counter",
    "people_ahead",
    "wait",
    "status_text",
}


@pytest.fixture
def phone(browser, server) -> Iterator[object]:
    context = browser.new_context(base_url=server.url, locale="lv-LV", **PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def issue(server, staff, service: str = "residence") -> dict:
    with server.client(staff.kiosk) as http:
        response = http.post("/tickets", json={"service_id": service, "language": "lv"})
        response.raise_for_status()
        return response.json()


def test_the_page_follows_its_ticket_live_without_reloading(phone, server, staff) -> None:
    first = issue(server, staff)
    mine = issue(server, staff)
    phone.goto(f"/t/{mine['id']}")
    expect(phone.locator("#ticket-number")).to_have_text(mine["number"])
    expect(phone.locator("#ticket-ahead-count")).to_have_text("1")
    expect(phone.locator("#ticket-connection")).to_have_text("Lapa rāda izmaiņas uzreiz.")
    phone.evaluate("window.sameDocument = true")
    clerk = staff.clerk("c1")
    with server.client(clerk) as http:
        http.post("/counters/c1/open").raise_for_status()
        http.post("/counters/c1/call-next").raise_for_status()
        expect(phone.locator("#ticket-ahead-count")).to_have_text("0")
        SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
        phone.screenshot(path=str(SCREENSHOT_DIR / "ticket-page-waiting.png"), full_page=True)
        http.post(f"/tickets/{first['id']}/start").raise_for_status()
        http.post(f"/tickets/{first['id']}/finish").raise_for_status()
        http.post("/counters/c1/call-next").raise_for_status()
        expect(phone.locator("#ticket-called")).to_contain_text("Lūdzu, dodieties uz: 1. lodziņš")
        expect(phone.locator("#ticket-waiting")).to_be_hidden()
        phone.screenshot(path=str(SCREENSHOT_DIR / "ticket-page-called.png"), full_page=True)
        http.post(f"/tickets/{mine['id']}/start").raise_for_status()
        http.post(f"/tickets/{mine['id']}/finish").raise_for_status()
    expect(phone.locator("#ticket-state")).to_have_text("apkalpots")
    expect(phone.locator("#ticket-live")).to_have_attribute("data-final", "true")
    assert phone.evaluate("window.sameDocument") is True, "updated in place, not reloaded"


def test_language_links_are_large_enough_to_touch(phone, server, staff) -> None:
    ticket = issue(server, staff)
    phone.goto(f"/t/{ticket['id']}")
    links = phone.locator(".languages a")
    expect(links).to_have_count(3)
    for index in range(3):
        box = links.nth(index).bounding_box()
        assert box is not None and box["width"] >= 44 and box["height"] >= 44, box
    phone.locator("a[lang=ru]").tap()
    expect(phone.locator("#ticket-service")).to_have_text("Декларирование места жительства")
    expect(phone.locator("#ticket-connection")).to_have_text("Страница сразу показывает изменения.")
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "nothing runs off the side of a phone screen"
    phone.screenshot(path=str(SCREENSHOT_DIR / "ticket-page-ru.png"), full_page=True)


def _messages(response: httpx.Response) -> Iterator[tuple[str, dict]]:
    """(event type, data) of each SSE message of a streamed response."""
    kind, data = "", ""
    for line in response.iter_lines():
        if line.startswith("event: "):
            kind = line[7:]
        elif line.startswith("data: "):
            data = line[6:]
        elif line == "" and data:
            yield kind, json.loads(data)
            kind, data = "", ""


def test_the_ticket_stream_carries_only_that_tickets_view(server, staff) -> None:
    mine = issue(server, staff)
    others = [issue(server, staff) for _ in range(2)]
    url = f"{server.url}/t/{mine['id']}/events?lang=en"
    seen: list[tuple[str, dict]] = []
    raw: list[str] = []
    with httpx.stream("GET", url, timeout=10) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        messages = _messages(response)
        seen.append(next(messages))
        clerk = staff.clerk("c1")
        with server.client(clerk) as http:
            http.post("/counters/c1/open").raise_for_status()
            for other in others:  # other visitors' tickets move ...
                http.post(f"/tickets/{other['id']}/call", json={"counter_id": "c1"})
                http.post(f"/tickets/{other['id']}/start").raise_for_status()
                http.post(f"/tickets/{other['id']}/finish").raise_for_status()
            # ... then this one is called and finished.
            http.post(f"/tickets/{mine['id']}/call", json={"counter_id": "c1"}).raise_for_status()
            http.post(f"/tickets/{mine['id']}/start").raise_for_status()
            http.post(f"/tickets/{mine['id']}/finish").raise_for_status()
        for message in messages:
            seen.append(message)
            raw.append(json.dumps(message))
        # The stream ended by itself after the final status.
    assert {kind for kind, _ in seen} == {"ticket"}
    assert all(set(view) == VIEW_KEYS for _, view in seen)
    assert seen[0][1]["status"] == "waiting"
    assert any(view["called"] and view["counter"] == "Counter 1" for _, view in seen)
    assert seen[-1][1] == {**seen[-1][1], "status": "done", "final": True}
    text = json.dumps(seen)
    for other in others:
        assert other["number"] not in text and other["id"] not in text
    assert mine["id"] not in text, "not even its own id: the view is for showing"


def test_the_ticket_stream_refuses_unknown_tickets_and_floods(server, staff) -> None:
    response = httpx.get(f"{server.url}/t/0123456789abcdef/events")
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_ticket"
    ticket = issue(server, staff)
    url = f"{server.url}/t/{ticket['id']}/events"
    with httpx.Client(timeout=10) as client:
        streams = [client.stream("GET", url) for _ in range(4)]
        opened = [stream.__enter__() for stream in streams]
        try:
            assert all(r.status_code == 200 for r in opened)
            refused = httpx.get(url)
            assert refused.status_code == 429
            assert refused.json()["code"] == "too_many_streams"
        finally:
            for stream in streams:
                stream.__exit__(None, None, None)
