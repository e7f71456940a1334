"""Latency from an API call to the hall display's board showing it.

    xvfb-run -a -s "-screen 0 1920x1080x24" .venv/bin/python bench/display_latency.py [--calls 200]

Starts `rinda server` in its own process, a real hall display (Kivy, under
Xvfb) in this one, and makes `call-next` requests from a worker thread while
the display runs its frames. For each call: the time from sending the request
to the board state holding the call (recorded by the display on its main
thread, when it redraws). Calls are spaced by --interval seconds, the display
running its frames (flashing, redrawing) in between. Prints p50 / p90 / p99 / max
in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.histogram import percentile  # noqa: E402
from tests.support.catalogues import single_service_toml  # noqa: E402
from tests.support.kivy_harness import Driver, setup_kivy  # noqa: E402
from tests.support.processes import free_port, rinda, start_server  # noqa: E402

setup_kivy(1920, 1080)


def main() -> None:
    import httpx

    from display.app import DisplayApp
    from display.config import DisplayConfig
    from terminal.speech import Espeak, SilentPlayer, Speaker

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument(
        "--interval",
        type=float,
        default=0.5,
        help="seconds between calls (a busy centre calls every few seconds)",
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="rinda-latency-") as tmp:
        data = Path(tmp) / "data"
        catalogue = Path(tmp) / "centre.toml"
        catalogue.write_text(single_service_toml(1))
        kiosk = rinda(
            "devices", "add", "k", "--role", "kiosk", "--data-dir", str(data)
        ).stdout.split()[-1]
        display_token = rinda(
            "devices", "add", "d", "--role", "display", "--data-dir", str(data)
        ).stdout.split()[-1]
        rinda(
            "users",
            "add",
            "m",
            "--role",
            "manager",
            "--password-stdin",
            "--data-dir",
            str(data),
            stdin="bench-password\n",
        )
        port = free_port()
        server = start_server(data, port, catalogue)
        url = f"http://127.0.0.1:{port}"
        try:
            manager = httpx.post(
                f"{url}/api/v1/session", json={"username": "m", "password": "bench-password"}
            ).json()["token"]
            config = DisplayConfig(
                server_url=url, discover=False, token=display_token, fullscreen=False
            )
            app = DisplayApp(config, speaker=Speaker(Espeak(Path(tmp) / "speech"), SilentPlayer()))
            driver = Driver(app, size=(1920, 1080)).start()
            driver.until(lambda: app.connected, timeout=20)
            staff = httpx.Client(
                base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {manager}"}
            )
            kiosk_http = httpx.Client(
                base_url=f"{url}/api/v1", headers={"Authorization": f"Bearer {kiosk}"}
            )
            staff.post("/counters/c1/open").raise_for_status()
            latencies: list[float] = []
            for _ in range(args.calls):
                kiosk_http.post("/tickets", json={"service_id": "residence"}).raise_for_status()
                sent: dict[str, Any] = {}

                def call(record: dict[str, Any]) -> None:
                    record["at"] = time.monotonic()
                    ticket = staff.post("/counters/c1/call-next").json()
                    record["id"] = ticket["id"]

                worker = threading.Thread(target=call, args=(sent,))
                worker.start()
                deadline = time.monotonic() + 5
                while time.monotonic() < deadline:
                    driver.pump(0.001)
                    if "id" in sent and sent["id"] in app.applied_at:
                        break
                worker.join()
                latencies.append((app.applied_at[sent["id"]] - sent["at"]) * 1000)
                staff.post(f"/tickets/{sent['id']}/no-show").raise_for_status()
                driver.pump(args.interval)
            driver.stop()
        finally:
            server.terminate()
            server.wait(timeout=30)
    figures = {
        "calls": len(latencies),
        "p50_ms": round(percentile(latencies, 0.5), 1),
        "p90_ms": round(percentile(latencies, 0.9), 1),
        "p99_ms": round(percentile(latencies, 0.99), 1),
        "max_ms": round(max(latencies), 1),
        "mean_ms": round(statistics.fmean(latencies), 1),
    }
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        for key, value in figures.items():
            print(f"{key:<8} {value}")


if __name__ == "__main__":
    main()
