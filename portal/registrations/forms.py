"""The registration form: a few questions, nothing decided here (the service decides)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.models import LANGUAGE_CHOICES, Registration
from events.services.registrations import RegistrationDetails
from portal.select_widget import QuickSelectsMixin


class ConstantChoiceField(forms.ChoiceField):
    """A choice field whose choices, a constant list, every form shares.

    Django deep-copies a field's choices for each form; for the list of some hundred
    languages that is most of the cost of building the registration form, which is built
    for every registration when a popular meeting opens.
    """

    def __deepcopy__(self, memo: dict[int, Any]) -> ConstantChoiceField:
        # forms.Field.__deepcopy__ copies the field and its widget but keeps the same choices.
        return forms.Field.__deepcopy__(self, memo)


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
    interpretation_language = ConstantChoiceField(
        label=capfirst(Registration._meta.get_field("interpretation_language").verbose_name),
        choices=[("", _("No interpretation needed")), *LANGUAGE_CHOICES],
        required=False,
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
