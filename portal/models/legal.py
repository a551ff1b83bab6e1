"""The legal pages' texts an operator sets in the admin, and who accepted which privacy notice.

Every EU public-sector site has an imprint, a privacy notice and an accessibility statement.
The portal writes what it knows itself (what it stores, for how long, how it was tested for
accessibility); the operator writes what only they know (who they are, whom to contact,
which enforcement body is responsible). Texts are plain text: paragraphs and line breaks,
never HTML from the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

__all__ = ["LegalText", "PrivacyAcceptance", "PrivacyNotice"]


class LegalText(models.Model):
    """An operator-set text of a legal page. The newest published one of each kind is shown;
    older ones stay as the record of what the page said when."""

    class Kind(models.TextChoices):
        IMPRINT = "imprint", _("Imprint")
        ACCESSIBILITY_FEEDBACK = "accessibility_feedback", _("Accessibility statement: feedback and contact")
        ACCESSIBILITY_ENFORCEMENT = "accessibility_enforcement", _("Accessibility statement: enforcement procedure")

    kind = models.CharField(_("text"), max_length=40, choices=Kind.choices)
    text = models.TextField(
        _("text (English)"), blank=True, help_text=_("Plain text; a blank line starts a paragraph.")
    )
    text_de = models.TextField(
        _("text (German)"), blank=True, help_text=_("Plain text; a blank line starts a paragraph.")
    )
    published_at = models.DateTimeField(
        _("published at"), default=timezone.now, help_text=_("The text is shown from this time on.")
    )

    class Meta:
        verbose_name = _("legal page text")
        verbose_name_plural = _("legal page texts")
        ordering = ["kind", "-published_at", "-pk"]
        indexes = [models.Index(fields=["kind", "-published_at"], name="legal_text_current")]

    def __str__(self) -> str:
        return str(self.get_kind_display())


class PrivacyNotice(models.Model):
    """A published version of the privacy notice's operator part.

    The newest version whose publication time has come is the current one; a person who
    accepted an older one accepts the current one at their next sign-in. Correcting a typo
    in a version keeps its number (nobody is asked again); a change in substance is a new
    version. Without any version, settings.PORTAL_PRIVACY_NOTICE_VERSION is current.
    """

    version = models.CharField(
        _("version"),
        max_length=20,
        unique=True,
        help_text=_("For example 2027-01. A new version asks everybody again."),
    )
    text = models.TextField(
        _("operator's text (English)"),
        blank=True,
        help_text=_("Controller, data protection officer, contact; plain text, a blank line starts a paragraph."),
    )
    text_de = models.TextField(_("operator's text (German)"), blank=True)
    published_at = models.DateTimeField(
        _("published at"), default=timezone.now, help_text=_("The version becomes current at this time.")
    )

    class Meta:
        verbose_name = _("privacy notice version")
        verbose_name_plural = _("privacy notice versions")
        ordering = ["-published_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(version=""), name="privacy_notice_version_set")]

    def __str__(self) -> str:
        return self.version


class PrivacyAcceptance(models.Model):
    """That a person accepted a version of the privacy notice, and when (GDPR Art. 7(1), 5(2)).

    Deleted with the account (CASCADE): once the person is erased there is no processing
    left that the acceptance justifies, and a row without its person proves nothing.
    """

    class Occasion(models.TextChoices):
        SIGNUP = "signup", _("at sign-up")
        SIGN_IN = "sign_in", _("at sign-in, after a new version")
        # The demo accounts (manage.py load_demo) are made, not signed up: recorded as such.
        DEMO = "demo", _("demo account, by load_demo")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="privacy_acceptances",
        verbose_name=_("person"),
    )
    version = models.CharField(_("version"), max_length=20)
    accepted_at = models.DateTimeField(_("accepted at"), default=timezone.now)
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)

    class Meta:
        verbose_name = _("privacy notice acceptance")
        verbose_name_plural = _("privacy notice acceptances")
        ordering = ["-accepted_at", "-pk"]
        constraints = [models.CheckConstraint(condition=~models.Q(version=""), name="privacy_acceptance_version_set")]

    def __str__(self) -> str:
        return f"{self.user} · {self.version}"
