"""The hub's catalogue page as an admin and an analyst use it: publish from the form
(pasted or uploaded), an error naming the field, rollback, the centres' versions."""

from __future__ import annotations

import re
from collections.abc import Iterator

import httpx
import pytest

from core.data import national_catalogue_text
from tests.support.running_hub import RunningHub


@pytest.fixture
def hub(hub_dsn: str) -> Iterator[RunningHub]:
    with RunningHub(hub_dsn) as running:
        running.add_user("ieva", "admin")
        running.add_user("andris", "analyst")
        yield running


def signed_in(hub: RunningHub, name: str) -> httpx.Client:
    browser = httpx.Client(base_url=hub.url, timeout=30)
    csrf = browser.get("/login").text.split('name="csrf" value="')[1].split('"')[0]
    answer = browser.post(
        "/login", data={"username": name, "password": "correct horse", "csrf": csrf}
    )
    assert answer.status_code == 303
    return browser


def page_csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html.split("publish-form")[1])[1]


def test_publish_upload_error_and_rollback_from_the_page(hub: RunningHub) -> None:
    browser = signed_in(hub, "ieva")
    page = browser.get("/network/catalogue")
    assert page.status_code == 200 and 'id="no-catalogue"' in page.text
    csrf = page_csrf(page.text)
    document = national_catalogue_text()
    answer = browser.post(
        "/network/catalogue/publish",
        data={"csrf": csrf, "note": "Pirmā versija", "document": document},
    )
    assert answer.status_code == 303 and answer.headers["location"].endswith("published=1")
    page = browser.get(answer.headers["location"]).text
    assert "Pirmā versija" in page and 'id="version-1"' in page

    bad = document.replace("LV80BANK0000435195001", "LV80BANK0000435195002")
    answer = browser.post(
        "/network/catalogue/publish",
        data={"csrf": csrf, "note": "bad"},
        files={"upload": ("upload.toml", bad.encode(), "text/plain")},
    )
    assert answer.status_code == 422
    assert (
        "upload.toml: departments[0].iban: &#39;LV80BANK0000435195002&#39; is not a valid IBAN"
        in answer.text
    )

    better = document.replace('name = { lv = "Izziņas un apliecinājumi"', 'name = { lv = "Izziņas"')
    answer = browser.post(
        "/network/catalogue/publish",
        data={"csrf": csrf, "note": "Shorter name"},
        files={"upload": ("v2.toml", better.encode(), "text/plain")},
    )
    assert answer.headers["location"].endswith("published=2")
    page = browser.get("/network/catalogue").text
    assert "Service &#39;certificates&#39;: name.lv changed from" in page

    forged = browser.post("/network/catalogue/rollback", data={"csrf": "x", "version": "1"})
    assert forged.status_code == 303 and "published" not in forged.headers["location"]
    answer = browser.post(
        "/network/catalogue/rollback", data={"csrf": csrf, "version": "1", "note": "name"}
    )
    assert answer.headers["location"].endswith("published=3")
    page = browser.get("/network/catalogue").text
    assert "Rollback to version 1: name" in page

    exported = browser.get("/network/catalogue/export?version=1")
    assert exported.text == document
    assert "national-catalogue-v1.toml" in exported.headers["content-disposition"]


def test_an_analyst_reads_but_cannot_publish(hub: RunningHub) -> None:
    admin = hub.client(hub.login("ieva"))
    admin.post("/catalogue/versions", json={"document": national_catalogue_text(), "note": "v1"})
    hub.add_centre("ogre-1", "Ogre", name="Ogres KAC")
    browser = signed_in(hub, "andris")
    page = browser.get("/network/catalogue").text
    assert 'id="publish-form"' not in page and "rollback" not in page.split("versions-table")[1]
    assert 'id="centre-ogre-1"' in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)[1]
    refused = browser.post(
        "/network/catalogue/publish", data={"csrf": csrf, "note": "x", "document": "x"}
    )
    assert refused.status_code == 403
