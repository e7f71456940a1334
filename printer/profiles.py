"""python-escpos printer profiles: what Rinda needs to know about each."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from escpos import capabilities

from printer.errors import InvalidPrinterSpec

DEFAULT_WIDTH = 384
FONT_A_DOTS = 12
"""Width of one Font A character cell in dots on the common 203 dpi printers (576 / 48)."""


@dataclass(frozen=True)
class ProfileInfo:
    """What Rinda needs to know about a printer profile."""

    name: str
    width: int
    """Printable width in pixels (DEFAULT_WIDTH when the profile does not say)."""
    width_known: bool
    code_pages: dict[str, int]
    qr_native: bool
    raster_images: bool
    full_cut: bool
    partial_cut: bool
    columns: int
    """Font A characters that fit on a line: the profile's own count, never more than the
    width allows at `FONT_A_DOTS` a character (so text never runs past the paper)."""

    @property
    def raster_width(self) -> int:
        """The widest raster image, in dots, that stays inside the printable width.

        ESC/POS raster rows are whole bytes (8 dots), so an image `width` dots wide is
        padded up to a multiple of 8; 546 would be sent as 552. Round down instead.
        """
        return max(self.width - self.width % 8, 8)


def profile_names() -> list[str]:
    """Every profile python-escpos knows."""
    return sorted(capabilities.CAPABILITIES["profiles"])


def check_profile(name: str) -> None:
    """Raise `InvalidPrinterSpec` for an unknown profile name."""
    if name not in capabilities.CAPABILITIES["profiles"]:
        raise InvalidPrinterSpec(
            f"unknown printer profile {name!r}; `rinda printer profiles` lists them"
        )


@cache
def profile_info(name: str, width: int | None = None) -> ProfileInfo:
    """Facts about a profile; `width` overrides an unknown paper width."""
    check_profile(name)
    profile: Any = capabilities.get_profile(name)
    data = profile.profile_data
    pixels = data.get("media", {}).get("width", {}).get("pixels")
    known = isinstance(pixels, int) or (isinstance(pixels, str) and pixels.isdigit())
    resolved = width or (int(pixels) if known else DEFAULT_WIDTH)
    features = data.get("features", {})
    pages = {
        page: int(slot) for page, slot in profile.get_code_pages().items() if page != "Unknown"
    }
    return ProfileInfo(
        name=name,
        width=resolved,
        width_known=known or width is not None,
        code_pages=pages,
        qr_native=bool(features.get("qrCode")),
        raster_images=bool(features.get("bitImageRaster")),
        full_cut=bool(features.get("paperFullCut")),
        partial_cut=bool(features.get("paperPartCut")),
        columns=_columns(data, resolved),
    )


def _columns(data: dict[str, Any], width: int) -> int:
    """Font A columns: what the profile says (42 on 546-dot '42col' printers), capped by width."""
    by_width = max(width // FONT_A_DOTS, 1)
    stated = data.get("fonts", {}).get("0", {}).get("columns")
    return min(stated, by_width) if isinstance(stated, int) and stated > 0 else by_width
