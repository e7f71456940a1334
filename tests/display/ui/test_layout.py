"""The board's layout on real screens (Kivy under Xvfb, a real server with a busy hall):
at 1920×1080, 1366×768 and portrait 1080×1920, in Latvian, Russian and English,
no text breaks inside a word, overflows its box, overlaps another or is smaller
than the viewing distance requires. Screenshots go to $RINDA_SCREENSHOTS."""

from __future__ import annotations

import pytest

from tests.display.ui.geometry import board_problems
from tests.support.running_server import RunningServer

pytestmark = pytest.mark.gui

SIZES = [(1920, 1080), (1366, 768), (1080, 1920)]


def busy_hall(server: RunningServer, manager: str, kiosk: str) -> None:
    """Tickets for most services; three calls open (the newest to the room on the second
    floor), two already served."""
    with server.client(kiosk) as http:
        for service in (
            "residence",
            "residence",
            "residence",
            "certificates",
            "certificates",
            "social-assistance",
            "social-assistance",
            "building-board",
            "property-tax",
            "specialist",
        ):
            http.post("/tickets", json={"service_id": service}).raise_for_status()
    with server.client(manager) as http:
        for counter in ("c1", "c2", "c3", "c4"):
            http.post(f"/counters/{counter}/open").raise_for_status()

        def call(counter: str) -> dict:
            answer = http.post(f"/counters/{counter}/call-next")
            answer.raise_for_status()
            return answer.json()

        served = call("c1")
        http.post(f"/tickets/{served['id']}/start").raise_for_status()
        http.post(f"/tickets/{served['id']}/finish").raise_for_status()
        call("c1")
        served = call("c2")
        http.post(f"/tickets/{served['id']}/start").raise_for_status()
        call("c3")
        call("c4")


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_board_layout(make_display, server, staff, size, language) -> None:
    busy_hall(server, staff.manager, staff.kiosk)
    display = make_display(size=size, languages=(language,), flash_seconds=0)
    app = display.app
    display.until(
        lambda: len(app.board.current) == 3 and len(app.board.recent) == 5 and app.board.services,
        what="the busy hall",
    )
    display.pump(0.1)
    assert board_problems(app) == []
    texts = app.screen.texts()
    newest = app.board.newest
    assert newest is not None and f"{newest.number} → 4" in texts
    room, floor = {
        "lv": ("4. kabinets", "2. stāvs"),
        "ru": ("Кабинет 4", "2-й этаж"),
        "en": ("Room 4", "2nd floor"),
    }[language]
    assert room in " ".join(texts) and floor in " ".join(texts), "the room and floor are named"
    display.screenshot(f"display-{language}-{size[0]}x{size[1]}")
