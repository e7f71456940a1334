"""Announcing calls: a chime, then the call spoken in each configured language.

    chime, "Biļete A 42, 3. lodziņš", "Талон A 42, окно 3"

Announcements queue behind each other and never overlap. Phrases are rendered
by espeak-ng once and cached. Recorded clips override the synthesiser: put
`<clips>/<language>/<phrase>.wav` files for the parts of a call (the word for
ticket, the number, the counter) and a call whose parts all have clips is
played from them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from core.i18n import t
from core.numbering import spoken_number
from display.board import Announcement
from terminal.speech import Part, Speaker, Utterance


def clip_name(text: str) -> str:
    """A phrase as a clip file name: `3. lodziņš` -> `3_lodzins`."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return re.sub(r"[^0-9a-zа-яё]+", "_", plain).strip("_")


class Announcer:
    """Turns announcements into speech, in order."""

    def __init__(
        self,
        speaker: Speaker,
        languages: Sequence[str],
        counter_name: Callable[[str, str], str],
        *,
        chime: Path | None = None,
        clips_dir: Path | None = None,
    ) -> None:
        self.speaker = speaker
        self.languages = tuple(languages)
        self.counter_name = counter_name
        self.chime = chime
        self.clips_dir = clips_dir
        self.announced: list[Announcement] = []

    def sentence(self, announcement: Announcement, language: str) -> str:
        """The call as one sentence in `language`."""
        return t(
            "announce.call",
            language,
            number=spoken_number(announcement.number),
            counter=self.counter_name(announcement.counter_id, language),
        )

    def parts(self, announcement: Announcement, language: str) -> list[Part]:
        """Recorded clips for the whole call if they exist, else the synthesised sentence."""
        if self.clips_dir is not None:
            words = [
                t("announce.ticket", language),
                spoken_number(announcement.number),
                self.counter_name(announcement.counter_id, language),
            ]
            clips = [self.clips_dir / language / f"{clip_name(word)}.wav" for word in words]
            if all(clip.exists() for clip in clips):
                return list(clips)
        return [Utterance(self.sentence(announcement, language), language)]

    def announce(self, announcement: Announcement) -> list[Part]:
        """Queue the chime and the call in every language; returns what was queued."""
        parts: list[Part] = [self.chime] if self.chime is not None else []
        for language in self.languages:
            parts += self.parts(announcement, language)
        self.speaker.say(parts, interrupt=False)
        self.announced.append(announcement)
        return parts
