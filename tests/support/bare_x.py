"""Terminals started as a user starts them: `rinda COMMAND` in a process of its own on a
bare X server of its own (Xvfb, no window manager: how kiosk machines run), against
`rinda server` in a process of its own, watched through the app's geometry dump
(`terminal.kivy_setup.GEOMETRY_DUMP_ENV`) and screenshots of that X server."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
from PIL import Image, ImageGrab

from terminal.kivy_setup import GEOMETRY_DUMP_ENV
from tests.support.catalogues import single_service_toml
from tests.support.processes import RINDA, free_port, rinda, start_server


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
