"""Template help for bilingual texts (projects/bilingual.py)."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language

register = template.Library()


@register.filter
def lang_attr(text: object) -> SafeString | str:
    """` lang="xx"` when a bilingual text fell back to the other language, else nothing.

    Usage: ``<p{{ project.display_summary|lang_attr }}>{{ project.display_summary }}</p>``.
    """
    lang = getattr(text, "lang", None)
    if not lang or lang == (get_language() or "")[:2]:
        return ""
    return format_html(' lang="{}"', lang)
