"""Counts of people on the portal's pages, suppressed for readers outside the consortium.

``{{ count|people_count:exact }}`` shows ``count`` as it is when ``exact`` is true (the
consortium: coordinators and partner staff), else as reports/disclosure.py shows it to a
funder (1 to 4 reads "< 5"). ``{{ cells|cell:key }}`` reads one cell of a group the view
suppressed together (secondary suppression).
"""

from __future__ import annotations

from typing import Any

from django import template

from reports.disclosure import Cell, people

register = template.Library()


@register.filter
def people_count(value: int | None, exact: bool = False) -> int | Cell | None:
    if value is None or exact:
        return value
    return people(int(value))


@register.filter
def cell(cells: dict[Any, Cell] | None, key: Any) -> Cell | None:
    return (cells or {}).get(key)
