"""Nothing printed is wider than the paper: every layout element on every profile Rinda lists.

The bytes are decoded back (tests/support/escpos_decoder.py). Raster images must not be
wider than the profile's printable width nor have ink cut off at their edges; text lines
must fit the profile's own Font A column count; a QR code, drawn by us or by the printer,
must fit together with its 4-module quiet zone (ISO/IEC 18004) and read back with zxing-cpp.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
import qrcode
import zxingcpp
from escpos import capabilities
from PIL import Image
from qrcode.util import MODE_8BIT_BYTE, QRData

from printer.errors import PrinterUnsupported
from printer.layout import (
    Branding,
    Layout,
    ReceiptContent,
    Size,
    TicketContent,
    printer_test_layout,
    receipt_layout,
    ticket_layout,
)
from printer.preview import PAPER_MARGIN, render_image
from printer.profiles import profile_info, profile_names
from printer.raster import fitted_lines
from printer.render_escpos import render
from printer.spec import parse_spec
from tests.support.escpos_decoder import Decoded, NativeQr, decode

QUIET_ZONE = 4
TOLERANCE = 0.05
"""zxing-cpp's corner positions are off by up to a pixel: a twentieth of a module."""
URL_LENGTHS = (24, 120, 346, 700)
EC_LEVELS = {
    "L": qrcode.constants.ERROR_CORRECT_L,
    "M": qrcode.constants.ERROR_CORRECT_M,
    "Q": qrcode.constants.ERROR_CORRECT_Q,
    "H": qrcode.constants.ERROR_CORRECT_H,
}


def status_url(length: int) -> str:
    base = "http://kac.local:8787/t/"
    return base + ("4f2a9c0b17d3e865" * 50)[: length - len(base)]


def a_ticket(url: str, number: str = "A042") -> Layout:
    content = TicketContent(
        number=number,
        service_name="Dzīvesvietas deklarēšana",
        issued_at=datetime(2026, 11, 23, 10, 15),
        people_ahead=3,
        estimated_wait_seconds=900,
        language="lv",
        counter_hint="4. kabinets, 2. stāvs",
        status_url=url,
    )
    branding = Branding("Ozolkalna novada klientu apkalpošanas centrs", "Rīgas iela 12", "Paldies!")
    return ticket_layout(content, branding)


def a_receipt(language: str) -> Layout:
    content = ReceiptContent(
        registration_number="KAC/2026/000123",
        lodged_at=datetime(2026, 11, 23, 10, 20),
        application_type="Izziņas pieprasījums par deklarēto dzīvesvietu",
        institution="Ozolkalna novada pašvaldība",
        deadline=date(2026, 12, 23),
        secret="K7QM-3XPA",
        language=language,
    )
    return receipt_layout(content, Branding("Ozolkalna novada centrs"))


def stated_font_a_columns(profile: str) -> int | None:
    """Font A columns as python-escpos's profile data states them (independent of Rinda)."""
    fonts = capabilities.get_profile(profile).profile_data.get("fonts", {})
    columns = fonts.get("0", {}).get("columns")
    return columns if isinstance(columns, int) else None


def printed_native_qr(qr: NativeQr, paper: int) -> Image.Image:
    """What the printer draws for `GS ( k`: the symbol centred (ESC a 1) on paper `paper` wide.

    Encoded in byte mode, the largest a printer's encoder can make it.
    """
    code = qrcode.QRCode(border=0, box_size=qr.size, error_correction=EC_LEVELS[qr.ec])
    code.add_data(QRData(qr.data.encode("utf-8"), mode=MODE_8BIT_BYTE))
    code.make(fit=True)
    symbol = code.make_image().get_image().convert("L")
    assert symbol.width <= paper, f"native QR {symbol.width} dots on {paper}-dot paper"
    strip = Image.new("L", (paper, symbol.height + 2 * QUIET_ZONE * qr.size), 255)
    strip.paste(symbol, ((paper - symbol.width) // 2, QUIET_ZONE * qr.size))
    return strip


def quiet_zone_modules(image: Image.Image, data: str) -> float:
    """Decode `image` and return the narrower of its left and right margins, in modules."""
    results = [r for r in zxingcpp.read_barcodes(image) if r.text == data]
    assert results, "the QR code does not read back"
    result = results[0]
    modules = 17 + 4 * int(result.extra["Version"])
    xs = [result.position.top_left.x, result.position.bottom_left.x]
    xs_right = [result.position.top_right.x, result.position.bottom_right.x]
    left, right = min(xs), max(xs_right) + 1
    module = (right - left) / modules
    return min(left, image.width - right) / module


def ink_at_edges(image: Image.Image) -> bool:
    """Whether any dark pixel is in the first or last column (a glyph cut off at the edge)."""
    grey = image.convert("L")
    for x in (0, grey.width - 1):
        column = grey.crop((x, 0, x + 1, grey.height))
        if column.getextrema()[0] < 128:
            return True
    return False


def check_fits(decoded: Decoded, profile: str, width: int) -> None:
    stated = stated_font_a_columns(profile)
    for line in decoded.lines:
        characters = len(line.text) * line.scale[0]
        assert characters * 12 <= width, f"{line.text!r} x{line.scale[0]} wider than {width}"
        if stated is not None:
            assert characters <= stated, f"{line.text!r} x{line.scale[0]} > {stated} columns"
    for image in decoded.images:
        assert image.width <= width, f"raster {image.width} dots on {width}-dot paper"
        assert not ink_at_edges(image), "something is cut off at the edge of an image"


def spec_for(profile: str, extra: str = "") -> str:
    return f"dummy;profile={profile}{extra}"


@pytest.mark.parametrize("length", URL_LENGTHS)
@pytest.mark.parametrize("profile", profile_names())
def test_ticket_qr_and_everything_else_fit_every_profile(profile: str, length: int) -> None:
    url = status_url(length)
    info = profile_info(profile)
    spec = parse_spec(spec_for(profile))
    try:
        data = render(a_ticket(url), spec)
    except PrinterUnsupported:
        assert not info.raster_images, "only a printer without images may refuse"
        return
    decoded = decode(data, info.code_pages)
    check_fits(decoded, profile, info.width)
    if decoded.qr_codes:
        (native,) = decoded.qr_codes
        assert native.data == url
        printed = printed_native_qr(native, info.width)
        assert quiet_zone_modules(printed, url) >= QUIET_ZONE - TOLERANCE
        return
    raster = [image for image in decoded.images if zxingcpp.read_barcodes(image)]
    if raster:
        assert quiet_zone_modules(raster[0], url) >= QUIET_ZONE - TOLERANCE
        return
    # No QR code at all: only where none fits readably, and then the address is printed.
    assert "".join(line.text for line in decoded.lines).find(url) >= 0 or not info.raster_images
    assert not info.raster_images or length >= 346, "a short address always fits as a QR code"


def test_the_reported_case_sunmi_v2_with_a_346_byte_address() -> None:
    """Issue 14: 390 dots of native QR on 384-dot paper."""
    url = status_url(346)
    info = profile_info("Sunmi-V2")
    decoded = decode(render(a_ticket(url), parse_spec("dummy;profile=Sunmi-V2")), info.code_pages)
    (native,) = decoded.qr_codes
    printed = printed_native_qr(native, info.width)
    assert quiet_zone_modules(printed, url) >= QUIET_ZONE - TOLERANCE


@pytest.mark.parametrize("profile", profile_names())
def test_receipt_test_page_and_image_text_fit_every_profile(profile: str) -> None:
    info = profile_info(profile)
    layouts = [
        a_receipt("lv"),
        a_receipt("ru"),
        printer_test_layout(profile),
        a_ticket("", "AB1000"),
    ]
    variants = [""] + ([";text=image;qr=image"] if info.raster_images else [])
    for extra in variants:
        spec = parse_spec(spec_for(profile, extra))
        for layout in layouts:
            try:
                data = render(layout, spec)
            except PrinterUnsupported:
                assert not info.raster_images
                continue
            check_fits(decode(data, info.code_pages), profile, info.width)


@pytest.mark.parametrize("profile", ["Sunmi-V2", "TM-T20II-42col", "OCD-300", "AF-240"])
@pytest.mark.parametrize("length", [24, 346])
def test_preview_fits_and_reads_back(profile: str, length: int) -> None:
    url = status_url(length)
    info = profile_info(profile)
    page = render_image(a_ticket(url, "AB1000"), info.width)
    # The paper without its margin and without the dashed cut mark at the bottom.
    paper = page.crop((PAPER_MARGIN, 0, page.width - PAPER_MARGIN, page.height - PAPER_MARGIN - 24))
    assert paper.width <= info.width
    assert not ink_at_edges(paper)
    if paper.width >= 300:
        assert quiet_zone_modules(paper.convert("L"), url) >= QUIET_ZONE - TOLERANCE


@pytest.mark.parametrize("width", [384, 432, 512, 546, 576])
def test_large_text_is_never_broken_inside_a_word(width: int) -> None:
    """Large text becomes smaller rather than print "Декларировани" / "е места"."""
    for text in (
        "Декларирование места жительства",
        "Заявление зарегистрировано",
        "Dzīvesvietas deklarēšana",
        "Declaring your place of residence",
    ):
        for bold in (False, True):
            _, lines = fitted_lines(text, width - width % 8, Size.LARGE, bold)
            assert " ".join(lines).split() == text.split(), lines


@pytest.mark.parametrize("profile", ["Sunmi-V2", "POS-5890", "RP-F10-58mm"])
def test_large_text_in_code_pages_is_never_broken_inside_a_word(profile: str) -> None:
    info = profile_info(profile)
    content = TicketContent(
        "A042", "Декларирование места жительства", datetime(2026, 11, 23, 10, 15), 3, 900, "ru"
    )
    layout = ticket_layout(content, Branding("Центр обслуживания клиентов"))
    decoded = decode(render(layout, parse_spec(spec_for(profile))), info.code_pages)
    assert "Декларирование" in decoded.text.split()
