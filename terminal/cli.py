"""`rinda speech check|say`: is there speech and sound on this machine, and how is a phrase said."""

from __future__ import annotations

import argparse
import shlex
import shutil
import sys
from pathlib import Path
from typing import Any


def register(commands: Any) -> None:
    """Add `rinda speech ...` and `rinda pair`."""
    from terminal.pair_cli import register_pair

    register_pair(commands)
    speech = commands.add_parser("speech", help="check speech output and try phrases")
    sub = speech.add_subparsers(dest="speech_command", required=True, metavar="ACTION")

    check = sub.add_parser(
        "check", help="say which synthesiser and audio player are used, and whether sound plays"
    )
    check.add_argument("--player", metavar="COMMAND", default="", help="as audio_player")
    check.set_defaults(handler=_check)

    say = sub.add_parser("say", help="say a phrase (or show how it would be said)")
    say.add_argument("text")
    say.add_argument("--language", choices=["lv", "ru", "en"], default="lv")
    say.add_argument("--player", metavar="COMMAND", default="", help="as audio_player")
    say.add_argument("--phonemes", action="store_true", help="print espeak-ng phonemes only")
    say.add_argument("--ssml", action="store_true", help="print what espeak-ng is given only")
    say.add_argument("--out", type=Path, metavar="FILE.wav", help="write the WAV, do not play")
    say.set_defaults(handler=_say)


def _check(args: argparse.Namespace) -> int:
    from terminal.audio import CommandPlayer

    espeak = shutil.which("espeak-ng")
    print(f"synthesiser: {espeak or 'espeak-ng NOT FOUND (install espeak-ng)'}")
    player = CommandPlayer(args.player or None)
    missing = player.problem()
    if missing:
        print(f"audio player: NONE: {missing}")
        return 1
    print(f"audio player: {shlex.join(player.command or ())}")
    problem = player.probe()
    print(f"sound output: {'FAILED: ' + problem if problem else 'ok'}")
    return 0 if espeak and not problem else 1


def _say(args: argparse.Namespace) -> int:
    from terminal.audio import AudioUnavailable, CommandPlayer
    from terminal.speech import Espeak, SpeechUnavailable, ssml

    if args.ssml:
        print(ssml(args.text, args.language))
        return 0
    espeak = Espeak()
    try:
        if args.phonemes:
            print(espeak.phonemes(args.text, args.language))
            return 0
        wav = espeak.render(args.text, args.language)
        if args.out:
            shutil.copyfile(wav, args.out)
            print(f"written to {args.out}")
            return 0
        CommandPlayer(args.player or None).play(wav)
    except (SpeechUnavailable, AudioUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
