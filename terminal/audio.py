"""Playing WAV files: the list of audio players, the configured player, and loud failures.

`scripts/bootstrap` installs sox, whose `play` is the first entry of `PLAYERS`; a
test keeps the two in agreement. Any other command can be configured
(`audio_player = "aplay -q -D plughw:1,0"` in the kiosk or display settings). A
missing player is logged as an error when the player is made; `play` raises
`AudioUnavailable` when there is no player or it cannot reach a sound device (the
`Speaker` logs each distinct problem once as an error): speech never fails silently.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import subprocess
import tempfile
import threading
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

PLAY_TIME_LIMIT = 60.0
"""Seconds a single sound may take before the player is killed."""


@dataclass(frozen=True)
class Player:
    """An audio player command and the Debian package that provides it."""

    command: tuple[str, ...]
    package: str


PLAYERS: tuple[Player, ...] = (
    Player(("play", "-q"), "sox"),
    Player(("aplay", "-q"), "alsa-utils"),
    Player(("pw-play",), "pipewire-bin"),
    Player(("paplay",), "pulseaudio-utils"),
)
"""Players tried in order when none is configured. scripts/bootstrap installs `sox`."""

WAV_PLACEHOLDER = "{wav}"
"""Where a configured command takes the file; without it the file is the last argument."""


class AudioUnavailable(RuntimeError):
    """No audio player exists, or it could not play (no sound device, bad command)."""


class AudioPlayer(Protocol):
    """Plays WAV files (blocking until done or stopped)."""

    def play(self, path: Path) -> None:
        """Play `path` to the end (or until `stop`); raises `AudioUnavailable`."""
        ...

    def stop(self) -> None:
        """Stop what is playing now."""
        ...


def wav_seconds(path: Path) -> float:
    """The length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / float(audio.getframerate())


def find_player() -> tuple[str, ...] | None:
    """The first command of `PLAYERS` installed on this machine, or None."""
    for player in PLAYERS:
        if shutil.which(player.command[0]):
            return player.command
    return None


class CommandPlayer:
    """Plays through a command: the configured one, else the first of `PLAYERS` found."""

    def __init__(self, command: str | None = None) -> None:
        self.configured = bool(command and command.strip())
        self.command: tuple[str, ...] | None = (
            tuple(shlex.split(command or "")) if self.configured else find_player()
        )
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()
        problem = self.problem()
        if problem:
            log.error("%s", problem)
        else:
            log.info("audio player: %s", shlex.join(self.command or ()))

    def problem(self) -> str | None:
        """Why nothing can be played, or None when the player command exists."""
        if self.command is None:
            names = ", ".join(player.command[0] for player in PLAYERS)
            return (
                f"no audio player found (looked for {names}); speech and chimes are silent. "
                "Install sox (scripts/bootstrap does) or set audio_player in the settings"
            )
        if not self.command:
            return "audio_player is empty"
        if shutil.which(self.command[0]) is None:
            return f"audio player {self.command[0]!r} is not installed; speech is silent"
        return None

    def probe(self) -> str | None:
        """Play a twentieth of a second of silence: why sound cannot be played, or None."""
        problem = self.problem()
        if problem:
            return problem
        with tempfile.TemporaryDirectory(prefix="rinda-audio-") as directory:
            silence = Path(directory) / "silence.wav"
            with wave.open(str(silence), "wb") as audio:
                audio.setnchannels(1)
                audio.setsampwidth(2)
                audio.setframerate(22050)
                audio.writeframes(b"\0\0" * 1102)
            try:
                self.play(silence)
            except AudioUnavailable as exc:
                return str(exc)
        return None

    def argv(self, path: Path) -> list[str]:
        """The command line that plays `path`."""
        command = list(self.command or ())
        if any(WAV_PLACEHOLDER in part for part in command):
            return [part.replace(WAV_PLACEHOLDER, str(path)) for part in command]
        return [*command, str(path)]

    def play(self, path: Path) -> None:
        """Play `path` to the end; raises `AudioUnavailable` (also logged) when it cannot."""
        problem = self.problem()
        if problem:
            raise AudioUnavailable(problem)
        with self._lock:
            try:
                self._process = subprocess.Popen(
                    self.argv(path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                )
            except OSError as exc:
                raise AudioUnavailable(f"audio player could not start: {exc}") from exc
            process = self._process
        try:
            _, error_output = process.communicate(timeout=PLAY_TIME_LIMIT)
        except subprocess.TimeoutExpired as exc:
            process.kill()
            process.communicate()
            raise AudioUnavailable(
                f"{path.name} did not finish within {PLAY_TIME_LIMIT} s"
            ) from exc
        if process.returncode > 0:  # negative: stopped by `stop`
            detail = error_output.decode(errors="replace").strip().splitlines()
            message = f"audio player {self.argv(path)[0]!r} failed ({process.returncode})" + (
                f": {detail[-1]}" if detail else ""
            )
            raise AudioUnavailable(message)

    def stop(self) -> None:
        """Stop the current sound."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()


class SilentPlayer:
    """Plays nothing, but may take the time the sound would take (tests, audio switched off)."""

    def __init__(self, real_time: bool = False) -> None:
        self.real_time = real_time
        self._stop = threading.Event()

    def play(self, path: Path) -> None:
        """Pretend to play."""
        self._stop.clear()
        if self.real_time:
            self._stop.wait(min(wav_seconds(path), 10))

    def stop(self) -> None:
        """Stop pretending."""
        self._stop.set()


def player_for(command: str | None = None) -> AudioPlayer:
    """The player for a terminal's `audio_player` setting.

    A configured command is used as given. Without one: silent where audio is switched
    off for the whole process (`SDL_AUDIODRIVER=dummy`, as in the test suite), else the
    first of `PLAYERS` installed.
    """
    if command and command.strip():
        return CommandPlayer(command)
    if os.environ.get("SDL_AUDIODRIVER") == "dummy":
        log.info("audio is switched off (SDL_AUDIODRIVER=dummy): speech is not played")
        return SilentPlayer()
    return CommandPlayer()
