"""Letters and foreign words are said by the right language (espeak-ng phoneme output).

Issue 14: "Талон A 1" was said with espeak-ng's English "A" (eI) inside Russian, and
the English voice said the article "a" (a#) for ticket A. Every ticket prefix letter
is checked in every language, against an oracle that does not go through Rinda:
espeak-ng's own reading of the letter alone (Latvian and English name Latin letters
natively) or of the Russian name written in Cyrillic.
"""

from __future__ import annotations

import re
import shutil
import string
import subprocess

import pytest

from core.i18n import t
from core.i18n.spoken import Letters, Words, spoken_segments
from terminal.speech import VOICES, Espeak

pytestmark = pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")

RUSSIAN_NAMES = dict(
    zip(
        string.ascii_uppercase,
        [
            "а",
            "бэ",
            "цэ",
            "дэ",
            "е",
            "эф",
            "гэ",
            "ха",
            "и",
            "йот",
            "ка",
            "эль",
            "эм",
            "эн",
            "о",
            "пэ",
            "ку",
            "эр",
            "эс",
            "тэ",
            "у",
            "вэ",
            "дубль-вэ",
            "икс",
            "игрек",
            "зэт",
        ],
        strict=True,
    )
)
COUNTERS = {"lv": "3. lodziņš", "ru": "Окно 3", "en": "Counter 3"}


def raw_phonemes(text: str, language: str) -> str:
    """espeak-ng -x on plain text, without Rinda."""
    done = subprocess.run(
        ["espeak-ng", "-q", "-x", "-v", VOICES[language], text],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def normalized(phonemes: str) -> str:
    """Phonemes without pauses, spaces and line breaks (which differ with context)."""
    return re.sub(r"_[:!|]*|\s+", "", phonemes)


def unstressed(phonemes: str) -> str:
    """Without primary and secondary stress marks (a letter in a row of letters loses stress)."""
    return phonemes.replace("'", "").replace(",", "")


def letter_name(letter: str, language: str) -> str:
    if language == "ru":
        return normalized(raw_phonemes(RUSSIAN_NAMES[letter], "ru"))
    return normalized(raw_phonemes(letter, language))


@pytest.fixture(scope="module")
def espeak(tmp_path_factory: pytest.TempPathFactory) -> Espeak:
    return Espeak(tmp_path_factory.mktemp("speech-cache"))


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
@pytest.mark.parametrize("letter", list(string.ascii_uppercase))
def test_every_prefix_letter_is_named_in_the_language_of_the_call(
    espeak: Espeak, letter: str, language: str
) -> None:
    call = t("announce.call", language, number=f"{letter} 1", counter=COUNTERS[language])
    said = espeak.phonemes(call, language)
    assert "(en)" not in said or language == "en", f"{call!r}: English letter name in {said}"
    if language == "ru":
        # As if the call had been written with the Russian name of the letter.
        named = t("announce.call", "ru", number=f"{RUSSIAN_NAMES[letter]} 1", counter="Окно 3")
        assert normalized(said) == normalized(raw_phonemes(named, "ru"))
        return
    ticket = normalized(raw_phonemes(t("announce.ticket", language), language))
    one = normalized(raw_phonemes("1", language))
    expected = ticket + letter_name(letter, language) + one
    assert normalized(said).startswith(expected), f"{call!r}: {said!r}, wanted {expected!r}"


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_two_letter_prefixes_and_counter_codes(espeak: Espeak, language: str) -> None:
    call = t("announce.call", language, number="AB 12", counter="3C")
    said = unstressed(normalized(espeak.phonemes(call, language)))
    for letter in "ABC":
        name = unstressed(letter_name(letter, language))
        assert name in said, f"{letter} in {call!r}: {said}"
    assert "(en)" not in said or language == "en"


def test_room_codes_and_keys_in_russian_say_no_english(espeak: Espeak) -> None:
    for phrase in ("Кабинет B-204", "Код K7QM-3XPA", "Клавишей R повторяйте", "Окно 12A"):
        said = espeak.phonemes(phrase, "ru")
        assert "(en)" not in said, f"{phrase!r}: {said}"
    assert "minus" not in espeak.phonemes("Room B-204", "en")
    assert normalized(raw_phonemes("204", "ru")) in normalized(espeak.phonemes("B-204", "ru"))


def test_latvian_words_in_russian_and_english_phrases_are_said_in_latvian(espeak: Espeak) -> None:
    latvian = normalized(raw_phonemes("Rīgas iela", "lv"))
    assert latvian in normalized(espeak.phonemes("Адрес: Rīgas iela 12", "ru"))
    assert normalized(raw_phonemes("lodziņš", "lv")) in normalized(
        espeak.phonemes("Go to lodziņš 4", "en")
    )
    # The English voice would have said "Талон" letter by letter; Russian says the word.
    assert normalized(raw_phonemes("Талон", "ru")) in normalized(espeak.phonemes("Талон", "en"))


def test_english_articles_and_latvian_letters_in_english(espeak: Espeak) -> None:
    assert spoken_segments("A child is born", "en") == (Words("A child is born", "en"),)
    assert "a#" in espeak.phonemes("A child is born", "en"), "the article stays an article"
    # Š is no English letter: named as Latvians name it, not "S hacek".
    assert spoken_segments("Š 12", "en")[0] == Letters("Š", "lv")
    assert "hatS" not in espeak.phonemes("Ticket Š 12", "en")


def test_segments() -> None:
    assert spoken_segments("Талон A 1, Окно 3A", "ru") == (Words("Талон  а  1, Окно 3  а ", "ru"),)
    assert spoken_segments("Biļete AB 12", "lv") == (
        Words("Biļete ", "lv"),
        Letters("AB", "lv"),
        Words(" 12", "lv"),
    )
    assert spoken_segments("В очереди: 3", "ru") == (Words("В очереди: 3", "ru"),)
    assert spoken_segments("3,00 EUR", "ru") == (Words("3,00 евро", "ru"),)
    assert spoken_segments("Enter", "ru") == (Words("Enter", "ru"),), "English words stay"
