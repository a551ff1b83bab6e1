"""Account pages of our own: the profile and its API tokens (allauth serves the rest; the privacy
notice is portal.legal's)."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.access import object_or_404
from portal.api.scopes import SCOPE_LABELS
from portal.legal.selectors import privacy_notice_current_version
from portal.models import ApiToken
from portal.permissions import api_token_scopes_allowed, can_revoke_api_token

from .api_tokens import api_token_create, api_token_revoke
from .forms import ApiTokenForm, ErasureConfirmForm, ProfileForm
from .language_cookie import set_language_cookie
from .personal_data import personal_data_archive
from .selectors import own_api_tokens, two_factor_status
from .services import erasure_blockers, user_erase, user_update_profile


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


class ApiTokensView(LoginRequiredMixin, View):
    """The person's API tokens: the list, the form for a new one, and its secret, shown once.

    The secret is in the answer to the POST only: never in an address, never in a message
    kept in the session, never stored. The answer is not stored by browsers (no-store).
    """

    template_name = "account/api_tokens.html"

    def _form(self, data: Any = None) -> ApiTokenForm:
        return ApiTokenForm(
            data,
            allowed_scopes=api_token_scopes_allowed(self.request.user),
            labels=SCOPE_LABELS,
            max_days=settings.PORTAL_API_TOKEN_MAX_DAYS,
        )

    def _render(self, form: ApiTokenForm, **extra: Any) -> HttpResponse:
        tokens = list(own_api_tokens(self.request.user))
        for token in tokens:
            token.scope_labels = [SCOPE_LABELS[scope] for scope in token.scope_list if scope in SCOPE_LABELS]
        context = {
            "form": form,
            "tokens": tokens,
            "now": timezone.now(),
            **extra,
        }
        response = render(self.request, self.template_name, context)
        add_never_cache_headers(response)
        return response

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(self._form())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            try:
                token, secret = api_token_create(
                    user=request.user,
                    name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"],
                    expires_at=timezone.now() + dt.timedelta(days=form.cleaned_data["lifetime"]),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                # The secret goes out in this answer alone: a redirect would have to carry it in
                # its address or the session. Below it, an empty form for another token.
                return self._render(self._form(), created=token, secret=secret)
        return self._render(form)


class ApiTokenRevokeView(LoginRequiredMixin, View):
    """Revoke one of the person's tokens (a POST from the tokens page, which it returns to)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        token = object_or_404(
            request,
            lambda: ApiToken.objects.get(pk=pk),
            # Somebody else's token is not there at all for the person: 404, never 403.
            visible=can_revoke_api_token,
        )
        api_token_revoke(token=token, actor=request.user)
        messages.success(request, gettext("The token “%(name)s” was revoked.") % {"name": token.name})
        return HttpResponseRedirect(reverse("account_api_tokens"))


def _add_errors(form: Any, error: ValidationError) -> None:
    """A service's ValidationError, on the form: by field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    names = {"expires_at": "lifetime"}
    for field, field_messages in error.error_dict.items():
        field = names.get(field, field)
        form.add_error(field if field in form.fields else None, field_messages)
