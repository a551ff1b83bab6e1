"""allauth adapter: how sign-up stores the person's choices."""

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        # The sign-up form records the accepted privacy notice and the chosen language.
        form.apply_to_user(user)
        if commit:
            user.save()
        return user
