"""Issue 17's "done when", as a person would do it: a member makes a token on the profile
page, registers for a meeting with nothing but that token (as with curl), and gets the same
e-mail as somebody who registered in the browser."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import MeetingFactory, ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"\bcp_[A-Za-z0-9_-]{40,}")


@pytest.fixture(autouse=True)
def _locmem_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _e_mail_shape(message, person, meeting) -> dict:
    """What the e-mail says, with the person's and the meeting's own words taken out."""

    def neutral(text: str) -> str:
        for own in (person.get_full_name(), person.first_name, person.email, meeting.title):
            text = text.replace(own, "…")
        return re.sub(r"/registrations/\d+/|/meetings/\d+/|[0-9a-f]{16,}|[A-Za-z0-9_-]{20,}", "…", text)

    return {
        "to": message.to == [person.email],
        "subject": neutral(message.subject),
        "attachments": sorted(name.rsplit(".", 1)[-1] for name, *_ in message.attachments),
        "lines": len(message.body.splitlines()),
    }


def test_a_member_with_a_token_registers_by_http_and_gets_the_browsers_e_mail(django_capture_on_commit_callbacks):
    project = ProjectFactory()
    ahead = timezone.now() + dt.timedelta(days=14)
    by_browser = MeetingFactory(project=project, title="Housing", starts_at=ahead, capacity=10)
    by_token = MeetingFactory(project=project, title="Jobs", starts_at=ahead, capacity=10)
    browser_person = UserFactory(first_name="Ada", preferred_language="en")
    token_person = UserFactory(first_name="Bea", preferred_language="en")

    browser = Client()
    browser.force_login(browser_person)
    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(
            reverse("registrations:register", kwargs={"pk": by_browser.pk}),
            {"sector": "public", "access_needs": "", "interpretation_language": ""},
        )
    assert response.status_code == 302

    # The token is made where people make it: the profile's page, shown once.
    profile = Client()
    profile.force_login(token_person)
    page = profile.post(reverse("account_api_tokens"), {"name": "curl", "scopes": ["register"], "lifetime": "30"})
    secret = SECRET.search(page.content.decode()).group(0)

    script = Client()  # no session, no cookie, no CSRF token: the token alone, as with curl
    with django_capture_on_commit_callbacks(execute=True):
        answer = script.post(
            reverse("api:meeting-registration", kwargs={"pk": by_token.pk}),
            data=json.dumps({"sector": "public"}),
            content_type="application/json",
            headers={"Authorization": f"Bearer {secret}"},
        )
    assert answer.status_code == 201, answer.content
    assert answer.json()["status"] == "confirmed"

    sent_by_browser, sent_by_token = mail.outbox
    assert _e_mail_shape(sent_by_token, token_person, by_token) == _e_mail_shape(
        sent_by_browser, browser_person, by_browser
    )
    assert sent_by_token.to == [token_person.email] and "Jobs" in sent_by_token.subject
