"""The manager's view shows a storage fault: what, which file, since when (Chromium).

The server runs in a process of its own: a fault it failed to foresee would be a
SIGBUS, which must not take the test run with it."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.support.catalogues import single_service_toml
from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.support.processes import free_port, rinda, start_server
from tests.support.unwritable import immutable, require_immutable_files
from tests.web.conftest import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_manager_sees_the_storage_fault_and_its_end(tmp_path: Path, browser) -> None:
    require_immutable_files(tmp_path)
    data = tmp_path / "data"
    catalogue = tmp_path / "centre.toml"
    catalogue.write_text(single_service_toml(1))
    rinda(
        "users",
        "add",
        "marta",
        "--role",
        "manager",
        "--password-stdin",
        "--data-dir",
        str(data),
        stdin="a long password\n",
    )
    port = free_port()
    process = start_server(data, port, catalogue)
    context = browser.new_context(
        base_url=f"http://127.0.0.1:{port}", viewport={"width": 1400, "height": 900}
    )
    try:
        page = context.new_page()
        page.set_default_timeout(10_000)
        page.clock.install()  # the view's 5-second poll runs when the test says so
        page.goto("/login?lang=lv")
        sign_in(page, "marta", "a long password")
        status = page.locator("#storage-status")
        expect(status).to_have_text("Datubāze: darbojas")
        with immutable(data / "rinda.sqlite3-wal"):
            page.reload()
            expect(status).to_contain_text("Datubāzē nevar ierakstīt")
            expect(status).to_contain_text("fails nav rakstāms (rinda.sqlite3-wal), kopš ")
            expect(status).to_contain_text("immutable or append-only attribute")
            page.wait_for_timeout(100)
            SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOT_DIR / "manager-storage-fault.png"))
        # Reading would write to the -shm index: the open view says so at its next poll,
        # a page opened now says so in place of the page.
        with immutable(data / "rinda.sqlite3-shm"):
            page.clock.run_for(6000)
            expect(status).to_contain_text("fails nav rakstāms (rinda.sqlite3-shm)")
            response = page.reload()
            assert response is not None and response.status == 503
            expect(page.locator("#storage-problem")).to_have_text(
                "fails nav rakstāms (rinda.sqlite3-shm)"
            )
            page.screenshot(path=str(SCREENSHOT_DIR / "storage-fault-page.png"))
        assert process.poll() is None, "the server kept running"
        page.reload()
        expect(status).to_have_text("Datubāze: darbojas")
    finally:
        context.close()
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert process.returncode == 0
