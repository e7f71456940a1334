"""Speech reaches a real audio player: the one scripts/bootstrap installs, or a configured one.

Issue 15: bootstrap installed sox, the player looked only for aplay, pw-play or paplay,
found none and silently did nothing. Real espeak-ng renders real WAV files here; the
players are real commands (sox `play`, and sox writing what it was given to a file).
"""

from __future__ import annotations

import logging
import re
import shutil
import wave
from pathlib import Path

import pytest

from terminal.audio import PLAYERS, AudioUnavailable, CommandPlayer, player_for, wav_seconds
from terminal.speech import Espeak, Speaker, Utterance

pytestmark = pytest.mark.skipif(
    shutil.which("espeak-ng") is None or shutil.which("sox") is None,
    reason="needs espeak-ng and sox (scripts/bootstrap installs both)",
)
ROOT = Path(__file__).resolve().parents[2]


def peak(path: Path) -> int:
    """The loudest 16-bit sample in a WAV file."""
    with wave.open(str(path), "rb") as audio:
        assert audio.getsampwidth() == 2
        frames = audio.readframes(audio.getnframes())
    samples = memoryview(frames).cast("h")
    return max(abs(sample) for sample in samples)


def bootstrap_packages(kind: str) -> list[str]:
    text = (ROOT / "scripts" / "bootstrap").read_text()
    match = re.search(rf"^{kind}_packages=\(([^)]*)\)", text, re.MULTILINE)
    assert match, f"scripts/bootstrap has no {kind}_packages"
    return match.group(1).split()


def test_bootstrap_installs_the_first_player_and_it_is_found() -> None:
    assert PLAYERS[0].package in bootstrap_packages("runtime")
    player = CommandPlayer()
    assert player.command == PLAYERS[0].command, "bootstrap's player is the one used"
    assert player.problem() is None


def test_a_real_wav_is_rendered_and_handed_to_the_configured_player(tmp_path: Path) -> None:
    heard = tmp_path / "heard.wav"
    # A real player command that records what it was given: sox copies the audio.
    player = player_for(f"sox -q {{wav}} {heard}")
    speaker = Speaker(Espeak(tmp_path / "cache"), player)
    try:
        speaker.say([Utterance("Talons A 1, 3. lodziņš", "lv")])
        assert speaker.wait_until_quiet(30)
    finally:
        speaker.close()
    assert speaker.errors == []
    (spoken,) = speaker.history
    (rendered,) = spoken.files
    assert wav_seconds(heard) == pytest.approx(wav_seconds(rendered))
    assert wav_seconds(heard) > 0.5 and peak(heard) > 1000, "real speech, not silence"


def test_the_default_player_is_run_and_a_missing_sound_device_is_logged_loudly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.delenv("SDL_AUDIODRIVER", raising=False)
    monkeypatch.setenv("AUDIODEV", "hw:99,0")  # a sound card no machine has
    player = player_for(None)
    assert isinstance(player, CommandPlayer) and player.command == ("play", "-q")
    speaker = Speaker(Espeak(tmp_path / "cache"), player)
    try:
        with caplog.at_level(logging.ERROR):
            speaker.say([Utterance("Biļete A 1", "lv")])
            speaker.say([Utterance("Biļete B 2", "lv")], interrupt=False)
            assert speaker.wait_until_quiet(30)
    finally:
        speaker.close()
    assert len(speaker.history) == 2 and all(spoken.files for spoken in speaker.history)
    (error,) = speaker.errors
    assert "'play' failed" in error and "audio device" in error
    logged = [r for r in caplog.records if r.levelno == logging.ERROR and "'play'" in r.message]
    assert len(logged) == 1, "each distinct problem is logged once"


def test_no_player_at_all_is_an_error_not_silence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    espeak = shutil.which("espeak-ng")
    assert espeak is not None
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    with caplog.at_level(logging.ERROR):
        player = CommandPlayer()
    assert player.command is None
    assert any("no audio player found" in r.message for r in caplog.records)
    with pytest.raises(AudioUnavailable, match="no audio player found"):
        player.play(tmp_path / "any.wav")
    speaker = Speaker(Espeak(tmp_path / "cache", binary=espeak), player)
    try:
        speaker.say([Utterance("Ticket A 1", "en")])
        assert speaker.wait_until_quiet(30)
    finally:
        speaker.close()
    assert speaker.history[0].files, "the WAV was still made"
    assert any("no audio player found" in error for error in speaker.errors)


def test_a_configured_player_that_is_not_installed_is_reported(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR):
        player = CommandPlayer("no-such-player --quiet")
    assert player.problem() == "audio player 'no-such-player' is not installed; speech is silent"
    assert any("no-such-player" in r.message for r in caplog.records)
    assert player.argv(Path("x.wav")) == ["no-such-player", "--quiet", "x.wav"]


def test_speech_check_command_tells_whether_sound_plays(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.support.processes import rinda

    monkeypatch.setenv("AUDIODEV", "hw:99,0")
    failed = rinda("speech", "check", check=False)
    assert failed.returncode == 1
    assert "audio player: play -q" in failed.stdout and "sound output: FAILED" in failed.stdout
    working = rinda("speech", "check", "--player", "sox -q {wav} -n")
    assert "sound output: ok" in working.stdout
    phonemes = rinda("speech", "say", "--language", "ru", "--phonemes", "Талон A 1").stdout
    assert "(en)" not in phonemes and "'A" in phonemes
