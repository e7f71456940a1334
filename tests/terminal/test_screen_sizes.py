"""Every terminal fills whatever screen it starts on, and everything on it stays whole and
legible.

The kiosk, the feedback terminal and the hall display are each started as a user starts
them (`rinda kiosk --server URL --token T ...` in a process of its own, full screen, on a
bare X server of its own at the size, no window manager) against a real `rinda server`,
at the five sizes kiosks come in, portrait and landscape. The kiosk is driven with real
pointer clicks (xdotool) from its start screen through the services to a ticket. On
every screen the app's own geometry dump and a screenshot must show:

- the window is the screen, and the screen is the app's everywhere (no bare X left);
- every text and control lies wholly inside the screen (or in a scroll area, which
  brings it into view) and no two overlap;
- no text needs more room than its box has (nothing cut off), and none breaks a word
  across lines;
- the kiosk's and the feedback terminal's every text is at least the 22′ reading size at
  arm's length on that screen (`terminal.screen_scale`, `core.legibility`);
- every button's fill is drawn where the dump says the button is;
- screen blanking and DPMS are off on the X server while the terminal runs.

One size per program runs by default; the whole matrix is marked `slow`.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.legibility import READING_ANGLE_DEGREES, least_font_px, mm_per_px
from terminal.screen_power import screen_power
from terminal.screen_scale import ARM_LENGTH_M
from tests.support.bare_x import BareX, Centre, start, stop, wait_for_geometry
from tests.support.geometry import MARKUP, broken_word_in
from tests.support.kivy_harness import SCREENSHOT_DIR
from tests.support.x_cursor import pointer_visible

pytestmark = [pytest.mark.gui]

SIZES = {
    # size: a usual screen diagonal (inches) for it
    (1080, 1920): 32.0,
    (1920, 1080): 24.0,
    (1280, 1024): 19.0,
    (1366, 768): 18.5,
    (800, 480): 7.0,
}
DEFAULT_RUN = {"kiosk": (800, 480), "feedback": (1280, 1024), "display": (1366, 768)}
"""The one size per program that runs without `slow`: the ones most likely to break."""
SLACK = 1.5
ROOT_BLACK = (0, 0, 0)
MARKUP_SIZE = re.compile(r"\[size=(\d+(?:\.\d+)?)\]")


def sizes_for(program: str) -> list[Any]:
    return [
        pytest.param(
            size,
            id=f"{size[0]}x{size[1]}",
            marks=() if DEFAULT_RUN[program] == size else (pytest.mark.slow,),
        )
        for size in SIZES
    ]


@pytest.fixture(scope="module")
def centre(tmp_path_factory) -> Iterator[Centre]:
    running = Centre(tmp_path_factory.mktemp("centre"))
    yield running
    running.stop()


@pytest.fixture
def screen(request) -> Iterator[BareX]:
    x = BareX(*request.param)
    yield x
    x.close()


def rect(widget: dict[str, Any]) -> tuple[float, float, float, float]:
    left, top, width, height = widget["rect"]
    return float(left), float(top), float(width), float(height)


def overlap(a: dict[str, Any], b: dict[str, Any]) -> bool:
    ax, ay, aw, ah = rect(a)
    bx, by, bw, bh = rect(b)
    return (
        min(ax + aw, bx + bw) - max(ax, bx) > SLACK and min(ay + ah, by + bh) - max(ay, by) > SLACK
    )


def within(widgets: list[dict[str, Any]], inner: int, outer: int) -> bool:
    owner = widgets[inner]["owner"]
    while owner is not None:
        if owner == outer:
            return True
        owner = widgets[owner]["owner"]
    return False


def name(widget: dict[str, Any]) -> str:
    return f"{widget['kind']}#{widget['id']} {widget['text'][:30]!r} at {widget['rect']}"


def geometry_problems(
    geometry: dict[str, Any], size: tuple[int, int], least_font: float
) -> list[str]:
    """Everything the dump shows cut off, covered, outside the screen or too small."""
    width, height = size
    widgets = geometry["widgets"]
    problems: list[str] = []
    if geometry["window"] != [width, height]:
        problems.append(f"the window is {geometry['window']}, not the screen {size}")
    for index, widget in enumerate(widgets):
        left, top, w, h = rect(widget)
        outside = left < -SLACK or top < -SLACK or left + w > width + SLACK
        outside = outside or top + h > height + SLACK
        if outside and not widget["in_scroll"]:
            problems.append(f"{name(widget)} leaves the screen")
        shown = widget["shown"]
        if widget["in_scroll"] and shown is not None:
            s_left, s_top, s_w, s_h = shown
            if (
                s_left < -SLACK
                or s_top < -SLACK
                or s_left + s_w > width + SLACK
                or s_top + s_h > height + SLACK
            ):
                problems.append(f"{name(widget)} is shown outside the screen")
        text_w, text_h = widget["texture_size"]
        if widget["text"].strip() and (text_w > w + SLACK or text_h > h + SLACK):
            problems.append(f"{name(widget)}: its text needs {text_w:.0f} x {text_h:.0f} px")
        plain = MARKUP.sub("", widget["text"]) if "[" in widget["text"] else widget["text"]
        broken = broken_word_in(plain, widget["lines"])
        if broken:
            problems.append(f"{name(widget)}: a word is broken across lines ({broken})")
        sizes = [widget["font_size"]] if widget["text"].strip() else []
        sizes += [float(found) for found in MARKUP_SIZE.findall(widget["text"])]
        if any(font < least_font - 0.5 for font in sizes):
            problems.append(
                f"{name(widget)}: a {min(sizes):.0f} px font is below the legible "
                f"{least_font:.0f} px"
            )
        for other in range(index + 1, len(widgets)):
            if within(widgets, other, index) or within(widgets, index, other):
                continue
            if widget["in_scroll"] != widgets[other]["in_scroll"]:
                continue  # a scroll area's content passes under what frames it
            if overlap(widget, widgets[other]):
                problems.append(f"{name(widget)} and {name(widgets[other])} overlap")
    return problems


def colour_near(pixel: tuple[int, ...], expected: tuple[int, ...], tolerance: int) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, expected, strict=False))


def screenshot_problems(x: BareX, geometry: dict[str, Any], label: str) -> list[str]:
    """What the screenshot shows against the dump: bare X showing, buttons not drawn."""
    width, height = x.size
    shot = x.screenshot()
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    shot.save(SCREENSHOT_DIR / f"size-{label}-{width}x{height}.png")
    problems = []
    for corner in ((1, 1), (width - 2, 1), (1, height - 2), (width - 2, height - 2)):
        if colour_near(shot.getpixel(corner), ROOT_BLACK, 2):
            problems.append(f"the bare X server shows at {corner}")
    for widget in geometry["widgets"]:
        left, top, w, h = rect(widget)
        if widget["in_scroll"] or not widget["touchable"] or len(widget["background"]) != 4:
            continue
        if w <= 12 or h <= 12:
            continue
        expected = tuple(round(c * 255) for c in widget["background"][:3])
        for edge_x in (int(left) + 4, int(left + w) - 5):
            pixel = shot.getpixel((edge_x, int(top + h / 2)))
            if not colour_near(pixel, expected, 8):
                problems.append(f"{name(widget)}: {pixel} drawn at its edge, not {expected}")
    return problems


def blanking_problems(x: BareX) -> list[str]:
    """What the X server says of screen blanking and power saving (as `xset q` does)."""
    power = screen_power(x.display)
    assert power is not None, "the X server answers"
    problems = []
    if power.saver_timeout_s != 0:
        problems.append(f"the screen saver blanks after {power.saver_timeout_s} s idle")
    if power.dpms_enabled:
        problems.append("DPMS still powers the screen down")
    return problems


def pointer_over(x: BareX, widget: dict[str, Any]) -> None:
    left, top, w, h = widget["shown"]
    subprocess.run(
        ["xdotool", "mousemove", "--sync", str(int(left + w / 2)), str(int(top + h / 2))],
        env={"DISPLAY": x.display, "PATH": "/usr/bin:/bin"},
        check=True,
    )


def test_a_bare_x_server_blanks_and_shows_a_pointer_by_default() -> None:
    """What the terminals must undo: a fresh X server blanks, may power down, and shows
    a pointer."""
    x = BareX(640, 480)
    try:
        assert blanking_problems(x)
        assert pointer_visible(x.display)
    finally:
        x.close()


def check(x: BareX, geometry: dict[str, Any], label: str, least_font: float) -> None:
    problems = geometry_problems(geometry, x.size, least_font)
    problems += screenshot_problems(x, geometry, label)
    assert not problems, f"{label} at {x.size}:\n" + "\n".join(problems)


def click(x: BareX, widget: dict[str, Any]) -> None:
    """Press and release the pointer in the middle of what is shown of `widget`, as a finger
    would."""
    assert widget["shown"], f"{name(widget)} is scrolled out of sight"
    left, top, w, h = widget["shown"]
    subprocess.run(
        [
            "xdotool", "mousemove", "--sync", str(int(left + w / 2)), str(int(top + h / 2)),
            "click", "1",
        ],
        env={"DISPLAY": x.display, "PATH": "/usr/bin:/bin"},
        check=True,
    )  # fmt: skip


def reveal(
    x: BareX, process, dump: Path, geometry: dict[str, Any], match: Callable[[dict[str, Any]], bool]
) -> dict[str, Any]:
    """The widget `match` finds, scrolled with the mouse wheel until it is wholly in sight
    (a swipe does the same on a touch screen, but is told from a press by its speed)."""
    wheel = "5"
    for _ in range(16):
        widget = find(geometry, match)
        shown = widget["shown"]
        if shown is not None and shown[3] >= widget["rect"][3] - SLACK:
            return widget
        view = [w["shown"] for w in geometry["widgets"] if w["in_scroll"] and w["shown"]]
        middle = min(v[1] for v in view) + 10
        subprocess.run(
            [
                "xdotool", "mousemove", "--sync", str(x.size[0] // 2), str(int(middle)),
                "click", "--repeat", "6", wheel,
            ],
            env={"DISPLAY": x.display, "PATH": "/usr/bin:/bin"},
            check=True,
        )  # fmt: skip
        before = widget["rect"][1]
        geometry = wait_for_geometry(
            process,
            dump,
            lambda g, before=before: find(g, match)["rect"][1] != before,
            "the wheel to scroll",
        )
        if find(geometry, match)["rect"][1] > before:
            wheel = "4" if wheel == "5" else "5"  # it went the other way
    raise AssertionError(f"{name(find(geometry, match))} cannot be scrolled into sight")


def find(geometry: dict[str, Any], match: Callable[[dict[str, Any]], bool]) -> dict[str, Any]:
    found = [w for w in geometry["widgets"] if match(w)]
    assert found, f"not on {geometry['screen']}: {[w['text'][:20] for w in geometry['widgets']]}"
    return found[0]


def by_id(ident: str) -> Callable[[dict[str, Any]], bool]:
    return lambda widget: widget["id"] == ident


def least_legible_font(size: tuple[int, int]) -> float:
    pixel = mm_per_px(*size, SIZES[size])
    return float(least_font_px(pixel, ARM_LENGTH_M, READING_ANGLE_DEGREES))


def terminal_command(kind: str, centre: Centre, token: str, size, tmp_path: Path) -> list[str]:
    return [
        "feedback" if kind == "feedback" else "kiosk",
        "--server",
        centre.url,
        f"--token={token}",  # a token may start with "-"
        "--no-discovery",
        "--outbox",
        str(tmp_path / "outbox"),
        "--screen-inches",
        str(SIZES[size]),
    ]


@pytest.mark.parametrize("screen", sizes_for("kiosk"), indirect=True)
def test_kiosk_fits_every_screen(screen, centre, tmp_path) -> None:
    size = screen.size
    least = least_legible_font(size)
    process, dump = start(
        terminal_command("kiosk", centre, centre.kiosk, size, tmp_path), screen, tmp_path
    )
    try:
        on = lambda name: lambda g: g["screen"] == name  # noqa: E731
        geometry = wait_for_geometry(process, dump, on("start"), "the start screen")
        check(screen, geometry, "kiosk-start", least)
        assert not blanking_problems(screen), blanking_problems(screen)
        pointer_over(screen, find(geometry, lambda w: w["touchable"] and "English" in w["text"]))
        assert not pointer_visible(screen.display), "the pointer is hidden on a touch screen"
        click(screen, reveal(screen, process, dump, geometry, by_id("take_ticket_button")))
        geometry = wait_for_geometry(process, dump, on("services"), "the services")
        check(screen, geometry, "kiosk-services", least)
        category = find(geometry, lambda w: w["touchable"] and "Vispārīgi" in w["text"])
        click(
            screen,
            reveal(screen, process, dump, geometry, lambda w: w["text"] == category["text"]),
        )
        geometry = wait_for_geometry(
            process,
            dump,
            lambda g: any("Deklarēšana" in w["text"] and w["touchable"] for w in g["widgets"]),
            "the services of the category",
        )
        check(screen, geometry, "kiosk-group", least)
        service = lambda w: w["touchable"] and "Deklarēšana" in w["text"]  # noqa: E731
        click(screen, reveal(screen, process, dump, geometry, service))
        geometry = wait_for_geometry(process, dump, on("priority"), "the priority question")
        check(screen, geometry, "kiosk-priority", least)
        click(screen, reveal(screen, process, dump, geometry, by_id("priority_no_button")))
        geometry = wait_for_geometry(
            process,
            dump,
            lambda g: (
                g["screen"] == "ticket"
                and any(w["id"] == "number_label" and w["text"] for w in g["widgets"])
            ),
            "the ticket",
        )
        check(screen, geometry, "kiosk-ticket", least)
    finally:
        log = stop(process)
    assert "Traceback" not in log, log


@pytest.mark.parametrize("screen", sizes_for("feedback"), indirect=True)
def test_feedback_terminal_fits_every_screen(screen, centre, tmp_path) -> None:
    size = screen.size
    command = terminal_command("feedback", centre, centre.exit_feedback, size, tmp_path)
    process, dump = start(command, screen, tmp_path)
    try:
        geometry = wait_for_geometry(
            process, dump, lambda g: g["screen"] == "entry", "the number entry"
        )
        check(screen, geometry, "feedback-entry", least_legible_font(size))
        assert not blanking_problems(screen), blanking_problems(screen)
        pointer_over(screen, find(geometry, lambda w: w["touchable"]))
        assert not pointer_visible(screen.display), "the pointer is hidden on a touch screen"
    finally:
        log = stop(process)
    assert "Traceback" not in log, log


@pytest.mark.parametrize("screen", sizes_for("display"), indirect=True)
def test_display_fits_every_screen(screen, centre, tmp_path) -> None:
    command = [
        "display",
        "--server",
        centre.url,
        f"--token={centre.display}",
        "--no-discovery",
        "--no-sound",
    ]
    process, dump = start(command, screen, tmp_path)
    try:
        geometry = wait_for_geometry(process, dump, lambda g: bool(g["widgets"]), "the board")
        # The board's own rule (display.metrics) sizes its text for the hall; here only
        # that nothing is cut off, covered or off the screen.
        check(screen, geometry, "display", 0)
        assert not blanking_problems(screen), blanking_problems(screen)
    finally:
        log = stop(process)
    assert "Traceback" not in log, log
