"""Offline speech: espeak-ng renders phrases to WAV (cached), a player plays them in turn.

Used by the kiosk (speech mode) and the hall display (announcements). Nothing
here needs a network. Recorded clips may stand in for synthesized phrases.

    Speaker.say([Utterance("Biļete A 42", "lv"), Utterance("Талон A 42", "ru")])

A phrase is split by `core.i18n.spoken` into what each language says (the Latin
"A" in a Russian call is named "а", not English "эй") and handed to espeak-ng as
SSML: `<say-as interpret-as="characters">` for letters, `<voice xml:lang>` for
words of another language.

Errors: SpeechError ├── SpeechUnavailable (espeak-ng missing or failed)
                    └── AudioUnavailable (terminal.audio: no player, no sound device).
"""

from __future__ import annotations

import hashlib
import logging
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol
from xml.sax.saxutils import escape, quoteattr

from core.i18n.spoken import Letters, spoken_segments
from terminal.audio import (
    AudioPlayer,
    AudioUnavailable,
    CommandPlayer,
    SilentPlayer,
    player_for,
    wav_seconds,
)

log = logging.getLogger(__name__)

VOICES = {"lv": "lv", "ru": "ru", "en": "en-gb"}
DEFAULT_VOLUME = 100
"""espeak-ng amplitude (0-200)."""

__all__ = [
    "DEFAULT_VOLUME",
    "VOICES",
    "AudioPlayer",
    "AudioUnavailable",
    "CommandPlayer",
    "Espeak",
    "Part",
    "SilentPlayer",
    "Speaker",
    "SpeechEngine",
    "SpeechUnavailable",
    "Spoken",
    "Utterance",
    "default_player",
    "ssml",
    "wav_seconds",
]


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


class SpeechUnavailable(RuntimeError):
    """espeak-ng is not installed or failed."""


SpeechError = SpeechUnavailable | AudioUnavailable


def ssml(text: str, language: str) -> str:
    """`text` in `language` as espeak-ng SSML, each part in the language that says it."""
    body = []
    for segment in spoken_segments(text, language):
        part = escape(segment.text)
        if isinstance(segment, Letters):
            part = f'<say-as interpret-as="characters">{part}</say-as>'
        if segment.language != language:
            voice = quoteattr(VOICES.get(segment.language, segment.language))
            part = f"<voice xml:lang={voice}>{part}</voice>"
        body.append(part)
    return f"<speak>{''.join(body)}</speak>"


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
        """Where a phrase is cached (keyed by what espeak-ng is given, so a change in how
        a phrase is said never replays an old recording)."""
        spoken = ssml(text, language)
        key = hashlib.sha1(f"{language}|{self.speed}|{volume}|{spoken}".encode()).hexdigest()
        return self.cache_dir / f"{language}-{key[:20]}.wav"

    def _command(self, language: str, volume: int) -> list[str]:
        voice = VOICES.get(language, language)
        return [self.binary, "-m", "-v", voice, "-s", str(self.speed), "-a", str(volume)]

    def render(self, text: str, language: str, volume: int = DEFAULT_VOLUME) -> Path:
        """A cached WAV of `text`; renders it with espeak-ng the first time."""
        target = self.cache_path(text, language, volume)
        if target.exists():
            return target
        handle, temporary = tempfile.mkstemp(suffix=".wav", dir=self.cache_dir)
        os.close(handle)
        try:
            subprocess.run(
                [*self._command(language, volume), "-w", temporary, ssml(text, language)],
                check=True,
                capture_output=True,
                timeout=15,
            )
            os.replace(temporary, target)
        except (OSError, subprocess.SubprocessError) as exc:
            Path(temporary).unlink(missing_ok=True)
            raise SpeechUnavailable(
                f"espeak-ng could not say {text!r} ({language}): {exc}"
            ) from exc
        return target

    def phonemes(self, text: str, language: str) -> str:
        """What espeak-ng would say, as its phoneme mnemonics (`espeak-ng -x`), one line per
        voice change; raises `SpeechUnavailable`."""
        try:
            done = subprocess.run(
                [*self._command(language, DEFAULT_VOLUME), "-q", "-x", ssml(text, language)],
                check=True,
                capture_output=True,
                timeout=15,
                text=True,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            raise SpeechUnavailable(f"espeak-ng could not read {text!r}: {exc}") from exc
        return done.stdout.strip()


def default_player() -> AudioPlayer:
    """The player when none is configured (see `terminal.audio.player_for`)."""
    return player_for(None)


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
        """Each distinct problem met while speaking (espeak-ng failed, no audio output)."""
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
                    self._error(exc)
                    continue
                files.append(path)
                try:
                    self.player.play(path)
                except AudioUnavailable as exc:
                    self._error(exc)
            self.history.append(Spoken(job, tuple(files)))
            if self._jobs.empty():
                self._idle.set()

    def _error(self, error: SpeechError) -> None:
        """Log each distinct problem once, loudly, and keep it in `errors`."""
        message = str(error)
        if message not in self.errors:
            log.error("%s", message)
            self.errors.append(message)

    def _file_for(self, part: Part) -> Path:
        if isinstance(part, Path):
            return part
        clip = self.clips.get((part.language, part.text.strip().lower()))
        if clip is not None and clip.exists():
            return clip
        return self.engine.render(part.text, part.language, self.volume)
