"""How a phrase is said: which parts are spelled letter by letter, and in which language.

A phrase in one language often carries pieces of another script: the Latin prefix
of a ticket in a Russian call ("Талон A 1"), a counter "3A", a room "B-204", a
Latvian street name in an English or Russian sentence. A synthesiser reads such
a piece by the rules of whatever language it guesses (espeak-ng's Russian voice
reads Latin letters as English: "эй" for A). `spoken_segments` splits a phrase
into the parts to say and says which language says each:

- A *code* (a lone letter, letters touching digits as in "3A" or "A042", a run of
  2-4 capitals as in "KAC") is spelled letter by letter, each letter named in
  the phrase's language: natively where the language writes that letter
  (`Letters`), by the language's own names for foreign letters where it has
  them (Russian names for Latin letters, `LETTER_NAMES`), else by the language
  the letter belongs to (Latvian "eš" for Š).
- Words in another language's script are said by that language (`Words`):
  Cyrillic words by Russian; Latin words with a Latvian letter by Latvian (in
  a Russian phrase, with the Latin words around them: "Rīgas iela").
- A few abbreviations are said as the word they stand for (`ABBREVIATIONS`: EUR).
- Dates, as printed (29.12.2026) or in ISO form (2026-12-29), are said in words by
  the one rule of `core.i18n.dates.speak_date` ("двадцать девятого декабря ...",
  not "двадцать девять точка двенадцать ...").
- Everything else (words, digits, punctuation) stays in the phrase's language.
  A Latin word without Latvian letters in a Russian phrase ("Enter") is left to
  the synthesiser, which reads it as English.

Pure: the speech engine (terminal/speech.py) turns segments into its own markup.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.i18n.dates import speak_date
from core.model import Localized


@dataclass(frozen=True)
class Words:
    """Text read as words by `language`."""

    text: str
    language: str


@dataclass(frozen=True)
class Letters:
    """Letters spelled one by one, each by its name in `language` (which writes them)."""

    text: str
    language: str


Segment = Words | Letters

LATVIAN_ONLY_LETTERS = frozenset("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ")
BASIC_LATIN = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")

LETTER_NAMES: dict[str, dict[str, str]] = {
    "ru": {
        "A": "а",
        "B": "бэ",
        "C": "цэ",
        "D": "дэ",
        "E": "е",
        "F": "эф",
        "G": "гэ",
        "H": "ха",
        "I": "и",
        "J": "йот",
        "K": "ка",
        "L": "эль",
        "M": "эм",
        "N": "эн",
        "O": "о",
        "P": "пэ",
        "Q": "ку",
        "R": "эр",
        "S": "эс",
        "T": "тэ",
        "U": "у",
        "V": "вэ",
        "W": "дубль-вэ",
        "X": "икс",
        "Y": "игрек",
        "Z": "зэт",
    },
}
"""A language's own names for letters of another script, written in its own script.

Russian names the Latin letters as Russian schools and mathematics read them
(бэ, цэ, эф ...; H as "ха", as Latvian "hā"). Latvian and English write Latin
letters and name them natively; no language here has names for Cyrillic letters
(those are named in Russian).
"""

ABBREVIATIONS: dict[str, Localized] = {
    "EUR": Localized("eiro", "евро", "euro"),
}
"""Capitals said as a word, not spelled."""

ONE_LETTER_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset("aAI"),
    "ru": frozenset("аивскуояАИВСКУОЯ"),
    "lv": frozenset(),
}
"""Single letters that are words when a word follows them ("A child", "В очереди")."""

_DATES = re.compile(
    r"(?<![\d.])(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})(?!\d)"
    r"|(?<![\d-])(?P<iso_year>\d{4})-(?P<iso_month>\d{2})-(?P<iso_day>\d{2})(?![\d-])"
)
_TOKENS = re.compile(r"[^\W\d_]+|\d+|\s+|.", re.DOTALL)
_RUN_JOINERS = frozenset(" -'’")


def _is_cyrillic(char: str) -> bool:
    return "\u0400" <= char <= "\u04ff"


def writes(language: str, letter: str) -> bool:
    """Whether `language` writes `letter` (and so names it natively)."""
    if language == "ru":
        return _is_cyrillic(letter)
    if language == "lv":
        return letter in BASIC_LATIN or letter in LATVIAN_ONLY_LETTERS
    return letter in BASIC_LATIN


def _owner(letter: str) -> str | None:
    """The language a letter belongs to, where that is clear."""
    if _is_cyrillic(letter):
        return "ru"
    if letter in LATVIAN_ONLY_LETTERS:
        return "lv"
    if letter in BASIC_LATIN:
        return "en"
    return None


def _word_language(word: str) -> str | None:
    """The language a word certainly belongs to: Cyrillic -> ru, a Latvian letter -> lv."""
    if any(_is_cyrillic(char) for char in word):
        return "ru"
    if any(char in LATVIAN_ONLY_LETTERS for char in word):
        return "lv"
    return None


def _is_letters(token: str) -> bool:
    return token[:1].isalpha()


def _is_code(tokens: list[str], index: int, language: str) -> bool:
    token = tokens[index]
    if token in ABBREVIATIONS:
        return True
    before = tokens[index - 1] if index > 0 else ""
    after = tokens[index + 1] if index + 1 < len(tokens) else ""
    if before[-1:].isdigit() or after[:1].isdigit():
        return True
    if len(token) == 1:
        next_word = tokens[index + 2] if index + 2 < len(tokens) else ""
        is_word = token in ONE_LETTER_WORDS.get(language, frozenset())
        return not (is_word and after.isspace() and _is_letters(next_word))
    return 2 <= len(token) <= 4 and token.isupper()


def spell(code: str, language: str) -> list[Segment]:
    """The letters of `code` named in `language` (see the module docstring)."""
    segments: list[Segment] = []
    names = LETTER_NAMES.get(language, {})
    for letter in code:
        if writes(language, letter):
            segments.append(Letters(letter, language))
        elif letter.upper() in names:
            segments.append(Words(f" {names[letter.upper()]} ", language))
        else:
            owner = _owner(letter)
            segments.append(Letters(letter, owner) if owner else Words(letter, language))
    return segments


def _foreign_runs(tokens: list[str], codes: set[int], language: str) -> dict[int, str]:
    """Token index -> language, for words that another language must read."""
    assigned: dict[int, str] = {}
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if index in codes or not _is_letters(token):
            index += 1
            continue
        owner = _word_language(token)
        if language != "ru" or any(_is_cyrillic(char) for char in token):
            # Cyrillic words in lv/en, Latvian words in lv/en: word by word.
            if owner is not None and owner != language:
                assigned[index] = owner
            index += 1
            continue
        # A Latin run in a Russian phrase: Latvian if any of its words is.
        run = [index]
        probe = index + 1
        while probe + 1 < len(tokens):
            joiner, word = tokens[probe], tokens[probe + 1]
            if not (set(joiner) <= _RUN_JOINERS and _is_letters(word)):
                break
            if probe + 1 in codes or any(_is_cyrillic(char) for char in word):
                break
            run.append(probe + 1)
            probe += 2
        if any(_word_language(tokens[i]) == "lv" for i in run):
            for i in range(run[0], run[-1] + 1):
                assigned[i] = "lv"
        index = run[-1] + 1
    return assigned


def spoken_dates(text: str, language: str) -> str:
    """`text` with each date (29.12.2026 or 2026-12-29) in words (`speak_date`)."""

    def words(match: re.Match[str]) -> str:
        parts = match.groupdict()
        try:
            if parts["year"]:
                day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
            else:
                day = date(int(parts["iso_year"]), int(parts["iso_month"]), int(parts["iso_day"]))
        except ValueError:
            return match.group(0)  # not a date after all (31.02.2026, a version number)
        return speak_date(day, language)

    return _DATES.sub(words, text)


def spoken_segments(text: str, language: str) -> tuple[Segment, ...]:
    """`text` (in `language`) as segments to say, adjacent ones of a kind merged.

    `spoken_segments("Талон A 1", "ru")` is
    `(Words("Талон  а  1", "ru"),)`; `spoken_segments("Ticket A 1", "en")` is
    `(Words("Ticket ", "en"), Letters("A", "en"), Words(" 1", "en"))`.
    """
    tokens = _TOKENS.findall(spoken_dates(text, language))
    codes = {
        index
        for index, token in enumerate(tokens)
        if _is_letters(token) and _is_code(tokens, index, language)
    }
    foreign = _foreign_runs(tokens, codes, language)
    segments: list[Segment] = []
    for index, token in enumerate(tokens):
        if index in codes:
            word = ABBREVIATIONS.get(token)
            if word is not None:
                segments.append(Words(word.get(language), language))
                continue
            if index > 0 and tokens[index - 1][-1:].isdigit():
                segments.append(Words(" ", language))
            segments += spell(token, language)
            if index + 1 < len(tokens) and tokens[index + 1][:1].isdigit():
                segments.append(Words(" ", language))
        elif index in foreign:
            segments.append(Words(token, foreign[index]))
        elif token == "-" and _joins_a_code(tokens, codes, index):
            segments.append(Words(" ", language))  # "B-204" is B 204, not B minus 204
        else:
            segments.append(Words(token, language))
    return _merged(segments)


def _joins_a_code(tokens: list[str], codes: set[int], index: int) -> bool:
    if index == 0 or index + 1 >= len(tokens):
        return False
    before, after = index - 1, index + 1
    alphanumeric = {i for i in (before, after) if i in codes or tokens[i].isdigit()}
    return len(alphanumeric) == 2 and bool({before, after} & codes)


def _merged(segments: list[Segment]) -> tuple[Segment, ...]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and type(merged[-1]) is type(segment):
            last = merged[-1]
            if last.language == segment.language:
                merged[-1] = type(segment)(last.text + segment.text, segment.language)
                continue
        if (
            merged
            and isinstance(segment, Words)
            and not segment.text.strip()
            and isinstance(merged[-1], Words)
        ):
            # Spaces between two runs of another language belong to the first.
            last = merged[-1]
            merged[-1] = Words(last.text + segment.text, last.language)
            continue
        merged.append(segment)
    return tuple(merged)
