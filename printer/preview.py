"""Rendering a layout to a PNG preview (admin pages, documentation, tests).

The same blocks as the printer, drawn with the same fonts at the printer's
pixel width, on a paper-coloured strip with a dashed line where it is cut.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw

from printer.layout import Cut, Feed, Layout, Logo, Number, Qr, Rule, Size, Text
from printer.raster import (
    FONT_PIXELS,
    LINE_GAP,
    QR_MODULE_DOTS,
    logo_image,
    number_image,
    qr_image,
    qr_plan,
    rule_image,
    text_image,
)

PAPER_MARGIN = 16


def render_image(layout: Layout, width: int = 576) -> Image.Image:
    """The layout as an RGB image for paper `width` dots wide (plus a margin).

    Drawn at the raster width the printer gets (`width` rounded down to whole bytes),
    so every block is exactly as wide as on paper.
    """
    width = max(width - width % 8, 8)
    parts: list[Image.Image] = []
    for block in layout:
        if isinstance(block, Text):
            parts.append(
                text_image(block.text, width, block.size, block.bold, block.align, block.one_line)
            )
        elif isinstance(block, Number):
            parts.append(number_image(block.text, width))
        elif isinstance(block, Qr):
            if qr_plan(block.data, width, QR_MODULE_DOTS) is None:
                parts.append(text_image(block.data, width))
            else:
                parts.append(qr_image(block.data, width, QR_MODULE_DOTS))
        elif isinstance(block, Logo):
            parts.append(logo_image(block.path, width))
        elif isinstance(block, Rule):
            parts.append(rule_image(width))
        elif isinstance(block, Feed):
            line = FONT_PIXELS[Size.NORMAL] + LINE_GAP
            parts.append(Image.new("1", (width, block.lines * line), 1))
        elif isinstance(block, Cut):
            parts.append(_cut_mark(width))
    height = sum(p.height for p in parts) + 2 * PAPER_MARGIN
    page = Image.new("RGB", (width + 2 * PAPER_MARGIN, height), (252, 251, 246))
    y = PAPER_MARGIN
    for part in parts:
        rgb = part.convert("RGB")
        mask = part.convert("L").point(lambda v: 255 - v)
        page.paste(rgb, (PAPER_MARGIN, y), mask)
        y += part.height
    return page


def _cut_mark(width: int) -> Image.Image:
    image = Image.new("1", (width, 24), 1)
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 16):
        draw.line((x, 12, x + 8, 12), fill=0, width=1)
    return image


def render_png(layout: Layout, width: int = 576) -> bytes:
    """The layout as PNG bytes."""
    buffer = io.BytesIO()
    render_image(layout, width).save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def write_png(layout: Layout, path: Path, width: int = 576) -> Path:
    """Write the PNG preview to `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_png(layout, width))
    return path
