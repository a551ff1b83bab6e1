"""Dates, numbers and money in the progress report, as readers of its language write them.

Django's English formats are American (06/30/2021); a European funder reads 30 June 2021
or 30/06/2021. So the report formats its dates itself, per language, instead of using the
portal's DATE_FORMAT, and its numbers with the active language's separators (German
1.234,56; English 1,234.56). Call inside translation.override(report.language).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django import template
from django.utils import dateformat, formats, timezone
from django.utils.translation import get_language

register = template.Library()

# Per language: (long date, short date, date and time).
DATE_FORMATS = {
    "de": ("j. F Y", "d.m.Y", "d.m.Y, H:i"),
    "en": ("j F Y", "d/m/Y", "j F Y, H:i"),
}
CURRENCY_SYMBOLS = {"EUR": "€"}


def _formats() -> tuple[str, str, str]:
    return DATE_FORMATS.get((get_language() or "en")[:2], DATE_FORMATS["en"])


@register.filter
def long_date(value: dt.date | None) -> str:
    return dateformat.format(value, _formats()[0]) if value else ""


@register.filter
def short_date(value: dt.date | None) -> str:
    return dateformat.format(value, _formats()[1]) if value else ""


@register.filter
def date_time(value: dt.datetime | None) -> str:
    if not value:
        return ""

    return dateformat.format(timezone.localtime(value), _formats()[2])


@register.filter
def number(value: Decimal | int | None, places: int | None = None) -> str:
    """A number with the language's separators; ``places`` fixes the decimals (default: as given)."""
    if value is None:
        return "–"
    if places is None and isinstance(value, Decimal):
        # 12.00 reads as 12, 12.50 as 12,5 (de) / 12.5 (en): targets and values are mostly whole.
        value = value.normalize() if value == value.to_integral() else value
        places = max(-value.as_tuple().exponent, 0) if value != value.to_integral() else 0
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


@register.filter
def amount(value: Decimal | None, currency: str = "EUR") -> str:
    """Money with two decimals and its currency: 1.234,56 € (de), €1,234.56 (en)."""
    if value is None:
        return "–"
    shown = formats.number_format(value, 2, use_l10n=True, force_grouping=True)
    symbol = CURRENCY_SYMBOLS.get(currency, currency)
    if (get_language() or "en")[:2] == "de":
        return f"{shown}\u00a0{symbol}"
    return f"{symbol}{shown}" if symbol == "€" else f"{symbol}\u00a0{shown}"


@register.filter
def percent(value: Decimal | int | None) -> str:
    if value is None:
        return "–"
    places = 0 if isinstance(value, int) else 1
    return f"{formats.number_format(value, places, use_l10n=True, force_grouping=True)}\u00a0%"
