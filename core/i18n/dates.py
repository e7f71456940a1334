"""Dates and times as printed, shown and spoken: one rule per language.

Printed and shown (tickets, receipts, kiosk and staff screens), the same in
Latvian, Russian and English:

    format_date 29.12.2026    format_datetime 29.12.2026 09:05    format_day_time 29.12. 09:05

Day.month.year with a 24-hour clock is how dates are written in Latvia, in Latvian
and in Russian (CLDR `lv` and `ru` short dates, with a four-digit year), and the
English texts of a Latvian centre keep it: a visitor compares the ticket with
signs and documents written that way, and dots (unlike 12/05) are read day-first.
Never ISO 2026-12-29 (that is for data, not people). Each function takes the
language so that one language can differ without touching any caller.

Spoken (`speak_date`), in words a synthesiser reads correctly:

    lv  2026. gada 29. decembris                  (ordinals read by the Latvian voice)
    ru  двадцать девятого декабря две тысячи двадцать шестого года
    en  29 December 2026

Russian dates are said in the genitive ("on the 29th"; after "до", "с"), with
the day and year as ordinal words because the synthesiser reads digits as
cardinals ("двадцать девять декабря" is wrong).
"""

from __future__ import annotations

from datetime import date, datetime

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
MONTHS_LV = (
    "janvāris",
    "februāris",
    "marts",
    "aprīlis",
    "maijs",
    "jūnijs",
    "jūlijs",
    "augusts",
    "septembris",
    "oktobris",
    "novembris",
    "decembris",
)
MONTHS_RU_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)

_RU_UNITS_GENITIVE = (
    "",
    "первого",
    "второго",
    "третьего",
    "четвёртого",
    "пятого",
    "шестого",
    "седьмого",
    "восьмого",
    "девятого",
)
_RU_TEENS_GENITIVE = (
    "десятого",
    "одиннадцатого",
    "двенадцатого",
    "тринадцатого",
    "четырнадцатого",
    "пятнадцатого",
    "шестнадцатого",
    "семнадцатого",
    "восемнадцатого",
    "девятнадцатого",
)
_RU_TENS: tuple[str, ...] = (
    *("", "", "двадцать", "тридцать", "сорок", "пятьдесят"),
    *("шестьдесят", "семьдесят", "восемьдесят", "девяносто"),
)
_RU_TENS_GENITIVE: tuple[str, ...] = (
    *("", "", "двадцатого", "тридцатого", "сорокового", "пятидесятого"),
    *("шестидесятого", "семидесятого", "восьмидесятого", "девяностого"),
)


def russian_ordinal_genitive(number: int) -> str:
    """1-99 as a Russian ordinal in the genitive: 29 -> `двадцать девятого`."""
    if not 1 <= number <= 99:
        raise ValueError(f"{number} is outside 1-99")
    tens, units = divmod(number, 10)
    if tens == 0:
        return _RU_UNITS_GENITIVE[units]
    if tens == 1:
        return _RU_TEENS_GENITIVE[units]
    if units == 0:
        return _RU_TENS_GENITIVE[tens]
    return f"{_RU_TENS[tens]} {_RU_UNITS_GENITIVE[units]}"


def _russian_year_genitive(year: int) -> str:
    if year == 2000:
        return "двухтысячного года"
    if 2000 < year < 2100:
        return f"две тысячи {russian_ordinal_genitive(year - 2000)} года"
    return f"{year} года"


def format_date(day: date, language: str) -> str:
    """`29.12.2026`: the date as printed and shown in `language`."""
    return f"{day.day:02d}.{day.month:02d}.{day.year}"


def format_time(moment: datetime, language: str) -> str:
    """`09:05`: a 24-hour clock in every language."""
    return f"{moment.hour:02d}:{moment.minute:02d}"


def format_datetime(moment: datetime, language: str) -> str:
    """`29.12.2026 09:05`: date and time (already local) as printed."""
    return f"{format_date(moment.date(), language)} {format_time(moment, language)}"


def format_day_time(moment: datetime, language: str) -> str:
    """`29.12. 09:05`: day, month and time without the year (`opens at` notices)."""
    return f"{moment.day:02d}.{moment.month:02d}. {format_time(moment, language)}"


def speak_date(day: date, language: str) -> str:
    """The date in words to be read aloud (see the module table)."""
    if language == "lv":
        return f"{day.year}. gada {day.day}. {MONTHS_LV[day.month - 1]}"
    if language == "ru":
        month = MONTHS_RU_GENITIVE[day.month - 1]
        return f"{russian_ordinal_genitive(day.day)} {month} {_russian_year_genitive(day.year)}"
    return f"{day.day} {MONTHS_EN[day.month - 1]} {day.year}"
