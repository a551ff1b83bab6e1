"""The consortium's organisations per country, drawn on the server as a horizontal bar chart.

Inline SVG rather than a map: no tiles or scripts from elsewhere, and it reads the same
with a screen reader (each bar is labelled with its country and number in text). The
page shows the same figures in a table next to it.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext

from .selectors import CountryShare

LABEL_WIDTH = 150
BAR_WIDTH = 360
VALUE_WIDTH = 40
ROW_HEIGHT = 24
BAR_COLOUR = "#003d7a"


def country_chart_svg(shares: Sequence[CountryShare], id_prefix: str = "countries") -> SafeString:
    """One bar per country, longest for the country with the most organisations."""
    if not shares:
        return SafeString("")
    most = max(share.count for share in shares)
    rows = []
    for index, share in enumerate(shares):
        y = index * ROW_HEIGHT
        length = max(round(BAR_WIDTH * share.count / most, 1), 2)
        name = str(share.country.name)
        rows.append(
            (
                y + 16,
                name,
                LABEL_WIDTH,
                y + 4,
                length,
                ROW_HEIGHT - 8,
                BAR_COLOUR,
                ngettext("%(country)s: %(count)s organisation", "%(country)s: %(count)s organisations", share.count)
                % {"country": name, "count": share.count},
                LABEL_WIDTH + length + 6,
                y + 16,
                share.count,
            )
        )
    body = format_html_join(
        "",
        '<g class="country-bar"><text x="4" y="{}" font-size="12" fill="#1d2433">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>'
        '<text x="{}" y="{}" font-size="12" fill="#1d2433">{}</text></g>',
        rows,
    )
    height = ROW_HEIGHT * len(shares)
    width = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH
    total = sum(share.count for share in shares)
    return format_html(
        '<svg class="country-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" '
        'height="{h}" role="img" aria-labelledby="{p}-title {p}-desc">'
        '<title id="{p}-title">{title}</title><desc id="{p}-desc">{desc}</desc>{body}</svg>',
        w=width,
        h=height,
        p=id_prefix,
        title=gettext("Consortium by country"),
        desc=ngettext(
            "%(total)s organisation from %(countries)s country.",
            "%(total)s organisations from %(countries)s countries.",
            len(shares),
        )
        % {"total": total, "countries": len(shares)},
        body=body,
    )
