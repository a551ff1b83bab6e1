"""Reads for the legal pages: the operator's texts and the current privacy notice."""

from __future__ import annotations

from django.conf import settings
from django.utils import timezone

from portal.models import LegalText, PrivacyNotice


def legal_text(kind: str) -> LegalText | None:
    """The operator's current text of this kind, or None when they have not published one."""
    published = LegalText.objects.filter(kind=kind, published_at__lte=timezone.now())
    return published.order_by("-published_at", "-pk").first()


def privacy_notice_current() -> PrivacyNotice | None:
    """The newest published version of the privacy notice, or None when none is published."""
    return PrivacyNotice.objects.filter(published_at__lte=timezone.now()).order_by("-published_at", "-pk").first()


def privacy_notice_version(notice: PrivacyNotice | None) -> str:
    """The version of ``notice``; without one, the version the settings name."""
    return notice.version if notice else settings.PORTAL_PRIVACY_NOTICE_VERSION


def privacy_notice_current_version() -> str:
    return privacy_notice_version(privacy_notice_current())
