"""allauth adapter: what sign-up records about the person, the language a login brings, and what a new password ends."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation
from django.utils.translation import get_language

from events.branded_mail import branding_context
from portal.client_address import client_ip

from .language_cookie import has_language_cookie, set_language_cookie
from .services import user_clear_failed_logins, user_record_signup
from .two_factor import signed_in_recently


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        # allauth sets e-mail, names and password; we add what the person agreed to.
        user = super().save_user(request, user, form, commit=False)
        # Only a form that asked and got a tick may record consent: a sign-up path
        # without the checkbox must not leave an acceptance that never happened.
        accepted = getattr(form, "cleaned_data", {}).get("accept_privacy") is True
        if accepted:
            return user_record_signup(
                user=user,
                privacy_notice_version=settings.PORTAL_PRIVACY_NOTICE_VERSION,
                language=get_language(),
                commit=commit,
            )
        if commit:
            user.save()
        return user

    def post_login(self, request, user, **kwargs):
        response = super().post_login(request, user, **kwargs)
        # The profile's language follows the person to a device where they have not picked
        # one yet. A language picked on this device (the switch in the header) wins: the
        # person chose it here, and may read better in it than in their profile's default.
        language = getattr(user, "preferred_language", "")
        if language in dict(settings.LANGUAGES) and not has_language_cookie(request):
            set_language_cookie(response, language)
        return response

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # allauth's e-mails (confirm the address, reset the password, unknown account, …) are
        # the portal's own: templates/account/email/ extend the shared frame (templates/email/),
        # which needs the portal's name and the profile link, and they are written in the
        # recipient's language: the profile's when the address belongs to an account, else
        # the language of the page they used.
        user = context.get("user")
        if user is None:
            # "An account already exists": the mail goes to that account, in its language.
            user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        language = getattr(user, "preferred_language", "") or get_language() or settings.LANGUAGE_CODE
        if language[:2] not in dict(settings.LANGUAGES):
            language = settings.LANGUAGE_CODE
        with translation.override(language[:2]):
            branded = branding_context(user)
            super().send_mail(template_prefix, email, {**branded, **context})

    def get_client_ip(self, request) -> str:
        # The same address as the sign-in lockout's (portal/client_address.py): behind the
        # proxy, the client's, so the rate limits count per person, not for everybody at once.
        return client_ip(request) or super().get_client_ip(request)

    def format_email_subject(self, subject: str) -> str:
        # No "[127.0.0.1:8000]" prefix: the subjects name the portal themselves.
        return subject

    def set_password(self, user, password) -> None:
        # allauth sets every new password here: reset link, change and first password.
        super().set_password(user, password)
        user_clear_failed_logins(user=user)

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        # Setting up (or removing) the authenticator app right after signing in asks for no
        # second password: staff are sent there straight from the sign-in (two_factor.py).
        if app == "allauth.mfa" and signed_in_recently(context.request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)
