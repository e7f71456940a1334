"""The hub's pages in Chromium: the live view of the centres (`/network`) and the
quarterly report (`/network/reports`), in Latvian, Russian and English; an analyst of one
municipality sees only its centres; a centre whose link is down is shown as down with
its last event, never as an empty hall; a revoked user's page stops at once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from core.clock import ManualClock
from hub.link_state import DOWN_AFTER
from hub.simulated_logs import days_log, profile
from tests.support.catalogues import MONDAY_MORNING
from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.support.network_scene import Network, network
from tests.support.postgres_fixtures import TEMPLATE
from tests.support.processes import rinda
from tests.support.running_hub import RunningHub

pytestmark = pytest.mark.browser
LANGUAGES = {
    "lv": {"down": "nav saites", "unknown": "nav zināms", "report": "Ceturkšņa monitoringa"},
    "ru": {"down": "нет связи", "unknown": "неизвестно", "report": "Квартальный отчёт"},
    "en": {"down": "link down", "unknown": "not known", "report": "Quarterly monitoring report"},
}
RAW_CODES = re.compile(r"\b(catching_up|never|revoked|service_level|wait_seconds)\b")


@pytest.fixture
def scene(tmp_path: Path, hub_dsn: str) -> Iterator[Network]:
    """Three busy centres in two municipalities and one whose link went down."""
    clock = ManualClock(MONDAY_MORNING)
    with network(hub_dsn, clock, session_idle=timedelta(days=1)) as net:
        for seed, (centre_id, municipality, name) in enumerate(
            (
                ("riga-centrs", "Rīga", "Rīgas centra klientu centrs"),
                ("riga-imanta", "Rīga", "Imantas klientu centrs"),
                ("ogre", "Ogre", "Ogres novada klientu centrs"),
                ("sigulda", "Sigulda", "Siguldas klientu centrs"),
            )
        ):
            net.add_centre(tmp_path, centre_id, municipality, name, seed=40 + seed)
        net.centres["sigulda"].activity.run(20)
        net.settle()
        net.take_down("sigulda")  # its link goes down
        clock.advance(DOWN_AFTER + timedelta(seconds=30))
        for _ in range(12):  # in turns: no centre's clerks sit idle past their session
            for centre_id in ("riga-centrs", "riga-imanta", "ogre"):
                net.centres[centre_id].activity.run(10)
        net.settle()
        net.hub.add_user("analyst", "analyst")
        net.hub.add_user("ogre-analyst", "analyst", municipality="Ogre")
        yield net


@pytest.fixture
def hub_page(browser) -> Iterator[Callable[..., Page]]:
    """A fresh browser context (own cookies) on a hub, viewport 1600x1000."""
    contexts = []

    def make(hub: RunningHub, path: str = "/login", locale: str = "lv-LV") -> Page:
        context = browser.new_context(
            viewport={"width": 1600, "height": 1000}, base_url=hub.url, locale=locale
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(path)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page: Page, username: str, password: str = "correct horse") -> None:
    """Sign in and wait for the page it leads to (the live view never goes quiet on the
    network: it follows a stream)."""
    page.fill("#username", username)
    page.fill("#password", password)
    with page.expect_navigation():
        page.click("#login-button")
    page.wait_for_load_state("domcontentloaded")


def api_live(hub: RunningHub, user: str) -> dict[str, Any]:
    with hub.client(hub.login(user)) as http:
        return dict(http.get("/network/live").json())


def screenshot(page: Page, name: str) -> None:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(300)
    page.screenshot(path=str(SCREENSHOT_DIR / name), full_page=True)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_live_view_shows_every_centre_and_a_silent_one_as_down(
    scene: Network, hub_page, language: str
) -> None:
    words = LANGUAGES[language]
    page = hub_page(scene.hub, f"/login?lang={language}")
    sign_in(page, "analyst")
    expect(page).to_have_url(re.compile(r"/network$"))
    rows = page.locator("#centres-body tr")
    expect(rows).to_have_count(4)
    live = {c["id"]: c for c in api_live(scene.hub, "analyst")["centres"]}
    for centre_id in ("riga-centrs", "riga-imanta", "ogre"):
        row = page.locator(f"tr[data-centre='{centre_id}']")
        hall = live[centre_id]["live"]
        expect(row.locator(".waiting")).to_have_text(str(hall["waiting"]))
        expect(row.locator(".counters-open")).to_have_text(str(hall["counters_open"]))
        expect(row.locator(".served-today")).to_have_text(str(hall["served_today"]))
    down = page.locator("tr[data-centre='sigulda']")
    expect(down.locator(".link")).to_contain_text(words["down"])
    expect(down.locator(".unknown")).to_have_text(words["unknown"])
    assert down.locator(".waiting").count() == 0  # no "0 waiting" for a hall nobody knows
    last_event = live["sigulda"]["link"]["last_event_at"]
    shown = page.evaluate("(iso) => Rinda.dateTime(iso)", last_event)
    expect(down.locator(".last-event")).to_contain_text(shown)
    assert not RAW_CODES.search(page.locator("main").inner_text())
    expect(page.locator("#connection-status")).to_have_class(re.compile("live"))
    screenshot(page, f"network-live-{language}.png")


def test_the_live_view_follows_the_centres_without_reloading(scene: Network, hub_page) -> None:
    page = hub_page(scene.hub)
    sign_in(page, "analyst")
    riga = scene.centres["riga-centrs"]
    row = page.locator("tr[data-centre='riga-centrs'] .waiting")
    before = int(row.inner_text())
    for _ in range(3):
        riga.activity.issue()
    scene.settle()
    waiting = sum(s["waiting"] for s in riga.get("/queue")["services"])
    assert waiting > before
    expect(row).to_have_text(str(waiting))  # the stream told the page


def test_an_analyst_of_one_municipality_sees_only_its_centres(scene: Network, hub_page) -> None:
    page = hub_page(scene.hub, "/login?lang=en")
    sign_in(page, "ogre-analyst")
    expect(page.locator("#centres-body tr")).to_have_count(1)
    expect(page.locator("#centres-body")).to_contain_text("Ogres novada klientu centrs")
    options = page.locator("#municipality-select option").all_inner_texts()
    assert options == ["All", "Ogre"]
    page.goto("/network?municipality=Rīga")  # another municipality: still only Ogre's
    expect(page.locator("#centres-body tr")).to_have_count(1)
    page.goto("/network/reports")
    places = page.locator("#centre-table tbody tr td:nth-child(2)").all_inner_texts()
    assert places == ["Ogre"]
    cookies = {c["name"]: c["value"] for c in page.context.cookies()}
    with httpx.Client(base_url=f"{scene.hub.url}/api/v1", cookies=cookies) as http:
        ids = [c["id"] for c in http.get("/network/live").json()["centres"]]
        assert ids == ["ogre"]
        assert http.get("/network/stats", params={"centre": "riga-centrs"}).status_code == 404
        # The page's session cookie cannot change anything without its CSRF token.
        assert http.delete("/session").status_code == 403
        csrf = http.get("/session").json()["csrf_token"]
        assert http.delete("/session", headers={"X-CSRF-Token": csrf}).status_code == 204


def test_a_disabled_user_is_signed_out_of_the_live_view_at_once(scene: Network, hub_page) -> None:
    page = hub_page(scene.hub)
    sign_in(page, "analyst")
    expect(page.locator("#connection-status")).to_have_class(re.compile("live"))
    rinda("hub", "users", "disable", "analyst", "--database", scene.hub.dsn)
    expect(page).to_have_url(re.compile(r"/login\?error=ended"), timeout=20_000)


# -- the quarterly report ----------------------------------------------------------------

HISTORY = (
    ("riga-centrs", "Rīga", "Rīgas centra klientu centrs"),
    ("riga-imanta", "Rīga", "Imantas klientu centrs"),
    ("ogre", "Ogre", "Ogres novada klientu centrs"),
    ("ikskile", "Ogre", "Ikšķiles klientu centrs"),
    ("sigulda", "Sigulda", "Siguldas klientu centrs"),
)


@pytest.fixture(scope="module")
def history(pg_cluster) -> Iterator[RunningHub]:
    """Two quarters of simulated working days (two a month per centre), shipped to the hub
    through its API as the centres' shippers would."""
    dsn = pg_cluster.create_database(template=TEMPLATE)
    clock = ManualClock(MONDAY_MORNING)
    days = [date(2026, month, day) for month in range(7, 13) for day in (6, 20)]
    days = [day for day in days if day <= clock.now().date()]
    with RunningHub(dsn, clock=clock) as hub:
        for seed, (centre_id, municipality, name) in enumerate(HISTORY):
            token = hub.add_centre(centre_id, municipality, name=name)
            log = days_log(centre_id, days, seed)
            with hub.client(token) as http:
                http.put(f"/centres/{centre_id}/profile", json=profile()).raise_for_status()
                for first in range(0, len(log), 2000):
                    part = log[first : first + 2000]
                    body = {"after": first, "through": first + len(part), "events": part}
                    http.post(
                        f"/centres/{centre_id}/events",
                        content=json.dumps(body),
                        headers={"content-type": "application/json"},
                    ).raise_for_status()
        hub.add_user("analyst", "analyst")
        hub.add_user("ogre-analyst", "analyst", municipality="Ogre")
        yield hub
    pg_cluster.drop_database(dsn)


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_the_quarterly_report_in_three_languages(
    history: RunningHub, hub_page, language: str
) -> None:
    page = hub_page(history, f"/login?lang={language}")
    sign_in(page, "analyst")
    page.click("a[href='/network/reports']")
    expect(page.locator("h1")).to_contain_text(LANGUAGES[language]["report"])
    expect(page.locator("h1")).to_contain_text("2026-Q4")
    with history.client(history.login("analyst")) as http:
        quarter = {"from": "2026-10-01", "to": "2026-12-31"}
        total = http.get("/network/stats", params={**quarter, "group": "total"}).json()
        by_place = http.get("/network/stats", params={**quarter, "group": "municipality"}).json()
    visits = total["groups"]["total"]["issued"] + total["groups"]["total"]["walk_direct"]
    expect(page.locator("#key-figures li").first).to_contain_text(str(visits))
    rows = page.locator("#municipality-table tbody tr")
    expect(rows).to_have_count(len(by_place["groups"]))
    for index, (place, figures) in enumerate(by_place["groups"].items()):
        cells = rows.nth(index).locator("td")
        expect(cells.nth(0)).to_have_text(place)
        expect(cells.nth(1)).to_have_text(str(figures["issued"] + figures["walk_direct"]))
    expect(page.locator("#centre-table tbody tr")).to_have_count(len(HISTORY))
    # Against the previous quarter, which holds data too: a change is shown.
    expect(page.locator("#visits-change strong")).to_have_text(re.compile(r"^[+-]\d"))
    for chart in ("trend", "visits", "waits", "feedback"):
        image = page.locator(f"#chart-{chart} img")
        expect(image).to_be_visible()
        assert image.evaluate("(img) => img.complete && img.naturalWidth") > 300
    assert not RAW_CODES.search(page.locator("main").inner_text())
    assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0
    screenshot(page, f"network-report-{language}.png")
    page.emulate_media(media="print")
    expect(page.locator("#report-filter")).to_be_hidden()
    page.emulate_media(media="screen")
    page.click("#previous-link")
    expect(page.locator("h1")).to_contain_text("2026-Q3")
    page.goto("/network/reports?quarter=Q5")
    expect(page.locator("#report-error")).to_be_visible()


def test_an_analyst_of_one_municipality_reports_on_its_centres_only(
    history: RunningHub, hub_page
) -> None:
    page = hub_page(history, "/login?lang=en")
    sign_in(page, "ogre-analyst")
    page.goto("/network/reports")
    places = page.locator("#municipality-table tbody tr td:first-child").all_inner_texts()
    assert places == ["Ogre"]
    centres = page.locator("#centre-table tbody tr td:first-child").all_inner_texts()
    assert sorted(centres) == ["Ikšķiles klientu centrs", "Ogres novada klientu centrs"]
    options = page.locator("#report-municipality option").all_inner_texts()
    assert options == ["All", "Ogre"]
