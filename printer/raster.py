"""Drawing layout blocks as black-and-white images with the bundled DejaVu fonts.

Used by the PNG preview for everything, and by the ESC/POS renderer for text
the printer's code pages cannot encode (so no letter ever prints as `?`).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import qrcode
from PIL import Image, ImageDraw, ImageFont

from core.data import font_path
from printer.layout import Align, Size

FONT_PIXELS = {Size.NORMAL: 24, Size.LARGE: 40, Size.HUGE: 150}
"""Pixel heights that match the printers' own font A at 203 dpi (24 dots) and its 2x size."""
LINE_GAP = 6
MARGIN = 8


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


def text_image(
    text: str,
    width: int,
    size: Size = Size.NORMAL,
    bold: bool = False,
    align: Align = Align.CENTER,
    one_line: bool = False,
) -> Image.Image:
    """A paragraph as a 1-bit image exactly `width` pixels wide."""
    pixels = FONT_PIXELS[size]
    face = font(pixels, bold)
    if one_line:
        while face.getlength(text) > width - 2 * MARGIN and pixels > 12:
            pixels -= 2
            face = font(pixels, bold)
        lines = [text]
    else:
        lines = wrap(text, face, width - 2 * MARGIN)
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
    """The ticket number as large as fits the width."""
    pixels = FONT_PIXELS[Size.HUGE]
    face = font(pixels, bold=True)
    while face.getlength(text) > width - 2 * MARGIN and pixels > 24:
        pixels -= 6
        face = font(pixels, bold=True)
    left, top, right, bottom = face.getbbox(text)
    image = Image.new("1", (width, int(bottom - top) + 2 * LINE_GAP), 1)
    draw = ImageDraw.Draw(image)
    draw.text(((width - (right - left)) / 2 - left, LINE_GAP - top), text, font=face, fill=0)
    return image


def qr_image(data: str, width: int, module_pixels: int = 6) -> Image.Image:
    """A QR code centred on a `width`-wide strip."""
    code = qrcode.QRCode(
        border=2, box_size=module_pixels, error_correction=qrcode.constants.ERROR_CORRECT_M
    )
    code.add_data(data)
    code.make(fit=True)
    picture = code.make_image(fill_color="black", back_color="white").get_image().convert("1")
    if picture.width > width and module_pixels > 1:
        return qr_image(data, width, module_pixels - 1)
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
