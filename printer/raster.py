"""Drawing layout blocks as black-and-white images with the bundled DejaVu fonts.

Used by the PNG preview for everything, and by the ESC/POS renderer for text
the printer's code pages cannot encode (so no letter ever prints as `?`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont
from qrcode.exceptions import DataOverflowError
from qrcode.util import MODE_8BIT_BYTE, QRData

from core.data import font_path
from printer.layout import Align, Size

FONT_PIXELS = {Size.NORMAL: 24, Size.LARGE: 40, Size.HUGE: 150}
"""Pixel heights that match the printers' own font A at 203 dpi (24 dots) and its 2x size."""
LINE_GAP = 6
MARGIN = 8
MIN_FONT_PIXELS = 8
"""The smallest a one-line code or the ticket number shrinks to before it wraps instead."""

QR_QUIET_ZONE = 4
"""Light modules on every side of a QR symbol (ISO/IEC 18004:2015, section 6.3.8)."""
QR_MODULE_DOTS = 6
"""Preferred module size (0.75 mm at 203 dpi); smaller only where the paper needs it."""
QR_MIN_MODULE_DOTS = 2
"""Smallest module printed (0.25 mm at 203 dpi); below that a phone cannot read it reliably."""
QR_ERROR_CORRECTION = "M"
"""Level M (15 % of the symbol may be lost): thermal paper gets scuffed and folded."""


@cache
def font(pixels: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    """The bundled DejaVu Sans at a pixel size."""
    return ImageFont.truetype(str(font_path(bold)), pixels)


def wrap(text: str, face: ImageFont.FreeTypeFont, width: int) -> list[str]:
    """Break `text` into lines no wider than `width` pixels (long words are split)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split(" "):
            candidate = f"{current} {word}" if current else word
            if face.getlength(candidate) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            rest = word
            while face.getlength(rest) > width and len(rest) > 1:
                cut = len(rest)
                while cut > 1 and face.getlength(rest[:cut]) > width:
                    cut -= 1
                lines.append(rest[:cut])
                rest = rest[cut:]
            current = rest
        lines.append(current)
    return lines


def fitted_lines(
    text: str, width: int, size: Size = Size.NORMAL, bold: bool = False, one_line: bool = False
) -> tuple[ImageFont.FreeTypeFont, list[str]]:
    """The font and lines a paragraph is drawn with on paper `width` pixels wide.

    Large text shrinks (not below normal size) until its longest word fits, so words are
    not broken ("Декларировани/е" on 58 mm paper). `one_line` text shrinks (down to
    `MIN_FONT_PIXELS`) to stay on one line; if it still does not fit, it wraps like any
    other text. Nothing is ever cut off at the edge.
    """
    pixels = FONT_PIXELS[size]
    face = font(pixels, bold)
    usable = width - 2 * MARGIN
    if one_line:
        while face.getlength(text) > usable and pixels > MIN_FONT_PIXELS:
            pixels -= 2
            face = font(pixels, bold)
        if face.getlength(text) <= usable:
            return face, [text]
    longest = max(text.split(), key=face.getlength, default="")
    while face.getlength(longest) > usable and pixels > FONT_PIXELS[Size.NORMAL]:
        pixels -= 2
        face = font(pixels, bold)
    return face, wrap(text, face, usable)


def text_image(
    text: str,
    width: int,
    size: Size = Size.NORMAL,
    bold: bool = False,
    align: Align = Align.CENTER,
    one_line: bool = False,
) -> Image.Image:
    """A paragraph as a 1-bit image exactly `width` pixels wide (see `fitted_lines`)."""
    face, lines = fitted_lines(text, width, size, bold, one_line)
    ascent, descent = face.getmetrics()
    line_height = ascent + descent + LINE_GAP
    image = Image.new("1", (width, line_height * len(lines)), 1)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        line_width = face.getlength(line)
        x = (width - line_width) / 2 if align is Align.CENTER else MARGIN
        draw.text((x, index * line_height), line, font=face, fill=0)
    return image


def number_image(text: str, width: int) -> Image.Image:
    """The ticket number as large as fits the width (wrapped only on absurdly narrow paper)."""
    pixels = FONT_PIXELS[Size.HUGE]
    face = font(pixels, bold=True)
    usable = width - 2 * MARGIN
    while face.getlength(text) > usable and pixels > MIN_FONT_PIXELS:
        pixels = max(pixels - 6, MIN_FONT_PIXELS)
        face = font(pixels, bold=True)
    if face.getlength(text) > usable:
        return text_image(text, width, Size.NORMAL, bold=True, one_line=True)
    left, top, right, bottom = face.getbbox(text)
    image = Image.new("1", (width, int(bottom - top) + 2 * LINE_GAP), 1)
    draw = ImageDraw.Draw(image)
    draw.text(((width - (right - left)) / 2 - left, LINE_GAP - top), text, font=face, fill=0)
    return image


@dataclass(frozen=True)
class QrPlan:
    """How a QR code is drawn on paper of a given width."""

    version: int
    """QR version 1-40; the symbol is `17 + 4 * version` modules square."""
    module_dots: int
    """Dots per module (the ESC/POS `GS ( k` module size)."""

    @property
    def modules(self) -> int:
        """Modules across the symbol, without the quiet zone."""
        return 17 + 4 * self.version

    @property
    def width(self) -> int:
        """Dots across the symbol and its quiet zone on both sides."""
        return (self.modules + 2 * QR_QUIET_ZONE) * self.module_dots


def _qr_code(data: str, version: int | None = None, module_dots: int = 1) -> qrcode.QRCode:
    # Byte mode for every character: the version a printer's own encoder chooses for the
    # same text and error correction is never larger than this one.
    code = qrcode.QRCode(
        version=version,
        box_size=module_dots,
        border=QR_QUIET_ZONE,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    code.add_data(QRData(data.encode("utf-8"), mode=MODE_8BIT_BYTE))
    code.make(fit=version is None)
    return code


@cache
def qr_plan(data: str, width: int, module_dots: int = QR_MODULE_DOTS) -> QrPlan | None:
    """The largest module size up to `module_dots` at which the symbol and its quiet zone
    fit `width` dots; None when even `QR_MIN_MODULE_DOTS` would not (or the data is more
    than a QR code holds): print the text instead."""
    try:
        version = _qr_code(data).version
    except DataOverflowError:
        return None
    modules = 17 + 4 * version + 2 * QR_QUIET_ZONE
    fitting = min(module_dots, width // modules)
    if fitting < QR_MIN_MODULE_DOTS:
        return None
    return QrPlan(version, fitting)


def qr_image(data: str, width: int, module_pixels: int = QR_MODULE_DOTS) -> Image.Image:
    """A QR code with its quiet zone, centred on a `width`-wide strip, modules at most
    `module_pixels` wide; raises ValueError when it cannot fit (see `qr_plan`)."""
    plan = qr_plan(data, width, module_pixels)
    if plan is None:
        raise ValueError(f"a QR code of {len(data)} characters does not fit {width} dots")
    code = _qr_code(data, plan.version, plan.module_dots)
    picture = code.make_image(fill_color="black", back_color="white").get_image().convert("1")
    strip = Image.new("1", (width, picture.height), 1)
    strip.paste(picture, ((width - picture.width) // 2, 0))
    return strip


def logo_image(path: Path, width: int, share: float = 0.6) -> Image.Image:
    """The logo scaled to at most `share` of the width, centred, dithered to 1 bit."""
    with Image.open(path) as original:
        picture = original.convert("L")
    limit = int(width * share)
    if picture.width > limit:
        height = round(picture.height * limit / picture.width)
        picture = picture.resize((limit, max(height, 1)))
    strip = Image.new("L", (width, picture.height), 255)
    strip.paste(picture, ((width - picture.width) // 2, 0))
    return strip.convert("1")


def rule_image(width: int) -> Image.Image:
    """A thin horizontal line with space around it."""
    image = Image.new("1", (width, 14), 1)
    ImageDraw.Draw(image).line((MARGIN, 7, width - MARGIN, 7), fill=0, width=2)
    return image
