"""The legal pages: imprint, privacy notice and accessibility statement, linked from every page's
footer, with the operator's texts from the admin in German and English, and re-consent to an
updated privacy notice at the next sign-in (portal/legal/).

Sign-ins are real form POSTs through allauth (as in test_accounts.py): the session flag is set
by the adapter's post_login, which client.force_login never calls.
"""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from axes.utils import reset as axes_reset
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.shortcuts import render
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from portal.legal.consent import SESSION_KEY
from portal.models import LegalText, PrivacyAcceptance, PrivacyNotice, User
from tests.factories import UserFactory
from tests.query_counts import queries

pytestmark = pytest.mark.django_db

PASSWORD = "Tr0ubadour-Stapler-42"
LEGAL_LINKS = ("legal:imprint", "privacy_notice", "legal:accessibility")


@pytest.fixture(autouse=True)
def fresh_counters():
    # allauth's rate limits live in the cache, axes' counters in rows: each test starts clean.
    cache.clear()
    axes_reset()
    yield
    cache.clear()


def verified_user(**kwargs) -> User:
    user = UserFactory(password=PASSWORD, **kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def sign_in(client: Client, user: User, next_url: str = ""):
    data = {"login": user.email, "password": PASSWORD}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("account_login"), data, REMOTE_ADDR="10.0.0.1")


def footer_links(html: str) -> set[str]:
    footer = re.search(r'<nav class="legal-links".*?</nav>', html, re.S)
    assert footer, "no legal links in the page"
    return set(re.findall(r'href="([^"]+)"', footer.group(0)))


def assert_footer(html: str, where: str) -> None:
    expected = {reverse(name) for name in LEGAL_LINKS}
    assert footer_links(html) == expected, where


# --- The footer on every page ----------------------------------------------------------


PUBLIC_PAGES = [
    "home",
    "catalogue:list",
    "directory:list",
    "calendar:list",
    "search:results",
    "account_login",
    "account_signup",
    "account_reset_password",
    "privacy_notice",
    "legal:imprint",
    "legal:accessibility",
    "design_system",
]
SIGNED_IN_PAGES = [
    "workspace:dashboard",
    "account_profile",
    "registrations:my_meetings",
    "account_email",
    "account_change_password",
    "account_logout",
    "calendar:feed_settings",
    "legal:privacy_accept",
]


@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_public_page_links_the_legal_pages_in_its_footer(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    assert_footer(response.content.decode(), name)


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_every_signed_in_page_links_the_legal_pages_in_its_footer(client, name):
    client.force_login(UserFactory())
    response = client.get(reverse(name))
    assert response.status_code == 200, name
    assert_footer(response.content.decode(), name)


def _request():
    request = RequestFactory().get("/somewhere/")
    request.user = AnonymousUser()
    return request


@pytest.mark.parametrize("template", ["400.html", "403.html", "404.html", "413.html", "429.html"])
def test_every_error_page_links_the_legal_pages(template):
    response = render(_request(), template, {"limit_mb": 25})
    assert_footer(response.content.decode(), template)


def test_the_real_404_and_the_server_error_page_link_the_legal_pages(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert_footer(response.content.decode(), "404")
    with translation.override("de"):
        response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert_footer(response.content.decode(), "500")


# --- The operator's texts ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("legal:imprint", LegalText.Kind.IMPRINT),
        ("legal:accessibility", LegalText.Kind.ACCESSIBILITY_FEEDBACK),
        ("legal:accessibility", LegalText.Kind.ACCESSIBILITY_ENFORCEMENT),
    ],
)
def test_the_operators_text_shows_in_the_pages_language(client, name, kind):
    LegalText.objects.create(
        kind=kind,
        text="Operator Ltd.\nHigh Street 1\n\n<script>alert(1)</script> Write to us.",
        text_de="Betreiber GmbH\nHauptstraße 1\n\nSchreiben Sie uns.",
    )
    english = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<p>Operator Ltd.<br>High Street 1</p>" in english
    assert "Betreiber GmbH" not in english
    # Plain text: HTML from the database is shown, never run.
    assert "<script>" not in english and "&lt;script&gt;alert(1)&lt;/script&gt; Write to us." in english

    client.cookies.clear()
    german = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "<p>Betreiber GmbH<br>Hauptstraße 1</p>" in german
    assert "Operator Ltd." not in german


def test_a_text_in_one_language_only_is_shown_in_both_and_marked_with_its_language(client):
    LegalText.objects.create(kind=LegalText.Kind.IMPRINT, text_de="Betreiber GmbH")
    english = client.get(reverse("legal:imprint"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<div class="operator-text" lang="de"><p>Betreiber GmbH</p></div>' in english


def test_without_operator_texts_the_pages_show_clear_defaults(client):
    imprint = client.get(reverse("legal:imprint"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "has not published its imprint here yet" in imprint
    statement = client.get(reverse("legal:accessibility"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Contact the platform operator" in statement
    assert "enforcement body" in statement


def test_the_privacy_notice_shows_the_published_version_and_its_operator_text(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2026-11"
    PrivacyNotice.objects.create(
        version="2027-02", text="Controller: Operator Ltd.", text_de="Verantwortlich: Betreiber"
    )
    english = client.get(reverse("privacy_notice"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Version 2027-02" in english and "2026-11" not in english
    assert "Controller: Operator Ltd." in english
    client.cookies.clear()
    german = client.get(reverse("privacy_notice"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Verantwortlich: Betreiber" in german


def test_a_version_published_for_later_is_not_current_yet(client, settings):
    from django.utils import timezone

    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2026-11"
    PrivacyNotice.objects.create(version="2099-01", published_at=timezone.now() + timezone.timedelta(days=1))
    body = client.get(reverse("privacy_notice")).content.decode()
    assert "2026-11" in body and "2099-01" not in body


# --- What the pages must say ---------------------------------------------------------------


def test_the_accessibility_statement_has_the_sections_of_the_eu_model(client):
    body = client.get(reverse("legal:accessibility"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for section in (
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
        "Feedback and contact information",
        "Enforcement procedure",
    ):
        assert f">{section}</h2>" in body, section
    assert "partially compliant" in body
    assert "EN 301 549" in body and "WCAG" in body and "2016/2102" in body
    assert "axe-core" in body and "keyboard" in body and "valid HTML" in body
    assert "This statement was prepared on" in body


def test_the_privacy_notice_documents_the_retention_periods_from_the_settings(client, settings):
    settings.PORTAL_RETENTION_ACCESS_NEEDS_DAYS = 31
    settings.PORTAL_AUDIT_RETENTION_YEARS = 7
    settings.PORTAL_RETENTION_LOGS_DAYS = 93
    body = client.get(reverse("privacy_notice"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "deleted 31 days after it ends" in body
    assert "until the project ends plus 7 years" in body
    assert "deleted\n      after 93 days" in body or "after 93 days" in re.sub(r"\s+", " ", body)
    # Special-category data, the rights with the profile page, the logs.
    assert "Art. 9(2)(a)" in body and "explicit consent" in body
    assert f'href="{reverse("account_profile")}"' in body
    assert "Audit and access logs" in body


# --- Re-consent after a new version ----------------------------------------------------------


def test_a_new_version_is_accepted_at_the_next_sign_in_and_recorded(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2026-11"
    user = verified_user(email="anna@example.org", preferred_language="en")
    assert user.privacy_notice_version == "2026-11"
    PrivacyNotice.objects.create(version="2027-01", text="Controller: Operator Ltd.")

    response = sign_in(client, user, next_url=reverse("account_profile"))
    assert response.status_code == 302 and response["Location"] == reverse("account_profile")
    # Where they were going, they are sent to the updated notice first; so is every other page.
    response = client.get(reverse("account_profile"))
    accept_url = reverse("legal:privacy_accept")
    assert response.status_code == 302
    assert response["Location"] == f"{accept_url}?next=%2Faccounts%2Fprofile%2F"
    assert client.get(reverse("workspace:dashboard"))["Location"].startswith(accept_url)
    assert client.post(reverse("account_profile"), {})["Location"].startswith(accept_url)
    assert client.get("/admin/")["Location"].startswith(accept_url)
    # The notice itself and the other legal pages stay open.
    for name in LEGAL_LINKS:
        assert client.get(reverse(name)).status_code == 200, name

    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert "version 2027-01" in body and "Controller: Operator Ltd." in body
    assert 'name="accept"' in body and f'action="{reverse("account_logout")}"' in body

    # Without the tick, nothing is recorded and the page says why.
    refused = client.post(accept_url, {"version": "2027-01", "next": "/accounts/profile/"})
    assert refused.status_code == 200
    assert not PrivacyAcceptance.objects.filter(user=user, version="2027-01").exists()

    accepted = client.post(accept_url, {"version": "2027-01", "accept": "on", "next": "/accounts/profile/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/accounts/profile/"
    user.refresh_from_db()
    assert user.privacy_notice_version == "2027-01"
    record = PrivacyAcceptance.objects.get(user=user, version="2027-01")
    assert record.occasion == PrivacyAcceptance.Occasion.SIGN_IN
    assert record.accepted_at == user.privacy_accepted_at
    assert client.get(reverse("account_profile")).status_code == 200

    # The next sign-in goes straight where it was going.
    client.post(reverse("account_logout"))
    sign_in(client, user)
    assert SESSION_KEY not in client.session
    assert client.get(reverse("account_profile")).status_code == 200
    assert PrivacyAcceptance.objects.filter(user=user).count() == 1


def test_a_person_can_sign_out_instead_of_accepting(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2026-11"
    user = verified_user()
    PrivacyNotice.objects.create(version="2027-01")
    sign_in(client, user)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 200
    user.refresh_from_db()
    assert user.privacy_notice_version == "2026-11"


def test_accepting_a_version_that_is_no_longer_current_asks_again(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2026-11"
    user = verified_user()
    PrivacyNotice.objects.create(version="2027-01")
    sign_in(client, user)
    PrivacyNotice.objects.create(version="2027-02")
    response = client.post(reverse("legal:privacy_accept"), {"version": "2027-01", "accept": "on"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("legal:privacy_accept"))
    assert not PrivacyAcceptance.objects.filter(user=user).exists()


def test_the_accept_page_goes_on_only_to_this_site(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2026-11"
    user = verified_user()
    PrivacyNotice.objects.create(version="2027-01")
    sign_in(client, user)
    response = client.post(
        reverse("legal:privacy_accept"), {"version": "2027-01", "accept": "on", "next": "https://evil.example.org/"}
    )
    assert response["Location"] == reverse("workspace:dashboard")


def test_a_person_who_accepted_the_current_version_is_not_asked(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2026-11"
    user = verified_user()
    sign_in(client, user)
    assert client.get(reverse("account_profile")).status_code == 200


def test_sign_up_records_the_current_version_in_the_history(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2026-11"
    PrivacyNotice.objects.create(version="2027-03")
    client.post(
        reverse("account_signup"),
        {
            "first_name": "Olena",
            "last_name": "Kovalenko",
            "email": "olena@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_privacy": "on",
        },
    )
    user = User.objects.get(email="olena@example.org")
    assert user.privacy_notice_version == "2027-03"
    record = user.privacy_acceptances.get()
    assert (record.version, record.occasion, record.accepted_at) == (
        "2027-03",
        PrivacyAcceptance.Occasion.SIGNUP,
        user.privacy_accepted_at,
    )


def test_the_check_costs_no_query_on_a_page(client):
    """The middleware reads the session only: a signed-in page costs what it cost before."""
    from portal.legal.consent import PrivacyReacceptMiddleware

    client.force_login(UserFactory())
    request = RequestFactory().get("/dashboard/")
    request.session = client.session
    request.session._session_cache = {}  # as loaded: the middleware must not go to the database
    with queries() as counted:
        PrivacyReacceptMiddleware(lambda req: None)(request)
    assert len(counted) == 0


def test_erasing_an_account_erases_its_acceptances():
    user = UserFactory()
    PrivacyAcceptance.objects.create(user=user, version="2026-11", occasion=PrivacyAcceptance.Occasion.SIGNUP)
    user.delete()
    assert not PrivacyAcceptance.objects.exists()


def test_accepting_twice_records_one_acceptance(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2026-11"
    user = verified_user()
    PrivacyNotice.objects.create(version="2027-01")
    sign_in(client, user)
    for _ in range(2):
        response = client.post(reverse("legal:privacy_accept"), {"version": "2027-01", "accept": "on"})
        assert response.status_code == 302 and response["Location"] == reverse("workspace:dashboard")
    assert PrivacyAcceptance.objects.filter(user=user, version="2027-01").count() == 1
