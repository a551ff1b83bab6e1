"""Languages for interpretation at meetings: ISO 639-3 codes, named in the reader's language.

A registration stores the ISO 639-3 code (``prs`` for Dari), because the two-letter codes
of ISO 639-1 have no code for many languages that people who came to Germany speak
(Dari, Kurmanji, Sorani, Tigrinya's neighbours, German Sign Language). pycountry ships the
code table and gettext catalogues with the names in many languages.

The form's list starts with the languages most asked for in Germany's integration work,
then the other living languages of the world's major language table (those with a
two-letter code) and a few more that migrants to Germany speak, sorted by their name in
the reader's language: about 200 entries, so the registration page stays light and the
list can be searched by typing, without JavaScript. Every living ISO 639-3 language stays
a valid stored value (older registrations, the admin). The list is built once per
language and kept, never at import time: the active language is only known while a
request is answered.
"""

from __future__ import annotations

import gettext
import unicodedata
from functools import lru_cache

import pycountry
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# The languages of migration to Germany, in this order, then the two sign languages.
# Macrolanguage codes (ara, fas, pus) where people name the macrolanguage ("Arabic").
COMMON_CODES: tuple[str, ...] = (
    "ara",  # Arabic
    "prs",  # Dari
    "fas",  # Farsi / Persian
    "pus",  # Pashto
    "tir",  # Tigrinya
    "som",  # Somali
    "kmr",  # Kurmanji (Northern Kurdish)
    "ckb",  # Sorani (Central Kurdish)
    "tur",  # Turkish
    "ukr",  # Ukrainian
    "rus",  # Russian
    "gsg",  # German Sign Language
    "ils",  # International Sign
)

# pycountry's catalogues exist for these portal languages; English names need none.
_CATALOGUE_DOMAIN = "iso639-3"


def _offered(language: object) -> bool:
    """Living individual languages, and every language that has a two-letter code.

    The languages with a two-letter code (macrolanguages such as Arabic, Chinese, Persian,
    but also Esperanto or Latin) are what older registrations stored; the data migration
    maps those codes to them, so they stay valid choices.
    """
    if hasattr(language, "alpha_2"):
        return True
    return getattr(language, "type", None) == "L" and getattr(language, "scope", None) == "I"


@lru_cache(maxsize=1)
def _languages() -> dict[str, str]:
    """Code → English name of every offered language."""
    return {language.alpha_3: language.name for language in pycountry.languages if _offered(language)}


def language_codes() -> frozenset[str]:
    """Every code a registration may store."""
    return frozenset(_languages())


@lru_cache(maxsize=8)
def _translator(language: str) -> gettext.NullTranslations:
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(_CATALOGUE_DOMAIN, pycountry.LOCALES_DIR, languages=[language], fallback=True)


def _short(name: str) -> str:
    # Some catalogue entries list synonyms ("Paschtu; Afghanisch"): the first one is the name.
    return name.split(";")[0].strip()


def _page_language(language: str | None) -> str:
    return (language or get_language() or "en")[:2]


# The names people use for these in Germany, added to the standard name so that typing
# them in the list finds the language; the same in both portal languages.
_ALSO_KNOWN_AS = {"fas": "Farsi", "kmr": "Kurmanji", "ckb": "Sorani"}


def language_name(code: str, language: str | None = None) -> str:
    """The name of ``code`` in ``language`` (default: the active one); the code if unknown."""
    english = _languages().get(code)
    if english is None:
        return code
    name = _short(_translator(_page_language(language)).gettext(english))
    return f"{name} ({_ALSO_KNOWN_AS[code]})" if code in _ALSO_KNOWN_AS else name


def _sort_key(name: str) -> tuple[str, str]:
    # Locale-aware enough for German and English (DIN 5007-1): umlauts and accents sort
    # with their base letter (Ä with A), case does not matter; ties by the exact name.
    base = "".join(char for char in unicodedata.normalize("NFKD", name) if not unicodedata.combining(char))
    # Leading punctuation ("'Are'are") does not decide the place.
    return base.lstrip("'’ʼ-(").casefold(), name


# Languages of migration to Germany without a two-letter code, listed besides the common ones.
EXTRA_LISTED_CODES: tuple[str, ...] = (
    "apc",  # Levantine Arabic
    "arz",  # Egyptian Arabic
    "ary",  # Moroccan Arabic
    "haz",  # Hazaragi
    "tig",  # Tigre
    "rmn",  # Balkan Romani
    "rmy",  # Vlax Romani
    "ase",  # American Sign Language
    "bfi",  # British Sign Language
)


@lru_cache(maxsize=1)
def _listed_codes() -> tuple[str, ...]:
    """The codes the form lists besides the common ones: living languages with a two-letter code, and the extras."""
    listed = {
        language.alpha_3
        for language in pycountry.languages
        if hasattr(language, "alpha_2") and getattr(language, "type", None) == "L"
    }
    listed.update(code for code in EXTRA_LISTED_CODES if code in _languages())
    return tuple(sorted(listed - set(COMMON_CODES)))


@lru_cache(maxsize=8)
def _grouped_choices(language: str) -> tuple[tuple[str, tuple[tuple[str, str], ...]], ...]:
    common = tuple((code, language_name(code, language)) for code in COMMON_CODES)
    others = sorted(
        ((code, language_name(code, language)) for code in _listed_codes()),
        key=lambda choice: _sort_key(choice[1]),
    )
    with translation.override(language):
        return (
            (str(_("Frequently needed languages")), common),
            (str(_("Other languages")), tuple(others)),
        )


def language_choices(language: str | None = None) -> list[tuple[str, object]]:
    """Grouped choices for a form in the page's language: the common languages, then all others.

    Built once per language and cached; call it when rendering (a callable ``choices``),
    not at import time.
    """
    return [(group, list(options)) for group, options in _grouped_choices(_page_language(language))]


def validate_language_code(value: str) -> None:
    if value and value not in language_codes():
        raise ValidationError(
            _("“%(value)s” is not a language code the portal knows (ISO 639-3)."),
            code="invalid_language",
            params={"value": value},
        )
