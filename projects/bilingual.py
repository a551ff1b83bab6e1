"""Texts a coordinator keeps in English and German, shown in the page's language.

The seeds are bilingual, but not every text exists in both languages: a German
neighbourhood project may write only German, a European network only English. Each
bilingual text is two fields, ``<name>`` (English) and ``<name>_de`` (German); a page
shows the one in its language and falls back to the other when it is empty.

The shown text carries the language it is written in (``.lang``), so a template can mark
a fallback with ``lang="…"`` and screen readers pronounce it right (WCAG 3.1.2).
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import get_language

ENGLISH, GERMAN = "en", "de"


class LocalizedText(str):
    """A ``str`` that knows its language; templates render it like any string."""

    lang: str

    def __new__(cls, value: str, lang: str) -> LocalizedText:
        text = super().__new__(cls, value)
        text.lang = lang
        return text

    def __getnewargs__(self) -> tuple[str, str]:
        # copy, deepcopy and pickle rebuild it with its language (dataclasses.replace,
        # caches): without this they would call __new__ with the text alone.
        return (str(self), self.lang)


def text_in_language(obj: object, name: str, language: str | None = None) -> LocalizedText:
    """``obj.<name>`` in ``language`` (default: the active one), else in the other language."""
    english = getattr(obj, name) or ""
    german = getattr(obj, f"{name}_de") or ""
    wanted = (language or get_language() or ENGLISH)[:2]
    if wanted == GERMAN:
        return LocalizedText(german, GERMAN) if german else LocalizedText(english, ENGLISH)
    return LocalizedText(english, ENGLISH) if english else LocalizedText(german, GERMAN)


def one_language_given(name: str) -> Q:
    """The database rule for a required bilingual text: at least one language is filled in."""
    return ~Q(**{name: ""}) | ~Q(**{f"{name}_de": ""})
