"""Helpers shared by the project modules."""

import datetime as dt

D = dt.date


def bilingual(english: str, german: str, *, translated: bool = False) -> str:
    """One body for both languages until the bilingual fields arrive.

    The seeds' news items: English first; where the seed is German only, the English
    is a translation (``translated=True``) and the German original follows.
    """
    note = "English translation of the German original.\n\n" if translated else ""
    return f"{note}{english}\n\n— Deutsch —\n\n{german}"
