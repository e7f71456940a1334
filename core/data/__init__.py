"""Data files shipped with Rinda, and reading them (I/O: not one of the pure modules)."""

from __future__ import annotations

from importlib import resources


def demo_catalogue_text() -> str:
    """The bundled demo catalogue: a municipal one-stop-shop centre in LV/RU/EN."""
    return resources.files(__name__).joinpath("demo_catalogue.toml").read_text("utf-8")
