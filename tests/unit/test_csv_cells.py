"""The CSV cell rules: spreadsheet-formula protection and list cells, both ways."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diary.services.exports import FORMULA_STARTS, join_list, protect, split_list, unprotect


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_a_cell_that_starts_like_a_formula_gets_one_quote(start: str) -> None:
    assert protect(f"{start}1+1") == f"'{start}1+1"
    assert unprotect(f"'{start}1+1") == f"{start}1+1"


def test_a_note_that_really_is_1_plus_1_survives_the_round_trip() -> None:
    assert protect("=1+1") == "'=1+1"
    assert unprotect(protect("=1+1")) == "=1+1"


def test_a_note_that_starts_with_a_quote_and_a_formula_keeps_its_quote() -> None:
    assert protect("'=1+1") == "''=1+1"
    assert unprotect("''=1+1") == "'=1+1"


@pytest.mark.parametrize(
    "cell", ["", "hello", "'quoted", "3", "a=b", " =x", "2026-01-01T08:00:00Z"]
)
def test_other_cells_are_left_alone(cell: str) -> None:
    assert protect(cell) == cell
    assert unprotect(cell) == cell


@settings(max_examples=100)
@given(st.text(max_size=40))
def test_protection_is_undone_exactly_and_never_leaves_a_formula(cell: str) -> None:
    assert unprotect(protect(cell)) == cell
    assert not protect(cell).startswith(FORMULA_STARTS)


words = st.text(min_size=1, max_size=15).map(str.strip).filter(bool)


@settings(max_examples=100)
@given(st.lists(words, max_size=5))
def test_list_cells_keep_semicolons_and_backslashes_inside_items(items: list[str]) -> None:
    assert split_list(join_list(items)) == items


def test_list_cells_read_as_people_write_them() -> None:
    assert join_list(["cold; wet", "a\\b"]) == "cold\\; wet; a\\\\b"
    assert split_list("burning;tingling ;  numbness") == ["burning", "tingling", "numbness"]
    assert split_list("") == []
