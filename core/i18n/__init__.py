"""Texts in Latvian, Russian and English, and formatting of waits, dates and times.

Dates and times, printed, shown or spoken, follow the one rule in `core.i18n.dates`
(re-exported here). How a phrase is split between languages for speech is in
`core.i18n.spoken`.

Message tables live in submodules by area (`common`, `printing`, `kiosk`,
`display`, `web`); every entry is a `Localized`. `t(key, language, **values)`
looks a key up in all of them and fills `{placeholders}`.
"""

from __future__ import annotations

from core.i18n import (
    applications,
    appointments,
    common,
    display,
    feedback,
    kiosk,
    network,
    printing,
    web,
)
from core.i18n.dates import (
    format_date,
    format_datetime,
    format_day_time,
    format_time,
    speak_date,
)
from core.model import LANGUAGES, Localized

_TABLES: list[dict[str, Localized]] = [
    common.MESSAGES,
    printing.MESSAGES,
    kiosk.MESSAGES,
    display.MESSAGES,
    web.MESSAGES,
    applications.MESSAGES,
    feedback.MESSAGES,
    network.MESSAGES,
    appointments.MESSAGES,
]


def register(messages: dict[str, Localized]) -> None:
    """Add a message table (used by the kiosk, display and web packages)."""
    if messages not in _TABLES:
        _TABLES.append(messages)


def messages(prefixes: tuple[str, ...], language: str) -> dict[str, str]:
    """Every message whose key starts with one of `prefixes`, in `language` (for web pages)."""
    return {
        key: text.get(language)
        for table in _TABLES
        for key, text in table.items()
        if key.startswith(prefixes)
    }


def lookup(key: str) -> Localized:
    """The message for `key` (KeyError names the missing key)."""
    for table in _TABLES:
        if key in table:
            return table[key]
    raise KeyError(f"no message {key!r}")


def t(key: str, language: str, **values: object) -> str:
    """The message in `language` with `{placeholders}` filled in."""
    text = lookup(key).get(language)
    return text.format(**values) if values else text


def format_wait(seconds: int | None, language: str) -> str:
    """`~15 min`, `~1 h 20 min`, or a word for unknown / no wait."""
    if seconds is None:
        return t("wait.unknown", language)
    minutes = max(0, round(seconds / 60))
    if minutes == 0:
        return t("wait.none", language)
    unit_min = t("unit.minutes", language)
    if minutes < 60:
        return f"~{minutes} {unit_min}"
    hours, rest = divmod(minutes, 60)
    unit_h = t("unit.hours", language)
    return f"~{hours} {unit_h} {rest} {unit_min}" if rest else f"~{hours} {unit_h}"


def plural(count: int, language: str, forms: tuple[str, ...]) -> str:
    """The right form of a noun after `count`.

    Latvian (singular, plural): 1, 21, 31 ... take the singular, 11 the plural.
    Russian (one, few, many): 1, 21 ... / 2-4, 22-24 ... / 0, 5-20, 25-30 ...
    English (singular, plural).
    """
    if language == "ru":
        if count % 10 == 1 and count % 100 != 11:
            return forms[0]
        if 2 <= count % 10 <= 4 and not 12 <= count % 100 <= 14:
            return forms[1]
        return forms[2]
    if language == "lv":
        return forms[0] if count % 10 == 1 and count % 100 != 11 else forms[1]
    return forms[0] if count == 1 else forms[1]


_MINUTES = {
    "lv": ("minūte", "minūtes"),
    "ru": ("минута", "минуты", "минут"),
    "en": ("minute", "minutes"),
}
_HOURS = {"lv": ("stunda", "stundas"), "ru": ("час", "часа", "часов"), "en": ("hour", "hours")}
_ABOUT = {"lv": "aptuveni", "ru": "примерно", "en": "about"}


def speak_wait(seconds: int | None, language: str) -> str:
    """A wait as it is read aloud: `aptuveni 15 minūtes`, `примерно 1 час 5 минут`."""
    if seconds is None:
        return t("wait.unknown", language)
    minutes = max(0, round(seconds / 60))
    if minutes == 0:
        return t("wait.none", language)
    hours, rest = divmod(minutes, 60)
    words = []
    if hours:
        words.append(f"{hours} {plural(hours, language, _HOURS[language])}")
    if rest:
        words.append(f"{rest} {plural(rest, language, _MINUTES[language])}")
    return f"{_ABOUT[language]} {' '.join(words)}"


__all__ = [
    "LANGUAGES",
    "format_date",
    "format_datetime",
    "format_day_time",
    "format_time",
    "format_wait",
    "lookup",
    "register",
    "speak_date",
    "speak_wait",
    "t",
]
