"""Offline speech: espeak-ng renders phrases to WAV (cached), a player plays them in turn.

Used by the kiosk (speech mode) and the hall display (announcements). Nothing
here needs a network. Recorded clips may stand in for synthesized phrases.

    Speaker.say([Utterance("Biļete A 42", "lv"), Utterance("Талон A 42", "ru")])
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
import wave
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)

VOICES = {"lv": "lv", "ru": "ru", "en": "en-gb"}
DEFAULT_VOLUME = 100
"""espeak-ng amplitude (0-200)."""


@dataclass(frozen=True)
class Utterance:
    """Something to say, in a language."""

    text: str
    language: str


Part = Utterance | Path


class SpeechEngine(Protocol):
    """Turns text into a WAV file."""

    def render(self, text: str, language: str, volume: int = DEFAULT_VOLUME) -> Path:
        """A WAV file of `text` spoken in `language`."""
        ...


class AudioPlayer(Protocol):
    """Plays WAV files (blocking until done or stopped)."""

    def play(self, path: Path) -> None:
        """Play `path` to the end (or until `stop`)."""
        ...

    def stop(self) -> None:
        """Stop what is playing now."""
        ...


class SpeechUnavailable(RuntimeError):
    """espeak-ng is not installed or failed."""


class Espeak:
    """espeak-ng with a cache of rendered phrases."""

    def __init__(
        self, cache_dir: Path | None = None, binary: str = "espeak-ng", speed: int = 140
    ) -> None:
        self.binary = binary
        self.speed = speed
        self.cache_dir = cache_dir or Path(tempfile.gettempdir()) / "rinda-speech-cache"
        self.cache_dir.mkdir(parents=True, exist_ok=True)

    def available(self) -> bool:
        """Whether espeak-ng can be run."""
        return shutil.which(self.binary) is not None

    def cache_path(self, text: str, language: str, volume: int) -> Path:
        """Where a phrase is cached."""
        key = hashlib.sha1(f"{language}|{self.speed}|{volume}|{text}".encode()).hexdigest()
        return self.cache_dir / f"{language}-{key[:20]}.wav"

    def render(self, text: str, language: str, volume: int = DEFAULT_VOLUME) -> Path:
        """A cached WAV of `text`; renders it with espeak-ng the first time."""
        target = self.cache_path(text, language, volume)
        if target.exists():
            return target
        voice = VOICES.get(language, language)
        handle, temporary = tempfile.mkstemp(suffix=".wav", dir=self.cache_dir)
        os.close(handle)
        try:
            subprocess.run(
                [
                    self.binary,
                    "-v",
                    voice,
                    "-s",
                    str(self.speed),
                    "-a",
                    str(volume),
                    "-w",
                    temporary,
                    text,
                ],
                check=True,
                capture_output=True,
                timeout=15,
            )
            os.replace(temporary, target)
        except (OSError, subprocess.SubprocessError) as exc:
            Path(temporary).unlink(missing_ok=True)
            raise SpeechUnavailable(f"espeak-ng could not say {text!r} ({voice}): {exc}") from exc
        return target


def wav_seconds(path: Path) -> float:
    """The length of a WAV file in seconds."""
    with wave.open(str(path), "rb") as audio:
        return audio.getnframes() / float(audio.getframerate())


class CommandPlayer:
    """Plays through `aplay`, `pw-play` or `paplay`, whichever the system has."""

    CANDIDATES = (["aplay", "-q"], ["pw-play"], ["paplay"])

    def __init__(self) -> None:
        self.command = next(
            (candidate for candidate in self.CANDIDATES if shutil.which(candidate[0])), None
        )
        self._process: subprocess.Popen[bytes] | None = None
        self._lock = threading.Lock()

    def play(self, path: Path) -> None:
        """Play `path`; without a player (or a sound card) wait as long as it lasts."""
        if self.command is None:
            time.sleep(min(wav_seconds(path), 10))
            return
        with self._lock:
            self._process = subprocess.Popen(
                [*self.command, str(path)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
        try:
            self._process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self._process.kill()

    def stop(self) -> None:
        """Stop the current sound."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()


class SilentPlayer:
    """Plays nothing, but takes the time the sound would take (no sound card, tests)."""

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


def default_player() -> AudioPlayer:
    """A command player, or a silent one where audio is switched off (SDL_AUDIODRIVER=dummy)."""
    if os.environ.get("SDL_AUDIODRIVER") == "dummy":
        return SilentPlayer()
    return CommandPlayer()


@dataclass
class Spoken:
    """A record of something said (the speaker's history)."""

    parts: tuple[Part, ...]
    files: tuple[Path, ...]
    at: float = field(default_factory=time.monotonic)

    @property
    def text(self) -> str:
        """What was said, as text."""
        return " | ".join(part.text for part in self.parts if isinstance(part, Utterance))


class Speaker:
    """Says things one after another in a background thread; never two at once.

    `say(..., interrupt=True)` (the kiosk) drops what is queued and cuts what
    is playing; `interrupt=False` (the hall display) queues behind it.
    """

    def __init__(
        self,
        engine: SpeechEngine,
        player: AudioPlayer | None = None,
        *,
        clips: dict[tuple[str, str], Path] | None = None,
    ) -> None:
        self.engine = engine
        self.player = player or default_player()
        self.clips = clips or {}
        self.volume = DEFAULT_VOLUME
        self.history: list[Spoken] = []
        self.errors: list[str] = []
        self._jobs: queue.Queue[tuple[Part, ...] | None] = queue.Queue()
        self._last: tuple[Part, ...] = ()
        self._generation = 0
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()
        self._thread = threading.Thread(target=self._run, name="rinda-speaker", daemon=True)
        self._thread.start()

    def say(self, parts: Sequence[Part], *, interrupt: bool = True) -> None:
        """Say `parts` (utterances and recorded clips) in order."""
        parts = tuple(parts)
        if not parts:
            return
        with self._lock:
            self._last = parts
            if interrupt:
                self._generation += 1
                while True:
                    try:
                        self._jobs.get_nowait()
                    except queue.Empty:
                        break
                self.player.stop()
            self._idle.clear()
            self._jobs.put(parts)

    def repeat(self) -> None:
        """Say the last thing again."""
        if self._last:
            self.say(self._last)

    def stop(self) -> None:
        """Stop talking now."""
        with self._lock:
            self._generation += 1
            while True:
                try:
                    self._jobs.get_nowait()
                except queue.Empty:
                    break
            self.player.stop()

    def forget(self) -> None:
        """Stop talking and forget what was said (the next visitor's "repeat" must not
        say the last visitor's ticket)."""
        self.stop()
        with self._lock:
            self._last = ()

    def wait_until_quiet(self, timeout: float = 10) -> bool:
        """Block until everything queued has been said (tests, shutdown)."""
        return self._idle.wait(timeout)

    def close(self) -> None:
        """Stop the background thread."""
        self.stop()
        self._jobs.put(None)
        self._thread.join(timeout=5)

    def _run(self) -> None:
        while True:
            job = self._jobs.get()
            if job is None:
                return
            generation = self._generation
            files: list[Path] = []
            for part in job:
                if generation != self._generation:
                    break
                try:
                    path = self._file_for(part)
                except SpeechUnavailable as exc:
                    self.errors.append(str(exc))
                    log.warning("%s", exc)
                    continue
                files.append(path)
                with contextlib.suppress(Exception):
                    self.player.play(path)
            self.history.append(Spoken(job, tuple(files)))
            if self._jobs.empty():
                self._idle.set()

    def _file_for(self, part: Part) -> Path:
        if isinstance(part, Path):
            return part
        clip = self.clips.get((part.language, part.text.strip().lower()))
        if clip is not None and clip.exists():
            return clip
        return self.engine.render(part.text, part.language, self.volume)
