"""What the board says, as laid out by `display.compose` (texts already in one language)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CallView:
    """A call as the board shows it: `A042 → 4`, `4. kabinets, 2. stāvs`."""

    number: str
    label: str
    place: str
    """The counter's name in the shown language; empty when it says no more than the label."""
    area: str = ""
    """Where in the building, in the shown language (`2. stāvs`), if the catalogue says."""

    @property
    def where(self) -> str:
        """`4. kabinets, 2. stāvs`."""
        return ", ".join(part for part in (self.place, self.area) if part)


@dataclass(frozen=True)
class ServiceView:
    """A service's waiting figures as the board shows them."""

    name: str
    figures: str


@dataclass(frozen=True)
class BoardView:
    """Everything the board says, in the language shown now (plus the other languages'
    texts where layout must not change between languages)."""

    date: str
    clock: str
    centre: str
    now_calling: str
    recent_heading: str
    waits_heading: str
    no_calls: str
    current: tuple[CallView, ...] = ()
    recent: tuple[CallView, ...] = ()
    services: tuple[ServiceView, ...] = ()
    services_by_language: tuple[tuple[ServiceView, ...], ...] = ()
    """The same services in every board language (the column must hold the longest word
    of any, so that it does not change width between languages)."""
    headings_by_language: tuple[str, ...] = ()
    """Every language's texts that size the columns (headings, notices)."""
    closed: str = ""
    """The closed notice, or "" while open."""
    hall_empty: bool = False
    """Closed with nobody called or waiting: the notice fills the board."""
    offline: str = ""
    ticker: str = ""
    page_slot: int = 0
    """Which page of waiting times to show (taken modulo the number of pages)."""
