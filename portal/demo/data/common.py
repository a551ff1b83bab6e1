"""Helpers shared by the project modules."""

import datetime as dt
from typing import NamedTuple

D = dt.date


class Bilingual(NamedTuple):
    """A text in both languages: the loader puts them in ``<field>`` and ``<field>_de``."""

    english: str
    german: str


def bilingual(english: str, german: str, *, translated: bool = False) -> Bilingual:
    """The seeds are German; where the English is our translation, the English text says so."""
    note = "(Translated from the German original.) " if translated else ""
    return Bilingual(f"{note}{english}", german)
