"""Rendering a layout to ESC/POS bytes with python-escpos, honouring the profile.

Text goes out in the printer's own code pages when every character of a
paragraph exists in one of the code pages the profile lists (python-escpos
switches pages mid-line as needed); otherwise the paragraph is drawn with the
bundled font and sent as a raster image. A letter is never replaced by `?`.
"""

from __future__ import annotations

import copy
import logging
import textwrap
from typing import Any

from escpos.constants import QR_ECLEVEL_M
from escpos.magicencode import Encoder
from escpos.printer import Dummy
from PIL import Image

from printer.errors import PrinterUnsupported
from printer.layout import Align, Cut, Feed, Layout, Logo, Number, Qr, Rule, Size, Text
from printer.profiles import ProfileInfo, profile_info
from printer.raster import (
    QR_MODULE_DOTS,
    QR_QUIET_ZONE,
    logo_image,
    number_image,
    qr_image,
    qr_plan,
    rule_image,
    text_image,
)
from printer.spec import PrinterSpec

log = logging.getLogger(__name__)

MAX_NUMBER_SCALE = 6


class EscposRenderer:
    """Renders layouts for one printer spec."""

    def __init__(self, spec: PrinterSpec) -> None:
        self.spec = spec
        self.info: ProfileInfo = profile_info(spec.profile, spec.width)
        self._encoder = Encoder(self.info_code_pages())

    def info_code_pages(self) -> dict[str, int]:
        return dict(self.info.code_pages)

    def _new_printer(self) -> Any:
        printer = Dummy(profile=self.spec.profile)
        # Tell python-escpos the real paper width (an instance copy: the profile
        # data is shared by every printer of that profile).
        data = copy.deepcopy(printer.profile.profile_data)
        data.setdefault("media", {}).setdefault("width", {})["pixels"] = self.info.width
        printer.profile.profile_data = data
        return printer

    def can_encode(self, text: str) -> bool:
        """Whether every character exists in one of the profile's code pages."""
        for char in set(text):
            if ord(char) < 128:
                continue
            if not any(self._encoder.can_encode(page, char) for page in self.info.code_pages):
                return False
        return True

    def render(self, layout: Layout) -> bytes:
        """The ESC/POS byte stream for `layout`."""
        printer = self._new_printer()
        printer.hw("INIT")
        if "CP437" in self.info.code_pages:
            # Start from a known code page: after ESC @ some printers default to an
            # Asian page in which even ASCII differs (backslash becomes yen).
            printer.magic.write_with_encoding("CP437", None)
        for block in layout:
            if isinstance(block, Text):
                self._text(printer, block)
            elif isinstance(block, Number):
                self._number(printer, block)
            elif isinstance(block, Qr):
                self._qr(printer, block)
            elif isinstance(block, Logo):
                if self.info.raster_images:
                    self._image(printer, logo_image(block.path, self.info.raster_width))
            elif isinstance(block, Rule):
                self._rule(printer)
            elif isinstance(block, Feed):
                printer.ln(block.lines)
            elif isinstance(block, Cut):
                self._cut(printer)
        output: bytes = printer.output
        return output

    # -- blocks ---------------------------------------------------------------

    def _text(self, printer: Any, block: Text) -> None:
        if self.spec.text == "auto" and self.can_encode(block.text):
            scale = 2 if block.size is Size.LARGE else 1
            longest = max((len(word) for word in block.text.split()), default=0)
            if (block.one_line and len(block.text) > self.info.columns // scale) or (
                longest > self.info.columns // scale
            ):
                scale = 1  # normal size rather than a word broken in two
            printer.set(
                align=block.align.value,
                bold=block.bold,
                double_width=scale == 2,
                double_height=scale == 2,
                normal_textsize=scale == 1,
            )
            columns = max(self.info.columns // scale, 1)
            for line in textwrap.wrap(block.text, columns, break_long_words=True) or [""]:
                printer.textln(line)
            printer.set(bold=False, normal_textsize=True, align="left")
            return
        self._require_images("text that the printer's code pages cannot encode")
        self._image(
            printer,
            text_image(
                block.text,
                self.info.raster_width,
                block.size,
                block.bold,
                block.align,
                block.one_line,
            ),
        )

    def _number(self, printer: Any, block: Number) -> None:
        if self.spec.text == "auto" and self.can_encode(block.text):
            scale = min(MAX_NUMBER_SCALE, self.info.columns // max(len(block.text), 1))
            if scale < 1:
                # Not even at normal size on one line: wrap it like any text.
                self._text(printer, Text(block.text, bold=True))
                return
            printer.set(align="center", bold=True, custom_size=True, width=scale, height=scale)
            printer.textln(block.text)
            printer.set(bold=False, normal_textsize=True, align="left")
            return
        self._require_images("the ticket number as an image")
        self._image(printer, number_image(block.text, self.info.raster_width))

    def _qr(self, printer: Any, block: Qr) -> None:
        mode = self.spec.qr
        as_text = Text(block.data, align=Align.CENTER)
        if mode == "none":
            self._text(printer, as_text)
            return
        if mode == "native" or (mode == "auto" and self.info.qr_native):
            plan = qr_plan(block.data, self.info.width, QR_MODULE_DOTS)
            if plan is None:
                self._qr_does_not_fit(printer, block)
                return
            # The printer centres the symbol; what is left on each side is its quiet zone.
            printer.set(align="center")
            printer.ln()
            printer.qr(block.data, ec=QR_ECLEVEL_M, native=True, size=plan.module_dots)
            printer.ln()
            printer.set(align="left")
            return
        if not self.info.raster_images:
            self._text(printer, as_text)
            return
        if qr_plan(block.data, self.info.raster_width, QR_MODULE_DOTS) is None:
            self._qr_does_not_fit(printer, block)
            return
        self._image(printer, qr_image(block.data, self.info.raster_width, QR_MODULE_DOTS))

    def _qr_does_not_fit(self, printer: Any, block: Qr) -> None:
        log.warning(
            "a QR code of %d characters does not fit %d dots with its %d-module quiet zone "
            "on %s; printing the text instead",
            len(block.data),
            self.info.width,
            QR_QUIET_ZONE,
            self.spec.profile,
        )
        self._text(printer, Text(block.data, align=Align.CENTER))

    def _rule(self, printer: Any) -> None:
        if self.info.raster_images and self.spec.text == "image":
            self._image(printer, rule_image(self.info.raster_width))
            return
        printer.set(align="left")
        printer.textln("-" * self.info.columns)

    def _cut(self, printer: Any) -> None:
        mode = self.spec.cut
        if mode == "none":
            printer.ln(4)
        elif mode == "partial":
            printer.cut(mode="PART")
        else:
            printer.cut(mode="FULL")

    def _image(self, printer: Any, image: Image.Image) -> None:
        printer.image(image, impl="bitImageRaster", center=False)

    def _require_images(self, what: str) -> None:
        if not self.info.raster_images:
            raise PrinterUnsupported(
                f"profile {self.spec.profile} can print neither these characters "
                f"nor images ({what})"
            )


def render(layout: Layout, spec: PrinterSpec) -> bytes:
    """ESC/POS bytes for `layout` on the printer described by `spec`."""
    return EscposRenderer(spec).render(layout)
