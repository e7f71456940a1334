"""Every CSV Rinda writes is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.csv_export import FORMULA_STARTS, csv_text, spreadsheet_cell


@pytest.mark.parametrize(
    "text",
    ["=1+1", "+1", "-1+2", "@SUM(A1)", '\t=HYPERLINK("x")', "\r=1", "=", "\t"],
)
def test_text_a_spreadsheet_would_evaluate_gets_an_apostrophe(text: str) -> None:
    assert spreadsheet_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["A042", "Jānis", " =1", "'=1", "", "1=1"])
def test_other_text_is_written_as_it_is(value: str) -> None:
    assert spreadsheet_cell(value) == value


def test_numbers_and_nothing() -> None:
    assert spreadsheet_cell(-5) == -5
    assert spreadsheet_cell(-0.25) == -0.25
    assert spreadsheet_cell(None) == ""


@settings(max_examples=300, derandomize=True, deadline=None)
@given(
    rows=st.lists(
        st.lists(st.one_of(st.text(max_size=12), st.integers(), st.none()), min_size=2, max_size=2),
        max_size=5,
    )
)
def test_no_cell_read_back_starts_a_formula(rows: list[list[object]]) -> None:
    text = csv_text(["=head", "tail"], rows)  # type: ignore[arg-type]
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or cell.lstrip("-").isdigit()
