"""Full screen is the whole screen, however the program is started.

Each test starts its own bare X server (Xvfb, no window manager: how kiosk
machines run) at a landscape or portrait size, runs the real `rinda kiosk`,
`rinda feedback` or `rinda display` command against a real
`rinda server` (each in a process of its own),
and checks from a screenshot of that X server and the app's own geometry dump
that every control and every text lies inside the screen and is really drawn
there. The same runs check the log: INFO by default, each line once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.bare_x import BareX, Centre, start, stop, wait_for_geometry
from tests.support.kivy_harness import SCREENSHOT_DIR

pytestmark = [pytest.mark.gui, pytest.mark.slow]

ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
KIOSK_BACKGROUND = (244, 246, 248)
BOARD_BACKGROUND = (9, 19, 41)
ROOT_BLACK = (0, 0, 0)
"""What Xvfb shows where no window is."""


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Iterator[Centre]:
    running = Centre(tmp_path_factory.mktemp("centre"))
    yield running
    running.stop()


@pytest.fixture(params=list(ORIENTATIONS))
def bare_x(request) -> Iterator[BareX]:
    x = BareX(*ORIENTATIONS[request.param])
    yield x
    x.close()


def colour_near(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int = 4) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


def check_whole_screen(x: BareX, geometry: dict[str, Any], background: tuple[int, int, int]):
    """The window is the screen; every control and text is inside it and visibly drawn."""
    width, height = x.size
    assert geometry["window"] == [width, height], "Kivy lays out for the whole screen"
    shot = x.screenshot()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    shot.save(SCREENSHOT_DIR / f"fullscreen-{geometry['screen'] or 'board'}-{width}x{height}.png")
    assert shot.size == (width, height)
    for corner in ((2, 2), (width - 3, 2), (2, height - 3), (width - 3, height - 3)):
        assert not colour_near(shot.getpixel(corner), ROOT_BLACK), (
            f"the screen at {corner} is the bare X server's: the window does not cover it"
        )
    assert colour_near(shot.getpixel((2, height - 3)), background), "the app's background"
    checked = 0
    for widget in geometry["widgets"]:
        left, top, w, h = widget["rect"]
        name = f"{widget['kind']} {widget['text'][:30]!r} at {widget['rect']}"
        assert left >= 0 and top >= 0, f"{name} starts outside the screen"
        assert left + w <= width + 0.5 and top + h <= height + 0.5, f"{name} ends outside"
        box = (int(left), int(top), int(left + w), int(top + h))
        if widget["touchable"] and len(widget["background"]) == 4 and h > 12 and w > 12:
            expected = tuple(round(c * 255) for c in widget["background"][:3])
            middle = int(top + h / 2)
            for edge_x in (int(left) + 5, int(left + w) - 6):
                pixel = shot.getpixel((edge_x, middle))
                assert colour_near(pixel, expected, 6), f"{name}: {pixel} drawn, not {expected}"
            checked += 1
        if widget["text"].strip():
            colours = shot.crop(box).getcolors(maxcolors=1 << 16)
            assert colours is None or len(colours) > 1, f"{name}: no text drawn there"
    return checked


def check_log(log: str) -> None:
    lines = [line for line in log.splitlines() if line.strip()]
    assert lines, "the program logs something"
    assert not [line for line in lines if " DEBUG " in line], "no DEBUG lines without -v"
    assert not [line for line in lines if "CRITICAL" in line or "Traceback" in line], log
    stamped = [line for line in lines if line[:4].isdigit()]
    messages = [line.split(" ", 2)[2] for line in stamped]
    assert len(stamped) == len(lines), f"every line once, in rinda's format: {lines[:5]}"
    assert "INFO kivy: Base: Start application main loop" in messages
    assert len([m for m in messages if "Start application main loop" in m]) == 1


def test_kiosk_full_screen_on_a_bare_x_server(bare_x, centre, tmp_path) -> None:
    process, dump = start(
        [
            "kiosk",
            "--server",
            centre.url,
            f"--token={centre.kiosk}",  # a token may start with "-"
            "--no-discovery",
            "--outbox",
            str(tmp_path / "outbox"),
        ],
        bare_x,
        tmp_path,
    )
    try:
        geometry = wait_for_geometry(
            process, dump, lambda g: g["screen"] == "start", "the start screen"
        )
        texts = " ".join(w["text"] for w in geometry["widgets"])
        for language in ("Latviešu", "Русский", "English"):
            assert language in texts, f"the {language} button is on screen"
        buttons = check_whole_screen(bare_x, geometry, KIOSK_BACKGROUND)
        assert buttons >= 8, "language, entry and accessibility buttons were checked"
    finally:
        log = stop(process)
    check_log(log)


def test_feedback_terminal_full_screen_on_a_bare_x_server(bare_x, centre, tmp_path) -> None:
    process, dump = start(
        [
            "feedback",
            "--server",
            centre.url,
            f"--token={centre.exit_feedback}",  # a token may start with "-"
            "--no-discovery",
            "--outbox",
            str(tmp_path / "outbox"),
        ],
        bare_x,
        tmp_path,
    )
    try:
        geometry = wait_for_geometry(
            process, dump, lambda g: g["screen"] == "entry", "the number entry"
        )
        buttons = check_whole_screen(bare_x, geometry, KIOSK_BACKGROUND)
        assert buttons >= 12, "the keypad and the accessibility switches were checked"
    finally:
        log = stop(process)
    check_log(log)


def test_display_full_screen_on_a_bare_x_server(bare_x, centre, tmp_path) -> None:
    process, dump = start(
        [
            "display",
            "--server",
            centre.url,
            f"--token={centre.display}",  # a token may start with "-"
            "--no-discovery",
            "--no-sound",
        ],
        bare_x,
        tmp_path,
    )
    try:
        wait_for_geometry(process, dump, lambda g: bool(g["widgets"]), "the board")
        with centre.client(centre.kiosk) as http:
            issued = http.post("/tickets", json={"service_id": "residence", "language": "lv"})
            assert issued.status_code == 201, issued.text
            ticket = issued.json()
        with centre.client(centre.clerk()) as http:
            http.post("/counters/c1/open").raise_for_status()
            http.post(f"/tickets/{ticket['id']}/call", json={"counter_id": "c1"}).raise_for_status()
        geometry = wait_for_geometry(
            process,
            dump,
            # (the board writes a call as "A001 → 1")
            lambda g: any(ticket["number"] in w["text"].split() for w in g["widgets"]),
            "the call on the board",
        )
        check_whole_screen(bare_x, geometry, BOARD_BACKGROUND)
        with centre.client(centre.clerk()) as http:  # counter 1 is free for the next test
            http.post(f"/tickets/{ticket['id']}/start").raise_for_status()
            http.post(f"/tickets/{ticket['id']}/finish", json={}).raise_for_status()
    finally:
        log = stop(process)
    check_log(log)


def test_verbose_logs_debug_lines_once(centre, tmp_path) -> None:
    x = BareX(1280, 800)
    try:
        process, dump = start(
            [
                "-v",
                "feedback",
                "--server",
                centre.url,
                f"--token={centre.feedback}",  # a token may start with "-"
                "--no-discovery",
                "--outbox",
                str(tmp_path / "outbox"),
            ],
            x,
            tmp_path,
        )
        try:
            wait_for_geometry(process, dump, lambda g: g["screen"] == "idle", "the idle screen")
        finally:
            log = stop(process)
    finally:
        x.close()
    lines = [line for line in log.splitlines() if line[:4].isdigit()]
    debug = [line for line in lines if " DEBUG " in line]
    assert debug, "-v shows DEBUG lines"
    messages = [line.split(" ", 2)[2] for line in lines]
    assert len([m for m in messages if "Start application main loop" in m]) == 1
