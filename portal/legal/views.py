"""The legal pages every EU public-sector site has, and the page to accept an updated privacy notice.

The operator's parts are plain text from the admin (portal.models.LegalText, PrivacyNotice),
shown in the page's language; the parts the portal knows itself (retention periods from the
settings, how accessibility is tested) are written in the templates.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.generic import FormView, TemplateView

from portal.models import LegalText, PrivacyAcceptance
from projects.bilingual import text_in_language

from .consent import privacy_flag_clear
from .forms import PrivacyAcceptForm
from .selectors import legal_text, privacy_notice_current, privacy_notice_version
from .services import privacy_notice_accept

# When the accessibility statement was prepared (the model statement asks for the date); raise it
# when the statement is reviewed, e.g. after an audit or a change in the known limitations.
ACCESSIBILITY_STATEMENT_PREPARED = dt.date(2026, 12, 7)


def _operator_text(kind: str) -> str:
    text = legal_text(kind)
    return text_in_language(text, "text") if text else ""


def privacy_notice_context() -> dict[str, Any]:
    """What the privacy notice shows: the operator's part, the version, and the retention periods."""
    notice = privacy_notice_current()
    return {
        "notice": notice,
        "operator_text": text_in_language(notice, "text") if notice else "",
        "version": privacy_notice_version(notice),
        "retention_access_needs_days": settings.PORTAL_RETENTION_ACCESS_NEEDS_DAYS,
        "retention_audit_years": settings.PORTAL_AUDIT_RETENTION_YEARS,
        "retention_logs_days": settings.PORTAL_RETENTION_LOGS_DAYS,
    }


class PrivacyNoticeView(TemplateView):
    template_name = "portal/privacy.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **privacy_notice_context()}


class ImprintView(TemplateView):
    template_name = "legal/imprint.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "operator_text": _operator_text(LegalText.Kind.IMPRINT)}


class AccessibilityStatementView(TemplateView):
    template_name = "legal/accessibility.html"

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "prepared_on": ACCESSIBILITY_STATEMENT_PREPARED,
            "feedback_text": _operator_text(LegalText.Kind.ACCESSIBILITY_FEEDBACK),
            "enforcement_text": _operator_text(LegalText.Kind.ACCESSIBILITY_ENFORCEMENT),
        }


class PrivacyAcceptView(LoginRequiredMixin, FormView):
    """The updated privacy notice and a checkbox; accepting records it and goes on where the person was going."""

    template_name = "legal/privacy_accept.html"
    form_class = PrivacyAcceptForm

    def get_initial(self):
        return {"version": self._context["version"]}

    def setup(self, request: HttpRequest, *args, **kwargs) -> None:
        super().setup(request, *args, **kwargs)
        self._context = privacy_notice_context()

    def _next_url(self) -> str:
        candidate = self.request.POST.get("next") or self.request.GET.get("next") or ""
        safe = url_has_allowed_host_and_scheme(
            candidate, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        )
        return candidate if safe and candidate.startswith("/") else reverse("workspace:dashboard")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), **self._context, "next": self._next_url()}

    def form_valid(self, form: PrivacyAcceptForm) -> HttpResponse:
        if form.cleaned_data["version"] != self._context["version"]:
            # Published while the person was reading: they accept what they have read, so show the new one.
            return HttpResponseRedirect(self.request.get_full_path())
        # Accepted already (a second tab, a reload): one acceptance per version is enough.
        if self.request.user.privacy_notice_version != self._context["version"]:
            privacy_notice_accept(
                user=self.request.user, version=self._context["version"], occasion=PrivacyAcceptance.Occasion.SIGN_IN
            )
        privacy_flag_clear(self.request)
        return HttpResponseRedirect(self._next_url())
