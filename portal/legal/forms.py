from django import forms
from django.utils.translation import gettext_lazy as _


class PrivacyAcceptForm(forms.Form):
    # The version the person read: if a newer one is published meanwhile, they read that first.
    version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    accept = forms.BooleanField(
        label=_(
            "I have read the updated privacy notice and agree that the portal processes my data as described there."
        ),
        required=True,
        error_messages={"required": _("Please accept the updated privacy notice to go on, or sign out.")},
    )
