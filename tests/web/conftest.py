"""Browser tests: Debian's Chromium driven by Playwright, against a real server."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture
def open_page(browser, server) -> Iterator[Callable[..., object]]:
    """A fresh browser context (own cookies) per call, viewport 1600x1000."""
    contexts = []

    def make(path: str = "/login", **options):
        context = browser.new_context(
            viewport={"width": 1600, "height": 1000},
            base_url=server.url,
            locale=options.pop("locale", "lv-LV"),
            **options,
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.goto(path)
        return page

    yield make
    for context in contexts:
        context.close()


def sign_in(page, username: str, password: str = "correct horse", counter: str = "") -> None:
    """Fill the sign-in form and submit."""
    page.fill("#username", username)
    page.fill("#password", password)
    if counter:
        page.select_option("#counter_id", counter)
    page.click("#login-button")
    page.wait_for_load_state("networkidle")
