"""The portal's branded e-mail: one shared frame (templates/email/_base.html and .txt) for every notice.

Each e-mail names the portal, says in a short footer why the reader gets it, and links
to their profile (where they set their language and address). It is written in the
recipient's own language (their profile's, else the portal's default) and has a plain
text and an HTML part. The notices of events, projects and the portal build their
messages here; allauth's account e-mails use the same templates (portal/accounts/adapter.py).

Sending once: :func:`send_once` claims a key in the database (outbox.SentMark) before it
sends, so a task delivered twice sends nothing the second time, and gives the key back
when sending fails, so a retry may send.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext

from outbox.services import sent_mark_claim, sent_mark_release

from .absolute_urls import base_url, page_url

logger = logging.getLogger(__name__)

# The person's own profile page (no arguments); the web layer registers its path (portal/page_links.py).
PROFILE_PAGE = "profile"


def portal_name() -> str:
    """The portal's name as people know it: settings.PORTAL_NAME, else "Consortium portal" in the active language."""
    return getattr(settings, "PORTAL_NAME", "") or gettext("Consortium portal")


def recipient_language(user: Any) -> str:
    """The language a person reads their e-mail in: their profile's, else the portal's default."""
    language = (getattr(user, "preferred_language", "") or "")[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def branding_context(user: Any | None = None) -> dict[str, Any]:
    """What the shared frame shows; call it inside the recipient's language."""
    return {
        "portal_name": portal_name(),
        "portal_url": base_url(),
        # A person without an account (an invitee, an unknown address) has no profile to link.
        "profile_url": page_url(PROFILE_PAGE) if getattr(user, "pk", None) else "",
    }


def reachable(user: Any) -> bool:
    """A deactivated account (or one without an address) gets no more mail."""
    return bool(getattr(user, "is_active", False) and getattr(user, "email", ""))


def branded_message(*, template: str, recipient: Any, context: dict[str, Any]) -> EmailMultiAlternatives:
    """The e-mail ``template`` (``<template>_subject.txt``, ``.txt``, ``.html``) to ``recipient``, in their language."""
    language = recipient_language(recipient)
    with translation.override(language):
        full = {**branding_context(recipient), **context}
        subject = " ".join(render_to_string(f"{template}_subject.txt", full).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{template}.txt", full),
            to=[recipient.email],
            headers={"Content-Language": language, "Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string(f"{template}.html", full), "text/html")
    return message


class NoticeNotSent(OSError):
    """Some e-mails of a batch failed (a transient mail server error); retrying is safe."""


def send_once(*, key: str, recipients: Iterable[Any], build: Callable[[Any], EmailMultiAlternatives | None]) -> int:
    """Send ``build(recipient)`` to each reachable recipient whose ``<key>:<user pk>`` is not claimed yet.

    Returns how many went out. One refused address does not keep the others from their
    e-mail; when any failed, NoticeNotSent is raised afterwards so the task retries, and
    those already served are skipped then.
    """
    sent, failed = 0, []
    with get_connection() as connection:
        for recipient in recipients:
            if not reachable(recipient):
                continue
            mark = f"{key}:{recipient.pk}"
            if not sent_mark_claim(key=mark):
                logger.info("notice %s was sent already; skipped", mark)
                continue
            try:
                message = build(recipient)
                if message is None:
                    sent_mark_release(key=mark)
                    continue
                message.connection = connection
                message.send()
            except Exception as error:
                sent_mark_release(key=mark)
                logger.warning("notice %s failed: %s", mark, error)
                failed.append(recipient.pk)
                continue
            sent += 1
    if failed:
        raise NoticeNotSent(f"notice {key} not sent to users {failed}")
    return sent
