"""Account pages of our own: the profile (allauth serves the rest; the privacy notice is portal.legal's)."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView

from portal.legal.selectors import privacy_notice_current_version

from .forms import ProfileForm
from .language_cookie import set_language_cookie
from .selectors import two_factor_status
from .services import user_update_profile


class ProfileView(LoginRequiredMixin, FormView):
    template_name = "account/profile.html"
    form_class = ProfileForm
    success_url = reverse_lazy("account_profile")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        user = self.request.user
        return {
            "first_name": user.first_name,
            "last_name": user.last_name,
            "organisation": user.organisation_id,
            "organisation_name": user.organisation_name,
            "preferred_language": user.preferred_language,
            "sector": user.sector,
            "time_zone": user.time_zone,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["current_privacy_notice_version"] = privacy_notice_current_version()
        context["totp_active"], context["recovery_codes_left"] = two_factor_status(self.request.user)
        return context

    def form_valid(self, form) -> HttpResponse:
        user = user_update_profile(user=self.request.user, **form.cleaned_data)
        # Switch now, so the confirmation below is already in the chosen language.
        translation.activate(user.preferred_language)
        messages.success(self.request, _("Your profile has been saved."))
        response = super().form_valid(form)
        set_language_cookie(response, user.preferred_language)
        return response
