"""How long the kiosk takes to switch language, against other taps.

    xvfb-run -a -s "-screen 0 1080x1920x24" .venv/bin/python bench/kiosk_language.py [--rounds 20]

Runs a real kiosk (Kivy, under Xvfb) in this process against a real server on
127.0.0.1 (the demo catalogue, open around the clock) and taps, as a finger
would, the language buttons on the start screen in turn, and for comparison
"Take a ticket" and "Back". For each tap: the time from the finger lifting to
the end of the frame after which nothing on screen moves or changes any more
(every widget's place, size and text size settled). Prints the median, p90 and
max in milliseconds per kind of tap.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.catalogues import always_open  # noqa: E402
from tests.support.kivy_harness import Driver, setup_kivy  # noqa: E402
from tests.support.running_server import RunningServer  # noqa: E402

setup_kivy(1080, 1920)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def signature() -> tuple[Any, ...]:
    from kivy.core.window import Window

    return tuple(
        (id(w), tuple(w.pos), tuple(w.size), tuple(getattr(w, "texture_size", ())))
        for root in Window.children
        for w in root.walk()
    )


def timed_tap(widget: Any) -> float:
    """Milliseconds from the finger lifting to the last frame that changed anything."""
    from kivy.base import EventLoop
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(*widget.to_window(*widget.center))
    touch.touch_down()
    EventLoop.idle()
    started = time.perf_counter()
    touch.touch_up()
    last = signature()
    settled_at = time.perf_counter()
    steady = 0
    while steady < 3:
        EventLoop.idle()
        now = signature()
        if now == last:
            steady += 1
        else:
            steady, last, settled_at = 0, now, time.perf_counter()
    return (settled_at - started) * 1000


def main() -> None:
    from kiosk.app import KioskApp
    from kiosk.config import KioskConfig
    from terminal.speech import Espeak, SilentPlayer, Speaker

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rinda-language-") as tmp:
        server = RunningServer(Path(tmp) / "data", catalogue=always_open()).start()
        try:
            token = server.add_device("kiosk-bench", "kiosk")
            config = KioskConfig(
                server_url=server.url,
                discover=False,
                token=token,
                fullscreen=False,
                outbox_dir=Path(tmp) / "outbox",
            )
            speaker = Speaker(Espeak(Path(tmp) / "speech"), SilentPlayer())
            kiosk = Driver(KioskApp(config, speaker=speaker)).start()
            app = kiosk.app
            kiosk.until(lambda: app.manager.current == "start", timeout=30, what="the start")
            kiosk.settle()
            start = app.screens["start"]
            times: dict[str, list[float]] = {"language": [], "other": []}
            for _ in range(args.rounds):
                for code in ("ru", "en", "lv"):
                    button = next(
                        b for b in start.ids.language_box.children if b.language_code == code
                    )
                    times["language"].append(timed_tap(button))
                times["other"].append(timed_tap(start.ids.take_ticket_button))
                times["other"].append(timed_tap(app.screens["services"].ids.back_button))
            kiosk.stop()
        finally:
            server.stop()
    summary = {
        kind: {
            "taps": len(values),
            "median_ms": round(statistics.median(values), 1),
            "p90_ms": round(percentile(values, 0.9), 1),
            "max_ms": round(max(values), 1),
        }
        for kind, values in times.items()
    }
    if args.json:
        print(json.dumps(summary))
        return
    for kind, figures in summary.items():
        print(
            f"{kind:9} taps {figures['taps']:3}  median {figures['median_ms']:7.1f} ms"
            f"  p90 {figures['p90_ms']:7.1f} ms  max {figures['max_ms']:7.1f} ms"
        )


if __name__ == "__main__":
    main()
