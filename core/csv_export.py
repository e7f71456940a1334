"""CSV that is safe to open in a spreadsheet: every CSV Rinda writes goes through here.

A spreadsheet evaluates a cell whose text starts with `=`, `+`, `-` or `@` as a
formula, and Excel and LibreOffice also skip a leading tab or carriage return
before deciding, so `"\\t=HYPERLINK(...)"` runs too ("CSV injection", OWASP).
Such a text cell is written with a leading apostrophe, which spreadsheets show
as plain text. Numbers are written as they are (a negative number is data,
not a formula).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""Leading characters that make a spreadsheet evaluate a cell (OWASP, "CSV Injection")."""

Cell = str | int | float | bool | None


def spreadsheet_cell(value: Cell) -> str | int | float:
    """The value as written: text that would run as a formula gets a leading `'`."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A whole CSV document (RFC 4180, CRLF line ends), every cell made safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([spreadsheet_cell(name) for name in header])
    for row in rows:
        writer.writerow([spreadsheet_cell(value) for value in row])
    return out.getvalue()
