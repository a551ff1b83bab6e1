"""Small numbers of people, as a funder sees them: 1 to 4 shows as "< 5".

A funder's officer never sees a participant's name, but a count of one or two people in a
small community, sector or meeting can point to a person all the same. So wherever a
funder reads a count of people (the progress report PDF, the audit bundle that carries
it, the figures on the funder's pages), a count from 1 to 4 is shown as "< 5". Zero and
counts of five or more are shown as they are. Counts of meetings, deliverables or
partners are not about people and are shown as they are.

Primary suppression alone is not enough where a table shows its total: with one hidden
cell, the total minus the shown cells gives it back. Secondary suppression closes that:
in a group whose total is shown, when exactly one cell is hidden, the next-smallest
non-zero cell is hidden as well, so the reader has two unknowns and one equation. We
hide a second cell rather than the total because the totals are what a funder checks
against the project's targets (participants reached, the AMIF indicators): they must stay
exact, while one more sector or community shown as "< 5" costs little. A total that is
itself 1 to 4 is hidden by the primary rule, and then no cell needs more.

A hidden zero would read as "1 to 4", which is false, so zeros are never hidden; when
every other cell of a group is zero, the only non-zero cell equals the total, which is
then small too and hidden.

Coordinators see the real numbers on their own pages; the report is a funder's document
whoever downloads it, so it is always suppressed.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from django.utils import formats
from django.utils.html import escape
from django.utils.translation import gettext

# Counts below this (and above zero) are hidden.
THRESHOLD = 5

K = TypeVar("K", bound=Hashable)


def is_small(value: int) -> bool:
    return 0 < value < THRESHOLD


@dataclass(frozen=True)
class Cell:
    """A count of people as shown: its value, and whether it is hidden."""

    value: int
    hidden: bool = False

    def __str__(self) -> str:
        if self.hidden:
            # Translated when shown, so a cell built under one language reads right in another.
            return gettext("< %(threshold)s") % {"threshold": THRESHOLD}
        if self.value < 1000:
            # No separator to place: the annex shows thousands of these, so skip the locale lookup.
            return str(self.value)
        return formats.number_format(self.value, force_grouping=True)

    def __html__(self) -> str:
        # Templates escape the "<" of "< 5" like any text.
        return escape(str(self))

    @property
    def shown(self) -> int | None:
        """The value when it may be shown, else None (for arithmetic on shown values only)."""
        return None if self.hidden else self.value


def people(value: int) -> Cell:
    """One count of people on its own (primary suppression only)."""
    return Cell(value, is_small(value))


def people_group(cells: Mapping[K, int], *, total_shown: bool = True) -> dict[K, Cell]:
    """The cells of one group (e.g. the sectors of one column) with primary and secondary suppression.

    ``total_shown`` says whether the reader also sees the group's total (the sum of the
    cells); only then can a single hidden cell be worked out, so only then is a second
    one hidden.
    """
    shown = {key: people(value) for key, value in cells.items()}
    total = sum(cells.values())
    hidden = [key for key, cell in shown.items() if cell.hidden]
    if total_shown and len(hidden) == 1 and not is_small(total):
        candidates = sorted(
            (value, index, key)
            for index, (key, value) in enumerate(cells.items())
            if value > 0 and not shown[key].hidden
        )
        if candidates:
            _value, _index, key = candidates[0]
            shown[key] = Cell(cells[key], True)
    return shown


def people_rate(part: Cell, whole: Cell) -> int | None:
    """``part`` as a whole-number percentage of ``whole``, or None when either is hidden or whole is 0.

    A rate of two hidden counts would give them away (1 of 2 is 50 %).
    """
    if part.hidden or whole.hidden or not whole.value:
        return None
    return round(100 * part.value / whole.value)


def people_difference(whole: Cell, part: Cell) -> Cell:
    """``whole`` minus ``part`` (e.g. no-shows), hidden when either is hidden or the result is small."""
    value = max(whole.value - part.value, 0)
    return Cell(value, whole.hidden or part.hidden or is_small(value))
