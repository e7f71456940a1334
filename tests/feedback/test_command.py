"""`rinda feedback` is the feedback terminal's own command; `rinda kiosk` refuses a
feedback terminal's settings file with a line that says what to run instead."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from rinda.cli import build_parser


def test_rinda_feedback_is_a_command_with_the_terminal_flags() -> None:
    args = build_parser().parse_args(
        ["feedback", "--server", "http://127.0.0.1:1", "--token", "T", "--windowed"]
    )
    assert args.command == "feedback"
    assert (args.server_url, args.token, args.windowed) == ("http://127.0.0.1:1", "T", True)


def test_the_kiosk_command_sends_a_feedback_settings_file_to_rinda_feedback(
    tmp_path: Path,
) -> None:
    settings = tmp_path / "exit.toml"
    settings.write_text('mode = "feedback"\ntoken = "T"\nserver_url = "http://127.0.0.1:1"\n')
    done = subprocess.run(
        [sys.executable, "-m", "rinda", "kiosk", "--config", str(settings), "--no-discovery"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    assert "rinda feedback --config" in done.stderr
    assert "Traceback" not in done.stderr
