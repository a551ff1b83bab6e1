"""Values the demo invents where the sources are silent, and how they are marked.

A record's ``illustrative_note`` says which of its values are invented (a budget, an exact
day, a meeting time). Wherever such a record is shown, pages, feeds and PDFs alike, the
mark goes with it, so nobody mistakes an invented value for a sourced one.
"""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

ILLUSTRATIVE_HELP = _(
    "What in this record is illustrative rather than taken from a source "
    "(e.g. a budget or an exact day the sources do not give). Empty means every value is sourced."
)


def illustrative_note_of(record: object) -> str:
    """The record's note on invented values, or "" for a sourced record (or one without the field)."""
    return str(getattr(record, "illustrative_note", "") or "").strip()


def illustrative_text(record: object) -> str:
    """The mark as plain text ("Illustrative values: …") for feeds and calendar files; "" when sourced."""
    note = illustrative_note_of(record)
    if not note:
        return ""
    return f"{gettext('Illustrative values:')} {note}"


def with_illustrative_text(text: str, *records: object) -> str:
    """``text`` followed by the mark of every illustrative record among ``records`` (each once, blank line apart).

    Plain-text surfaces (an RSS item, an .ics DESCRIPTION) cannot carry the page's styled mark,
    so the note is appended to the text a reader sees.
    """
    marks = list(dict.fromkeys(mark for mark in map(illustrative_text, records) if mark))
    return "\n\n".join(part for part in (text, *marks) if part)
