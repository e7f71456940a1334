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

import json
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image, ImageGrab

from terminal.kivy_setup import GEOMETRY_DUMP_ENV
from tests.support.catalogues import single_service_toml
from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.support.processes import RINDA, free_port, rinda, start_server

pytestmark = [pytest.mark.gui, pytest.mark.slow]

ORIENTATIONS = {"landscape": (1920, 1080), "portrait": (1080, 1920)}
KIOSK_BACKGROUND = (244, 246, 248)
BOARD_BACKGROUND = (9, 19, 41)
ROOT_BLACK = (0, 0, 0)
"""What Xvfb shows where no window is."""


class BareX:
    """An Xvfb server of its own (no window manager) on a free display number."""

    def __init__(self, width: int, height: int) -> None:
        self.size = (width, height)
        read, write = os.pipe()
        self.process = subprocess.Popen(
            [
                "Xvfb",
                "-displayfd",
                str(write),
                "-screen",
                "0",
                f"{width}x{height}x24",
                "-nolisten",
                "tcp",
            ],
            pass_fds=(write,),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(write)
        with os.fdopen(read) as pipe:
            number = pipe.readline().strip()
        assert number, "Xvfb did not start"
        self.display = f":{number}"

    def screenshot(self) -> Image.Image:
        return ImageGrab.grab(xdisplay=self.display).convert("RGB")

    def close(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


class Centre:
    """`rinda server` in its own process (no server threads in the test process), with
    the devices and the clerk the tests need."""

    def __init__(self, root: Path) -> None:
        data = root / "data"
        catalogue = root / "centre.toml"
        catalogue.write_text(single_service_toml(2))

        def device(name: str, role: str, *extra: str) -> str:
            args = ("devices", "add", name, "--role", role, *extra, "--data-dir", str(data))
            return rinda(*args).stdout.split()[-1]

        self.kiosk = device("kiosk-1", "kiosk")
        self.feedback = device("feedback-1", "feedback", "--counter", "c1")
        self.exit_feedback = device("feedback-exit", "feedback")
        self.display = device("display-1", "display")
        rinda(
            "users", "add", "clerk-c1", "--role", "clerk", "--counter", "c1",
            "--password-stdin", "--data-dir", str(data), stdin="correct horse\n",
        )  # fmt: skip
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.process = start_server(data, port, catalogue)

    def client(self, token: str | None = None) -> httpx.Client:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=f"{self.url}/api/v1", headers=headers, timeout=10)

    def clerk(self) -> str:
        body = {"username": "clerk-c1", "password": "correct horse", "counter_id": "c1"}
        with self.client() as http:
            return str(http.post("/session", json=body).json()["token"])

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


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


def start(command: list[str], x: BareX, tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path]:
    """`rinda COMMAND` full screen (the default) on the bare X server."""
    dump = tmp_path / "geometry.json"
    env = {
        **os.environ,
        "DISPLAY": x.display,
        "KIVY_HOME": str(tmp_path / "kivy-home"),
        "SDL_AUDIODRIVER": "dummy",
        GEOMETRY_DUMP_ENV: str(dump),
        "PYTHONUNBUFFERED": "1",
    }
    for variable in ("KIVY_NO_CONSOLELOG", "KIVY_LOG_MODE"):
        env.pop(variable, None)  # as a kiosk machine starts it
    with (tmp_path / "stderr.log").open("w") as log:  # a file: a pipe nobody reads fills up
        process = subprocess.Popen([*RINDA, *command], env=env, stdout=log, stderr=log)
    process.log_path = tmp_path / "stderr.log"  # type: ignore[attr-defined]
    return process, dump


def wait_for_geometry(process, dump: Path, ready, what: str) -> dict[str, Any]:
    """The app's geometry once `ready(geometry)` holds and two dumps in a row (written a
    second apart) agree: the layout has settled, so the screenshot shows what it says."""
    deadline = time.monotonic() + 90
    previous: str | None = None
    written = 0
    geometry: dict[str, Any] = {}
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the program stopped: {process.log_path.read_text()}")
        if dump.exists() and dump.stat().st_mtime_ns != written:
            written = dump.stat().st_mtime_ns
            text = dump.read_text(encoding="utf-8")
            geometry = json.loads(text)
            if not ready(geometry):
                previous = None
            elif text == previous:
                return geometry
            else:
                previous = text
        time.sleep(0.2)
    shown = [w["text"] for w in geometry.get("widgets", []) if w["text"].strip()]
    raise AssertionError(f"timed out waiting for {what}; last on screen: {shown}")


def stop(process) -> str:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    return str(process.log_path.read_text(encoding="utf-8"))


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
            "--token",
            centre.kiosk,
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
            "--token",
            centre.exit_feedback,
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
            "--token",
            centre.display,
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
                "--token",
                centre.feedback,
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
