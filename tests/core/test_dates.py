"""Every date and time printed or spoken follows the one rule of core/i18n/dates.py.

Issue 15: receipts showed 2026-12-29 where tickets showed 29.11.2026, and a date read
aloud came out as "twenty-nine point twelve point two thousand ...".
"""

from __future__ import annotations

import re
import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from core.i18n import format_date, format_datetime, format_day_time, format_time, speak_date
from core.i18n.dates import russian_ordinal_genitive
from core.i18n.spoken import spoken_dates
from printer.layout import (
    Branding,
    Layout,
    ReceiptContent,
    TicketContent,
    receipt_layout,
    ticket_layout,
)
from printer.preview import render_image
from printer.profiles import profile_info
from printer.render_escpos import render
from printer.spec import parse_spec
from tests.support.escpos_decoder import decode

ROOT = Path(__file__).resolve().parents[2]
ANY_DATE = re.compile(r"\d{4}-\d{2}-\d{2}|\d{1,2}[./]\d{1,2}[./]\d{2,4}")
LANGUAGES = ("lv", "ru", "en")


def test_printed_formats() -> None:
    moment = datetime(2026, 12, 29, 9, 5)
    for language in LANGUAGES:
        assert format_date(moment.date(), language) == "29.12.2026"
        assert format_time(moment, language) == "09:05"
        assert format_datetime(moment, language) == "29.12.2026 09:05"
        assert format_day_time(moment, language) == "29.12. 09:05"


def test_spoken_dates_in_words() -> None:
    day = date(2026, 12, 29)
    assert speak_date(day, "lv") == "2026. gada 29. decembris"
    assert speak_date(day, "ru") == "двадцать девятого декабря две тысячи двадцать шестого года"
    assert speak_date(day, "en") == "29 December 2026"
    assert [russian_ordinal_genitive(n) for n in (1, 3, 11, 20, 21, 30, 31, 40, 99)] == [
        "первого",
        "третьего",
        "одиннадцатого",
        "двадцатого",
        "двадцать первого",
        "тридцатого",
        "тридцать первого",
        "сорокового",
        "девяносто девятого",
    ]
    assert spoken_dates("Ответ до 2026-12-29.", "ru") == (
        "Ответ до двадцать девятого декабря две тысячи двадцать шестого года."
    )
    assert spoken_dates("31.02.2026", "en") == "31.02.2026", "not a date: left alone"


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="needs espeak-ng")
@pytest.mark.parametrize(
    ("language", "phrase", "never"),
    [
        ("ru", "Ответ до {date}", "t'otS;ka"),  # "точка"
        ("lv", "Atbilde līdz {date}", "punkts"),
        ("en", "Answer due by {date}", "pOInt"),
        ("en", "Answer due by 2026-12-29", "m'aIn@s"),  # "minus"
    ],
)
def test_dates_are_spoken_as_dates(tmp_path: Path, language: str, phrase: str, never: str) -> None:
    from terminal.speech import Espeak

    text = phrase.format(date=format_date(date(2026, 12, 29), language))
    said = Espeak(tmp_path).phonemes(text, language)
    assert never not in said, f"{text!r} read as {said!r}"
    month = {"lv": "d'etsembRis", "ru": "d;ikab@-r;'A", "en": "dI2s'Emb3"}[language]
    assert month in said


def _printed_text(layout: Layout) -> str:
    spec = parse_spec("dummy;profile=TM-T20II")
    return decode(render(layout, spec), profile_info("TM-T20II").code_pages).text


@pytest.mark.parametrize("language", LANGUAGES)
def test_tickets_and_receipts_print_dates_by_the_one_rule(language: str) -> None:
    issued = datetime(2026, 11, 29, 10, 15)
    ticket = TicketContent("A042", "Dzīvesvieta", issued, 3, 900, language)
    receipt = ReceiptContent(
        "KAC/2026/000123", issued, "Izziņa", "Pašvaldība", date(2026, 12, 29), "K7QM", language
    )
    branding = Branding("Centrs")
    ticket_text = _printed_text(ticket_layout(ticket, branding))
    receipt_text = _printed_text(receipt_layout(receipt, branding))
    assert format_datetime(issued, language) in ticket_text
    assert format_datetime(issued, language) in receipt_text
    assert format_date(date(2026, 12, 29), language) in receipt_text
    for text in (ticket_text, receipt_text):
        for found in ANY_DATE.findall(text):
            assert found in (format_date(issued.date(), language), "29.12.2026"), found
    assert render_image(receipt_layout(receipt, branding), 384).width == 384 + 32


def test_dates_for_people_are_formatted_in_one_home() -> None:
    """No strftime / hand-made date formats in core/ and printer/ outside core/i18n/dates.py.

    (kiosk/, display/ and server/ are to join this list when they use the same home.)
    """
    offenders = []
    for package in ("core", "printer"):
        for path in sorted((ROOT / package).rglob("*.py")):
            if path == ROOT / "core" / "i18n" / "dates.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if "strftime(" in line or re.search(r"%d\.%m|%Y-%m-%d", line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
