"""A <select> whose options are written in Python instead of one template each.

Django renders every <option> through a template include. The meeting calendar's filters
offer about 250 countries, 95 languages and every project: rendering them was four fifths
of the page's time (about 63 of 78 ms), and every signed-in visitor's calendar renders.
QuickSelect writes the same HTML as Django's templates (django/forms/widgets/select.html,
select_option.html and attrs.html), escaped the same way; tests/portal/test_select_widget.py
compares the two.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _text(value: Any) -> str:
    # As the filter stringformat:'s' does: a plain string, escaped even if it was marked safe.
    return "%s" % (value,)  # noqa: UP031 - %-formatting is what the filter does


def _attrs(attrs: Mapping[str, Any]) -> str:
    # As attrs.html: False leaves the attribute out, True writes its bare name.
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, _text(value))
        for name, value in attrs.items()
        if value is not False
    )


class QuickSelect(forms.Select):
    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], mark_safe(_attrs(widget["attrs"])))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in options:
                parts.append(
                    format_html(
                        # The option template ends with a line break; so does each option here.
                        '\n  <option value="{}"{}>{}</option>\n',
                        _text(option["value"]),
                        mark_safe(_attrs(option["attrs"])),
                        option["label"],
                    )
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


def quicken_selects(fields: Mapping[str, forms.Field]) -> None:
    """Give every plain Select among ``fields`` the QuickSelect rendering, same state."""
    for field in fields.values():
        if type(field.widget) is forms.Select:
            quick = QuickSelect.__new__(QuickSelect)
            quick.__dict__.update(field.widget.__dict__)
            field.widget = quick


class QuickSelectsMixin:
    """For forms: their plain selects render as QuickSelect."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        quicken_selects(self.fields)


class QuickSelectFiltersMixin:
    """For django-filter FilterSets: the selects of their form render as QuickSelect."""

    @property
    def form(self) -> forms.Form:
        form = super().form
        if not getattr(form, "_quick_selects", False):
            quicken_selects(form.fields)
            form._quick_selects = True
        return form
