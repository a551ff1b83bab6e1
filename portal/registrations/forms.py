"""The registration form: a few questions, nothing decided here (the service decides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.languages import language_choices, language_codes
from events.models import Registration
from events.services.registrations import NEEDS_CONSENT_MESSAGE, RegistrationDetails
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
    # GDPR Art. 9(2)(a): access needs may be health data, stored only with this explicit,
    # separate consent; unticked by default, and needs without it are refused, not dropped.
    access_needs_consent = forms.BooleanField(
        label=_("I agree that the organisers store my access needs to prepare the meeting"),
        required=False,
        initial=False,
        help_text=_(
            "Needed only if you state access needs. They are deleted %(days)s days after the meeting; "
            "you can withdraw your consent by cancelling the registration or asking the organisers."
        ),
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["access_needs_consent"]
        field.help_text = field.help_text % {"days": settings.PORTAL_RETENTION_ACCESS_NEEDS_DAYS}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("access_needs") or "").strip() and not data.get("access_needs_consent"):
            self.add_error("access_needs_consent", NEEDS_CONSENT_MESSAGE)
        return data

    @property
    def details(self) -> RegistrationDetails:
        data = self.cleaned_data
        return RegistrationDetails(
            sector=data["sector"],
            access_needs=data["access_needs"].strip(),
            interpretation_language=data["interpretation_language"],
            consent_to_list=data["consent_to_list"],
            access_needs_consent=data["access_needs_consent"],
        )
