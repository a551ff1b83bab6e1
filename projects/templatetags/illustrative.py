"""The mark of invented values (projects/illustrative.py) on every page that shows them.

``{% illustrative_note record %}`` renders the full note below a block of facts;
``{% illustrative_flag record %}`` a short "illustrative" flag for a row or list item, with the
note as its accessible description. Both render nothing for a sourced record.
"""

from django import template

from projects.illustrative import illustrative_note_of

register = template.Library()


@register.inclusion_tag("_illustrative_mark.html")
def illustrative_note(*records: object) -> dict[str, object]:
    """The notes of the illustrative records among ``records`` (a project and its meeting, say)."""
    notes = list(dict.fromkeys(note for note in map(illustrative_note_of, records) if note))
    return {"notes": notes, "flag": False}


@register.inclusion_tag("_illustrative_mark.html")
def illustrative_flag(*records: object) -> dict[str, object]:
    notes = list(dict.fromkeys(note for note in map(illustrative_note_of, records) if note))
    return {"notes": notes, "flag": True}
