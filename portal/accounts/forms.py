"""Account forms: they validate what people type; the adapter and services/ decide what is stored."""

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from events.models import Registration
from partners.models import Organisation
from portal.models import User
from portal.select_widget import QuickSelectsMixin
from portal.time_zones import user_time_zone_choices

from .selectors import organisation_directory


def _model_label(name: str):
    # The user model's own (translated) field names, so the profile and the admin agree.
    return capfirst(User._meta.get_field(name).verbose_name)


class SignupForm(AllauthSignupForm):
    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    accept_privacy = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the portal processes my data as described there."),
        required=True,
        help_text=_("The privacy notice explains what the portal stores about you, why, who sees it and your rights."),
        error_messages={"required": _("Please accept the privacy notice to create an account.")},
    )

    field_order = ["first_name", "last_name", "email", "password1", "password2", "accept_privacy"]


class ProfileForm(QuickSelectsMixin, forms.Form):
    """What a person may change about themselves. E-mail, password and privileges are not here:
    addresses and passwords have their own verified flows, privileges are the admin's."""

    first_name = forms.CharField(
        label=_("First name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    organisation = forms.ModelChoiceField(
        label=_model_label("organisation"),
        # Narrowed to what the person may see in __init__.
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("— not in the directory —"),
        help_text=_("Pick your organisation if it is listed; otherwise type its name below."),
    )
    organisation_name = forms.CharField(
        label=_model_label("organisation_name"),
        max_length=User._meta.get_field("organisation_name").max_length,
        required=False,
        help_text=User._meta.get_field("organisation_name").help_text,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    preferred_language = forms.ChoiceField(
        label=_model_label("preferred_language"),
        choices=settings.LANGUAGES,
        help_text=_("The portal and its e-mails use this language."),
    )
    sector = forms.ChoiceField(
        label=_model_label("sector"),
        choices=[("", "—"), *Registration.Sector.choices],
        required=False,
    )
    time_zone = forms.ChoiceField(
        label=_model_label("time_zone"),
        choices=lambda: [("", _("Portal default (Europe/Berlin)")), *user_time_zone_choices()],
        required=False,
        help_text=_("Meeting times are shown in this zone; the meeting page also gives the local time."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisation_directory(user)

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("organisation") and cleaned_data.get("organisation_name", "").strip():
            self.add_error(
                "organisation_name",
                _(
                    "You picked an organisation from the directory; leave this field empty or choose "
                    "“not in the directory” above."
                ),
            )
        return cleaned_data


class ErasureConfirmForm(forms.Form):
    """The person's password: erasing the account cannot be undone, so it is asked again."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("This is not your password. Nothing has been changed."), code="wrong")
        return password


# How long a new API token lives, in days: a choice of a few, the longest the default.
API_TOKEN_LIFETIMES = (30, 90, 365)


class _FirstOptionIsTheTarget:
    """A group of boxes whose errors link to its first box (Django names no id for the group)."""

    def id_for_label(self, id_: str, index: str | None = None) -> str:
        return super().id_for_label(id_, "0" if index is None else index)


class _Checkboxes(_FirstOptionIsTheTarget, forms.CheckboxSelectMultiple):
    pass


class _Radios(_FirstOptionIsTheTarget, forms.RadioSelect):
    pass


class ApiTokenForm(forms.Form):
    """A new personal API token: its name, the scopes the person's roles allow, its lifetime."""

    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or the program that uses it."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What the token may do"),
        widget=_Checkboxes,
        help_text=_("Only what your roles allow. The token never does more than you could in the browser."),
        error_messages={"required": _("Choose at least one scope.")},
    )
    lifetime = forms.TypedChoiceField(label=_("Valid for"), coerce=int, widget=_Radios)

    def __init__(self, *args: Any, allowed_scopes: list[str], labels: dict[str, Any], max_days: int, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["scopes"].choices = [(scope, labels[scope]) for scope in allowed_scopes]
        days = sorted({*(d for d in API_TOKEN_LIFETIMES if d < max_days), max_days})
        self.fields["lifetime"].choices = [
            (d, ngettext("%(days)d day", "%(days)d days", d) % {"days": d}) for d in days
        ]
        self.fields["lifetime"].initial = max_days
