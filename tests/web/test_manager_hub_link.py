"""The manager's live view shows the network hub link: its state and lag, and that the
centre works on while the link is down; no hub card without a hub."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.catalogues import always_open
from tests.support.hub_link import link_config
from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.support.processes import free_port
from tests.support.running_server import RunningServer
from tests.web.conftest import sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def server(tmp_path: Path, clock) -> Iterator[RunningServer]:
    """A centre whose hub does not answer (nothing listens on its port)."""
    hub = link_config(f"http://127.0.0.1:{free_port()}", "token", first_backoff=5.0)
    with RunningServer(tmp_path / "data", clock=clock, catalogue=always_open(), hub=hub) as running:
        yield running


def test_manager_sees_the_hub_link_down_and_its_lag(open_page, server, staff) -> None:
    server.add_user("chief", "manager")
    for _ in range(3):
        with server.client(staff.kiosk) as http:
            http.post("/tickets", json={"service_id": "residence", "language": "lv"})
    page = open_page()
    sign_in(page, "chief")
    expect(page).to_have_url(re.compile("/manager$"))
    card = page.locator("#hub-link-card")
    expect(card).to_be_visible()
    expect(page.locator("#hub-link-state")).to_have_text("nav savienojuma, mēģina vēlreiz")
    expect(page.locator("#hub-link-state")).to_have_class("warn")
    expect(page.locator("#hub-link-lag")).to_contain_text("Vēl nenosūtīti notikumi: ")
    lag = int(page.locator("#hub-link-lag").inner_text().split(": ")[1].split(" ")[0])
    assert lag >= 3
    expect(page.locator("#hub-link-detail")).to_contain_text("Centrs strādā arī bez saites")
    card.scroll_into_view_if_needed()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    card.screenshot(path=str(SCREENSHOT_DIR / "web-manager-hub-link.png"))
