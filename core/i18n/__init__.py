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
    catalogue_pages,
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
    catalogue_pages.MESSAGES,
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
    return f"~{_minutes_text(minutes, language)}"


def _minutes_text(minutes: int, language: str) -> str:
    unit_min = t("unit.minutes", language)
    if minutes < 60:
        return f"{minutes} {unit_min}"
    hours, rest = divmod(minutes, 60)
    unit_h = t("unit.hours", language)
    return f"{hours} {unit_h} {rest} {unit_min}" if rest else f"{hours} {unit_h}"


def range_minutes(range_seconds: object) -> tuple[int, int] | None:
    """The whole minutes of a told 80 % range (`[low, high]` seconds, as the server sends
    `estimated_wait_range_seconds`), or None when there is none or it would say nothing
    more than one figure (both ends round to the same minute)."""
    if not isinstance(range_seconds, list | tuple) or len(range_seconds) != 2:
        return None
    low, high = (max(0, round(float(end) / 60)) for end in range_seconds)
    return (low, high) if low < high else None


def format_wait_range(low_minutes: int, high_minutes: int, language: str) -> str:
    """`12–20 min`, `50 min–1 h 10 min` (no "~": a range says its own uncertainty)."""
    if high_minutes < 60:
        return f"{low_minutes}–{high_minutes} {t('unit.minutes', language)}"
    return f"{_minutes_text(low_minutes, language)}–{_minutes_text(high_minutes, language)}"


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


_RANGE_MINUTES = {  # the case after "no"/"līdz", "от"/"до": (after 1, 21 ...; after others)
    "lv": (("minūtes", "minūtēm"), ("minūtei", "minūtēm")),
    "ru": (("минуты", "минут"), ("минуты", "минут")),
    "en": (("minute", "minutes"), ("minute", "minutes")),
}
_RANGE_HOURS = {
    "lv": (("stundas", "stundām"), ("stundai", "stundām")),
    "ru": (("часа", "часов"), ("часа", "часов")),
    "en": (("hour", "hours"), ("hour", "hours")),
}
_RANGE_WORDS = {"lv": ("no", "līdz"), "ru": ("от", "до"), "en": ("", "to")}


def speak_wait_range(low_minutes: int, high_minutes: int, language: str) -> str:
    """A range as it is read aloud: `no 12 līdz 20 minūtēm`, `от 12 до 20 минут`,
    `12 to 20 minutes` (Latvian "no"/"līdz" and Russian "от"/"до" govern the case of the
    unit: genitive or dative singular after 1, 21 ..., plural otherwise)."""

    def said(minutes: int, end: int, with_unit: bool) -> str:
        if minutes == 0:
            return "0"
        hours, rest = divmod(minutes, 60)
        words = []
        for count, forms in ((hours, _RANGE_HOURS), (rest, _RANGE_MINUTES)):
            if count:
                singular, plural_form = forms[language][end]
                one = count % 10 == 1 and count % 100 != 11 if language != "en" else count == 1
                unit = singular if one else plural_form
                words.append(f"{count} {unit}" if with_unit else str(count))
        return " ".join(words)

    start, to = _RANGE_WORDS[language]
    both_minutes = high_minutes < 60
    low = said(low_minutes, 0, with_unit=not both_minutes)
    high = said(high_minutes, 1, with_unit=True)
    return " ".join(part for part in (start, low, to, high) if part)


__all__ = [
    "LANGUAGES",
    "format_date",
    "format_datetime",
    "format_day_time",
    "format_time",
    "format_wait",
    "format_wait_range",
    "lookup",
    "range_minutes",
    "register",
    "speak_date",
    "speak_wait",
    "speak_wait_range",
    "t",
]
