"""Account pages of our own: the profile and the privacy notice (allauth serves the rest)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from .forms import ErasureConfirmForm, ProfileForm
from .language_cookie import set_language_cookie
from .personal_data import personal_data_archive
from .selectors import two_factor_status
from .services import erasure_blockers, user_erase, user_update_profile


class PrivacyNoticeView(TemplateView):
    template_name = "portal/privacy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["version"] = settings.PORTAL_PRIVACY_NOTICE_VERSION
        return context


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
        context["current_privacy_notice_version"] = settings.PORTAL_PRIVACY_NOTICE_VERSION
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


class PersonalDataDownloadView(LoginRequiredMixin, View):
    """Everything the portal holds about the signed-in person, as a zip (GDPR Art. 15 and 20)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        archive = personal_data_archive(request.user)
        response = HttpResponse(archive, content_type="application/zip")
        name = f"portal-data-{timezone.localdate().isoformat()}.zip"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class AccountEraseView(LoginRequiredMixin, FormView):
    """Delete my account (GDPR Art. 17): explains what happens, asks for the password."""

    template_name = "account/erase.html"
    form_class = ErasureConfirmForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["blockers"] = erasure_blockers(user=self.request.user)
        context["audit_years"] = settings.PORTAL_AUDIT_RETENTION_YEARS
        return context

    def form_valid(self, form) -> HttpResponse:
        try:
            user_erase(user=self.request.user, erased_by=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        logout(self.request)
        return HttpResponseRedirect(reverse("account_erased"))


class AccountErasedView(TemplateView):
    """The confirmation after an erasure; the person is signed out by then."""

    template_name = "account/erased.html"
