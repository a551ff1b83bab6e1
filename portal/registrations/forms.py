"""The registration form: a few questions, nothing decided here (the service decides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.languages import language_choices, language_codes
from events.models import Registration
from events.services.registrations import RegistrationDetails
from portal.select_widget import QuickSelectsMixin


def _interpretation_choices() -> list[tuple[str, Any]]:
    # Called when the form is rendered, so the names are in the page's language; the
    # list itself is built once per language (events/languages.py).
    return [("", _("No interpretation needed")), *language_choices()]


class LanguageChoiceField(forms.ChoiceField):
    """An ISO 639-3 interpretation language: a plain <select>, common languages first.

    The choices (about 7,000) are a callable, so each form shares the cached list of its
    page's language instead of deep-copying it; a code is checked against a set, not by
    walking the list. An unknown code is a form error next to the field.
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=_interpretation_choices, **kwargs)

    def __deepcopy__(self, memo: dict[int, Any]) -> LanguageChoiceField:
        # forms.Field.__deepcopy__ copies the field and its widget but keeps the same choices.
        return forms.Field.__deepcopy__(self, memo)

    def valid_value(self, value: str) -> bool:
        return value == "" or value in language_codes()


class RegistrationForm(QuickSelectsMixin, forms.Form):
    sector = forms.ChoiceField(
        label=_("Stakeholder sector"),
        choices=Registration.Sector.choices,
        initial=Registration.Sector.OTHER,
        help_text=_("For the meeting's statistics; only the organisers see it."),
    )
    access_needs = forms.CharField(
        label=_("Access needs"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example step-free access, a hearing loop, breaks or childcare."),
    )
    interpretation_language = LanguageChoiceField(
        label=capfirst(Registration._meta.get_field("interpretation_language").verbose_name),
        required=False,
        help_text=_("Frequently needed languages come first; type a language's name to jump to it."),
    )
    # Unticked by default: only those who say so appear on the list other participants see.
    consent_to_list = forms.BooleanField(
        label=_("Show my name on the participant list that other participants see"),
        required=False,
        initial=False,
    )

    @property
    def details(self) -> RegistrationDetails:
        data = self.cleaned_data
        return RegistrationDetails(
            sector=data["sector"],
            access_needs=data["access_needs"].strip(),
            interpretation_language=data["interpretation_language"],
            consent_to_list=data["consent_to_list"],
        )
