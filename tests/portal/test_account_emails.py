"""allauth's e-mails are the portal's own (templates/account/email/, portal/accounts/adapter.py):
branded, in the reader's language, with a text and an HTML part, never "Hello from 127.0.0.1:8000!";
and a confirmed sign-up is signed in at once."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from portal.models import User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Tr0ubadour-Stapler-42"
PROFILE = "https://portal.example.org/accounts/profile/"


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.PORTAL_BASE_URL = "https://portal.example.org"
    cache.clear()  # allauth's rate limits
    yield
    cache.clear()


def signup(client, language: str, email: str = "olena.kovalenko@example.org"):
    data = {
        "first_name": "Olena",
        "last_name": "Kovalenko",
        "email": email,
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_privacy": "on",
    }
    return client.post(reverse("account_signup"), data, HTTP_ACCEPT_LANGUAGE=language)


def html_of(message) -> str:
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return html


def assert_portal_mail(message, language: str, *, profile: bool) -> None:
    html = html_of(message)
    text = message.body
    assert f'lang="{language}"' in html
    for part in (text, html, message.subject):
        assert "127.0.0.1" not in part and "Hello from" not in part and "[" not in message.subject
    name = "Konsortialportal" if language == "de" and "Konsortialportal" in text else "Consortium portal"
    assert name in text and name in html  # the portal's own name, from the frame
    assert "https://portal.example.org" in text
    assert (PROFILE in text and PROFILE in html) is profile


def verified_user(**kwargs) -> User:
    user = UserFactory(password=PASSWORD, **kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_signup_confirmation(client, language):
    signup(client, language)
    [message] = mail.outbox
    assert_portal_mail(message, language, profile=True)
    # The link is on the address the person signed up at (the request's host).
    assert re.search(r"https?://[^/\s]+/accounts/confirm-email/\S+", message.body)
    if language == "en":
        assert message.subject == "Confirm your e-mail address for Consortium portal"
        assert "Hello," in message.body
        assert "olena.kovalenko@example.org" in message.body


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_password_reset(client, language):
    verified_user(email="anna.schmidt@example.org", preferred_language=language)
    # Asked from a page in the other language: the mail follows the profile.
    other = "en" if language == "de" else "de"
    client.post(reverse("account_reset_password"), {"email": "anna.schmidt@example.org"}, HTTP_ACCEPT_LANGUAGE=other)
    [message] = mail.outbox
    assert message.to == ["anna.schmidt@example.org"]
    assert_portal_mail(message, language, profile=True)
    assert "/accounts/password/reset/key/" in message.body
    if language == "en":
        assert message.subject == "Reset your password for Consortium portal"


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_unknown_account(client, language):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"}, HTTP_ACCEPT_LANGUAGE=language)
    [message] = mail.outbox
    # No account: no profile to link to.
    assert_portal_mail(message, language, profile=False)
    assert "/accounts/signup/" in message.body
    if language == "en":
        assert "no account" in message.body


@pytest.mark.parametrize("language", ["de", "en"])
def test_the_account_already_exists(client, language):
    verified_user(email="olena.kovalenko@example.org", preferred_language=language)
    signup(client, language)
    [message] = mail.outbox
    assert_portal_mail(message, language, profile=True)
    assert "/accounts/password/reset/" in message.body
    assert User.objects.filter(email__iexact="olena.kovalenko@example.org").count() == 1


def test_the_portal_name_comes_from_the_settings(client, settings):
    settings.PORTAL_NAME = "Integration Portal NRW"
    signup(client, "en")
    [message] = mail.outbox
    assert "Integration Portal NRW" in message.subject
    assert "Integration Portal NRW" in message.body and "Integration Portal NRW" in html_of(message)


def test_confirming_the_address_signs_the_person_in(client):
    signup(client, "en")
    assert client.session.get("_auth_user_id") is None
    path = re.search(r"https?://[^/\s]+(/accounts/confirm-email/\S+)", mail.outbox[0].body).group(1)
    response = client.post(path)
    assert response.status_code == 302
    user = User.objects.get(email="olena.kovalenko@example.org")
    assert EmailAddress.objects.get(email=user.email).verified
    assert client.session.get("_auth_user_id") == str(user.pk)
