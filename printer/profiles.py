"""python-escpos printer profiles: what Rinda needs to know about each."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from escpos import capabilities

from printer.errors import InvalidPrinterSpec

DEFAULT_WIDTH = 384


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
        columns=max(resolved // 12, 16),
    )
