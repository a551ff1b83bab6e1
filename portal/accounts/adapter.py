"""allauth adapter: what sign-up records about the person, and what a new password ends."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.utils.translation import get_language

from .services import user_clear_failed_logins, user_record_signup


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

    def set_password(self, user, password) -> None:
        # allauth sets every new password here: reset link, change and first password.
        super().set_password(user, password)
        user_clear_failed_logins(user=user)
