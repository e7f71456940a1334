"""Data files shipped with Rinda, and reading them (I/O: not one of the pure modules)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path


def demo_catalogue_text() -> str:
    """The bundled demo catalogue: a municipal one-stop-shop centre in LV/RU/EN."""
    return resources.files(__name__).joinpath("demo_catalogue.toml").read_text("utf-8")


def national_catalogue_text() -> str:
    """The demo national catalogue: the demo's services, standards and departments."""
    return resources.files(__name__).joinpath("national_catalogue.toml").read_text("utf-8")


def subscribed_centre_text() -> str:
    """The demo centre's own file when it subscribes to the national catalogue."""
    return resources.files(__name__).joinpath("subscribed_centre.toml").read_text("utf-8")


def font_path(bold: bool = False) -> Path:
    """The bundled DejaVu Sans (covers Latvian, Cyrillic and arrows), regular or bold."""
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return Path(str(resources.files(__name__).joinpath("fonts", name)))


def sound_path(name: str) -> Path:
    """A bundled sound: `attention.wav` (kiosk warning) or `chime.wav` (hall display)."""
    return Path(str(resources.files(__name__).joinpath("sounds", name)))
