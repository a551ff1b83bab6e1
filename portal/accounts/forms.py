"""Account forms."""

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class SignupForm(AllauthSignupForm):
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the portal processes my data as described there."),
        required=True,
        error_messages={"required": _("Please accept the privacy notice to create an account.")},
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2", "accept_privacy"]

    def apply_to_user(self, user) -> None:
        user.first_name = self.cleaned_data["first_name"]
        user.last_name = self.cleaned_data["last_name"]
        user.privacy_notice_version = settings.PORTAL_PRIVACY_NOTICE_VERSION
        user.privacy_accepted_at = timezone.now()
        language = (get_language() or settings.LANGUAGE_CODE)[:2]
        if language in dict(settings.LANGUAGES):
            user.preferred_language = language
