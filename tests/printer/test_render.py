"""Decode the bytes actually emitted: text, every Latvian and Cyrillic letter, QR, cut, widths."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
import zxingcpp
from PIL import ImageChops

from printer.errors import PrinterUnsupported
from printer.layout import (
    LATVIAN_LETTERS,
    RUSSIAN_LETTERS,
    Align,
    Branding,
    ReceiptContent,
    Size,
    Text,
    TicketContent,
    printer_test_layout,
    receipt_layout,
    ticket_layout,
)
from printer.profiles import profile_info
from printer.raster import text_image
from printer.render_escpos import render
from printer.spec import parse_spec
from tests.support.escpos_decoder import Decoded, decode

PROFILES = ("TM-T20II", "POS-5890", "simple")
BRANDING = Branding("Ozolkalna novada klientu apkalpošanas centrs", "Rīgas iela 12", "Paldies!")


def rendered(layout, spec_text: str) -> Decoded:
    spec = parse_spec(spec_text)
    return decode(render(layout, spec), profile_info(spec.profile, spec.width).code_pages)


def qr_from_images(decoded: Decoded) -> list[str]:
    found = []
    for image in decoded.images:
        found += [result.text for result in zxingcpp.read_barcodes(image.convert("L"))]
    return found


def ticket(language: str = "lv", number: str = "A042") -> TicketContent:
    names = {
        "lv": "Dzīvesvietas deklarēšana",
        "ru": "Декларирование места жительства",
        "en": "Declaring your place of residence",
    }
    return TicketContent(
        number=number,
        service_name=names[language],
        issued_at=datetime(2026, 11, 23, 10, 15),
        people_ahead=3,
        estimated_wait_seconds=900,
        language=language,
        counter_hint="4. kabinets, 2. stāvs",
        status_url="http://kac.local:8787/t/4f2a9c",
    )


@pytest.mark.parametrize("profile", ["TM-T20II", "POS-5890"])
def test_every_latvian_and_russian_letter_prints_as_text(profile: str) -> None:
    decoded = rendered(printer_test_layout("test"), f"dummy;profile={profile}")
    for letter in (LATVIAN_LETTERS + RUSSIAN_LETTERS).replace(" ", ""):
        assert letter in decoded.text, f"{letter!r} missing on {profile}"
    assert "?" not in decoded.text
    # Latvian needs a Baltic code page, Russian a Cyrillic one; the profile's slots are used.
    assert {"CP775", "CP1257"} & set(decoded.code_pages_used)
    assert {"CP866", "CP1251"} & set(decoded.code_pages_used)


def test_profile_without_those_code_pages_prints_the_text_as_images() -> None:
    decoded = rendered(printer_test_layout("test"), "dummy;profile=simple")
    assert "?" not in decoded.text
    assert decoded.code_pages_used == ["CP437"]
    assert "ā" not in decoded.text and "ж" not in decoded.text
    # The Latvian letters line is an image identical to the bundled-font rendering.
    expected = text_image(LATVIAN_LETTERS, 384, Size.NORMAL, False, Align.LEFT).convert("L")
    assert any(
        image.size == expected.size and ImageChops.difference(image, expected).getbbox() is None
        for image in decoded.images
    )


def test_forced_image_text_never_uses_code_pages() -> None:
    decoded = rendered(ticket_layout(ticket(), BRANDING), "dummy;profile=TM-T20II;text=image")
    assert decoded.text.strip("\n -") == ""
    assert all(image.width == 576 for image in decoded.images)


@pytest.mark.parametrize(
    ("profile", "width"), [("TM-T20II", 576), ("POS-5890", 384), ("simple", 384)]
)
def test_ticket_in_each_profile(profile: str, width: int) -> None:
    decoded = rendered(ticket_layout(ticket(), BRANDING), f"dummy;profile={profile}")
    assert all(image.width <= width for image in decoded.images)
    number = [line for line in decoded.lines if line.text == "A042"]
    assert number, "the number is printed as text"
    assert number[0].scale == (6, 6) and number[0].bold
    if profile == "simple":
        # No Baltic code page: lines with Latvian letters are images of the same text.
        expected = text_image("Pirms jums rindā: 3", width, Size.NORMAL, False, Align.LEFT)
        assert any(
            ImageChops.difference(image, expected.convert("L")).getbbox() is None
            for image in decoded.images
            if image.size == expected.size
        )
    else:
        assert "Pirms jums rindā: 3" in decoded.text
        assert "Aptuvenā gaidīšana: ~15 min" in decoded.text
    info = profile_info(profile)
    if info.qr_native:
        assert [qr.data for qr in decoded.qr_codes] == ["http://kac.local:8787/t/4f2a9c"]
    else:
        assert decoded.qr_codes == []
        assert "http://kac.local:8787/t/4f2a9c" in qr_from_images(decoded)
    if info.full_cut:
        assert decoded.cuts and not decoded.cuts[-1].partial
    else:
        assert decoded.cuts == [], f"{profile} has no cutter: feed only"


def test_qr_as_image_on_a_printer_with_native_qr_when_asked() -> None:
    decoded = rendered(ticket_layout(ticket(), BRANDING), "dummy;profile=TM-T20II;qr=image")
    assert decoded.qr_codes == []
    assert qr_from_images(decoded) == ["http://kac.local:8787/t/4f2a9c"]


def test_partial_cut_and_no_cut() -> None:
    assert (
        rendered(ticket_layout(ticket(), BRANDING), "dummy;profile=TM-T20II;cut=partial")
        .cuts[-1]
        .partial
    )
    assert rendered(ticket_layout(ticket(), BRANDING), "dummy;profile=TM-T20II;cut=none").cuts == []


@pytest.mark.parametrize("language", ["lv", "ru", "en"])
def test_ticket_and_receipt_texts_in_each_language(language: str) -> None:
    decoded = rendered(ticket_layout(ticket(language), BRANDING), "dummy;profile=TM-T20II")
    words = {"lv": "Jūsu numurs", "ru": "Ваш номер", "en": "Your number"}[language]
    assert words in decoded.text
    receipt = ReceiptContent(
        registration_number="KAC/2026/000123",
        lodged_at=datetime(2026, 11, 23, 10, 20),
        application_type="Izziņas pieprasījums",
        institution="Ozolkalna novada pašvaldība",
        deadline=date(2026, 12, 23),
        secret="K7QM-3XPA",
        language=language,
    )
    text = rendered(receipt_layout(receipt, BRANDING), "dummy;profile=TM-T20II").text
    assert "KAC/2026/000123" in text and "K7QM-3XPA" in text and "23.12.2026" in text


@pytest.mark.parametrize(
    ("language", "printed"), [("lv", "12–20 min"), ("ru", "12–20 мин"), ("en", "12–20 min")]
)
def test_a_told_range_is_printed_instead_of_the_single_estimate(
    language: str, printed: str
) -> None:
    """Issue 22: the ticket prints the 80 % range the server told ("12–20 min"), and the
    single estimate when none was told."""
    told = replace(ticket(language), estimated_wait_range_seconds=(12 * 60 + 10, 20 * 60))
    text = rendered(ticket_layout(told, BRANDING), "dummy;profile=TM-T20II").text
    assert printed in text and "~15" not in text
    plain = rendered(ticket_layout(ticket(language), BRANDING), "dummy;profile=TM-T20II").text
    assert "~15" in plain and "12–20" not in plain


def test_wide_numbers_shrink_to_fit_58mm() -> None:
    decoded = rendered(ticket_layout(ticket(number="AB1000"), BRANDING), "dummy;profile=POS-5890")
    line = next(line for line in decoded.lines if line.text == "AB1000")
    width_dots = 12 * line.scale[0] * len("AB1000")
    assert width_dots <= 384


def test_printer_without_graphics_refuses_what_it_cannot_print(monkeypatch) -> None:
    from printer import render_escpos

    spec = parse_spec("dummy;profile=simple")
    renderer = render_escpos.EscposRenderer(spec)
    monkeypatch.setattr(
        renderer,
        "info",
        profile_info("simple").__class__(
            **{**profile_info("simple").__dict__, "raster_images": False}
        ),
    )
    with pytest.raises(PrinterUnsupported):
        renderer.render((Text("Dzīvesvieta"),))
