"""Small numbers of people (reports/disclosure.py): 1 to 4 reads "< 5", and sums give nothing away."""

from __future__ import annotations

import pytest
from django.utils import translation

from reports.disclosure import Cell, people, people_difference, people_group, people_rate


@pytest.mark.parametrize(("value", "hidden"), [(0, False), (1, True), (2, True), (4, True), (5, False), (1234, False)])
def test_primary_suppression(value, hidden):
    assert people(value).hidden is hidden


def test_shown_text_in_both_languages():
    with translation.override("en"):
        assert str(people(3)) == "< 5"
        assert str(people(0)) == "0"
        assert str(people(1234)) == "1,234"
    with translation.override("de"):
        assert str(people(1234)) == "1.234"


def test_a_hidden_cell_is_escaped_in_html():
    assert Cell(3, True).__html__() == "&lt; 5"


def test_one_hidden_cell_in_a_group_with_a_shown_total_hides_the_next_smallest():
    cells = people_group({"public": 3, "private": 12, "civil": 7, "arts": 0})
    assert {key: cell.hidden for key, cell in cells.items()} == {
        "public": True,
        "private": False,
        "civil": True,  # 7 is the next-smallest non-zero cell: 22 - 12 - 0 no longer gives 3
        "arts": False,  # a zero is never hidden ("< 5" would be false)
    }


def test_two_hidden_cells_need_no_more():
    cells = people_group({"a": 3, "b": 2, "c": 9})
    assert [cell.hidden for cell in cells.values()] == [True, True, False]


def test_without_a_shown_total_only_small_cells_are_hidden():
    cells = people_group({"a": 3, "b": 9}, total_shown=False)
    assert [cell.hidden for cell in cells.values()] == [True, False]


def test_a_small_total_is_itself_hidden_and_needs_no_second_cell():
    cells = people_group({"a": 3, "b": 0})
    assert [cell.hidden for cell in cells.values()] == [True, False]


def test_no_cell_can_be_worked_out_from_the_total_and_the_shown_cells():
    groups = [{"a": 1, "b": 5, "c": 6}, {"a": 4, "b": 40}, {"a": 0, "b": 2, "c": 7, "d": 8}, {"a": 5, "b": 6}]
    for group in groups:
        cells = people_group(group)
        hidden = [key for key, cell in cells.items() if cell.hidden]
        assert len(hidden) != 1 or sum(group.values()) < 5, group


def test_rates_and_differences_of_hidden_counts_are_hidden():
    assert people_rate(people(3), people(8)) is None
    assert people_rate(people(6), people(8)) == 75
    assert people_rate(people(0), people(0)) is None
    assert people_difference(people(8), people(6)).hidden  # 2 no-shows
    assert not people_difference(people(20), people(6)).hidden
    assert people_difference(people(20), people(3)).hidden  # would give the hidden 3 back
