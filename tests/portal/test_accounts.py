"""Accounts: sign-up with the privacy notice, e-mail verification, login by e-mail, password
reset, logout, the profile, the login lockout (django-axes) and the rate limits (allauth).

Logins are real form POSTs: with axes' backend first, ``client.login()`` has no request
and raises, so tests that only need a logged-in person use ``client.force_login``.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts.services import user_update_profile
from portal.models import User
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "Tr0ubadour-Stapler-42"
NEW_PASSWORD = "Correct-Horse-Battery-7"


@pytest.fixture(autouse=True)
def fresh_counters():
    # allauth's rate-limit counters live in the cache (Redis with the real services), which
    # the test's database rollback does not undo; axes' counters are rows, reset for clarity.
    cache.clear()
    axes_reset()
    yield
    cache.clear()


def verified_user(**kwargs) -> User:
    """A person who has confirmed their address, as after a finished sign-up."""
    user = UserFactory(password=PASSWORD, **kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signup_data(**overrides) -> dict:
    data = {
        "first_name": "Olena",
        "last_name": "Kovalenko",
        "email": "olena.kovalenko@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "accept_privacy": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def link_in(message) -> str:
    """The path of the (only) portal link in an e-mail."""
    match = re.search(r"https?://[^/\s]+(/accounts/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def login(client: Client, email: str, password: str, ip: str = "10.0.0.1"):
    return client.post(reverse("account_login"), {"login": email, "password": password}, REMOTE_ADDR=ip)


def logged_in_id(client: Client):
    return client.session.get("_auth_user_id")


# Sign-up ------------------------------------------------------------------------------


def test_signup_creates_an_unverified_account_and_sends_the_verification_mail(client):
    response = client.post(reverse("account_signup"), signup_data())

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    user = User.objects.get(email="olena.kovalenko@example.org")
    assert (user.first_name, user.last_name) == ("Olena", "Kovalenko")
    assert user.check_password(PASSWORD)
    assert not user.is_staff and not user.is_superuser
    address = EmailAddress.objects.get(user=user)
    assert address.email == user.email and address.primary and not address.verified
    # Mandatory verification: nobody is logged in until the address is confirmed.
    assert logged_in_id(client) is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["olena.kovalenko@example.org"]
    assert "/accounts/confirm-email/" in link_in(mail.outbox[0])


def test_signup_records_the_privacy_notice_version_and_time(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2099-01"
    before = timezone.now()
    client.post(reverse("account_signup"), signup_data())
    user = User.objects.get(email="olena.kovalenko@example.org")
    assert user.privacy_notice_version == "2099-01"
    assert before <= user.privacy_accepted_at <= timezone.now()


def test_signup_stores_the_language_it_happened_in(client):
    client.post(reverse("account_signup"), signup_data(), HTTP_ACCEPT_LANGUAGE="en")
    assert User.objects.get(email="olena.kovalenko@example.org").preferred_language == "en"


def test_signup_without_ticking_the_privacy_box_is_refused(client):
    response = client.post(reverse("account_signup"), signup_data(accept_privacy=None))

    assert response.status_code == 200
    assert not User.objects.exists()
    assert not mail.outbox
    body = response.content.decode()
    assert "Please accept the privacy notice to create an account." in body
    # The message is tied to the checkbox for screen readers.
    assert 'id="id_accept_privacy_error"' in body
    checkbox = re.search(r'<input[^>]*name="accept_privacy"[^>]*>', body).group(0)
    assert 'aria-invalid="true"' in checkbox
    assert "id_accept_privacy_error" in checkbox


def test_signup_page_links_the_privacy_notice_and_labels_every_field(client):
    body = client.get(reverse("account_signup")).content.decode()
    assert f'href="{reverse("privacy_notice")}"' in body
    for name in ["first_name", "last_name", "email", "password1", "password2", "accept_privacy"]:
        assert f'<label for="id_{name}">' in body, name
    # The password rules are announced with the password field.
    assert 'aria-describedby="id_password1_helptext"' in body


def test_signup_with_a_known_address_creates_no_second_account(client):
    verified_user(email="olena.kovalenko@example.org")
    response = client.post(reverse("account_signup"), signup_data())
    # allauth does not reveal that the address is taken; it mails the owner instead.
    assert response.status_code == 302
    assert User.objects.filter(email__iexact="olena.kovalenko@example.org").count() == 1


def test_privacy_notice_is_public_and_shows_the_version(client, settings):
    settings.PORTAL_PRIVACY_NOTICE_VERSION = "2099-01"
    response = client.get(reverse("privacy_notice"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "2099-01" in body
    assert "platform operator" in body
    assert "aggregate" in body


# Verification and login --------------------------------------------------------------


def test_login_is_refused_before_verification_and_works_after_confirming(client):
    client.post(reverse("account_signup"), signup_data())
    confirm_path = link_in(mail.outbox[0])

    response = login(client, "olena.kovalenko@example.org", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    assert logged_in_id(client) is None

    # The link is opened in another browser, as it often is (phone's mail app).
    browser = Client()
    assert browser.get(confirm_path).status_code == 200
    response = browser.post(confirm_path)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="olena.kovalenko@example.org").verified

    response = login(browser, "olena.kovalenko@example.org", PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)
    assert logged_in_id(browser) == str(User.objects.get(email="olena.kovalenko@example.org").pk)


def test_an_invalid_confirmation_link_says_so(client):
    response = client.get(reverse("account_confirm_email", args=["not-a-key"]))
    assert response.status_code == 200
    assert "expired or is not valid" in response.content.decode()


def test_login_by_email_is_case_insensitive(client):
    user = verified_user(email="anna.schmidt@example.org")
    response = login(client, "  Anna.Schmidt@EXAMPLE.org ", PASSWORD)
    assert response.status_code == 302
    assert logged_in_id(client) == str(user.pk)


def test_login_brings_the_profile_language_to_a_new_device(client):
    user = verified_user(preferred_language="de")
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "de"
    # The next page is German although the browser asks for English.
    page = client.get(response.url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de">' in page


def test_a_language_picked_on_the_device_wins_over_the_profile_at_login(client):
    user = verified_user(preferred_language="de")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = login(client, user.email, PASSWORD)
    assert response.status_code == 302
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert '<html lang="en">' in client.get(response.url).content.decode()


def test_login_with_a_wrong_password_shows_an_error(client):
    verified_user(email="anna.schmidt@example.org")
    response = login(client, "anna.schmidt@example.org", "wrong")
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    assert logged_in_id(client) is None


def test_login_keeps_a_local_next_url_and_drops_a_foreign_one(client):
    verified_user(email="anna.schmidt@example.org")
    page = client.get(reverse("account_login"), {"next": reverse("account_profile")}).content.decode()
    assert f'name="next" value="{reverse("account_profile")}"' in page

    data = {"login": "anna.schmidt@example.org", "password": PASSWORD}
    response = client.post(reverse("account_login"), {**data, "next": reverse("account_profile")})
    assert response.url == reverse("account_profile")
    client.post(reverse("account_logout"))
    response = client.post(reverse("account_login"), {**data, "next": "https://evil.example.org/"})
    assert response.url == reverse(settings.LOGIN_REDIRECT_URL)


# Password reset, change, logout --------------------------------------------------------


def test_password_reset_mail_and_key_set_a_new_password(client):
    user = verified_user(email="anna.schmidt@example.org")

    response = client.post(reverse("account_reset_password"), {"email": "Anna.Schmidt@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["anna.schmidt@example.org"]

    # allauth moves the key from the URL into the session, then shows the form.
    response = client.get(link_in(mail.outbox[0]))
    assert response.status_code == 302
    form_url = response.url
    response = client.get(form_url)
    assert response.status_code == 200
    assert 'name="password1"' in response.content.decode()

    response = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_from_key_done")
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD) and not user.check_password(PASSWORD)

    # The link works once.
    assert "Link not valid" in client.get(link_in(mail.outbox[0]), follow=True).content.decode()
    assert login(Client(), "anna.schmidt@example.org", NEW_PASSWORD).status_code == 302


def test_password_reset_for_an_unknown_address_reveals_nothing(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert response.url == reverse("account_reset_password_done")


def test_password_change(client):
    user = verified_user()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_logout_needs_a_post(client):
    client.force_login(verified_user())
    response = client.get(reverse("account_logout"))
    assert response.status_code == 200
    assert logged_in_id(client) is not None  # a link or prefetch cannot log anybody out

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response.url == reverse(settings.ACCOUNT_LOGOUT_REDIRECT_URL)
    assert logged_in_id(client) is None


def test_email_page_lists_addresses_and_adds_one_with_verification(client):
    user = verified_user(email="anna.schmidt@example.org")
    client.force_login(user)
    body = client.get(reverse("account_email")).content.decode()
    assert "anna.schmidt@example.org" in body

    response = client.post(reverse("account_email"), {"action_add": "", "email": "anna@ngo.example.org"})
    assert response.status_code == 302
    added = EmailAddress.objects.get(email="anna@ngo.example.org")
    assert added.user == user and not added.verified and not added.primary
    assert mail.outbox[-1].to == ["anna@ngo.example.org"]


# Profile -----------------------------------------------------------------------------


def profile_data(**overrides) -> dict:
    data = {
        "first_name": "Anna",
        "last_name": "Schmidt-Yılmaz",
        "organisation": "",
        "organisation_name": "Nachbarschaftshaus Ravenna",
        "preferred_language": "en",
        "sector": "civil_society",
    }
    data.update(overrides)
    return data


def test_profile_requires_login(client):
    response = client.get(reverse("account_profile"))
    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('account_profile')}"


def test_profile_shows_the_person_and_the_accepted_privacy_notice(client):
    user = verified_user(
        first_name="Anna", privacy_notice_version="2026-11", privacy_accepted_at=timezone.now() - timedelta(days=3)
    )
    client.force_login(user)
    response = client.get(reverse("account_profile"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Anna"' in body
    assert user.email in body
    assert "Version 2026-11" in body
    assert f'href="{reverse("account_change_password")}"' in body
    assert f'href="{reverse("account_email")}"' in body
    assert f'href="{reverse("privacy_notice")}"' in body


def test_profile_edit_saves_and_switches_the_language(client):
    user = verified_user(preferred_language="de")
    client.force_login(user)

    response = client.post(reverse("account_profile"), profile_data(), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 302
    assert response.url == reverse("account_profile")
    user.refresh_from_db()
    assert (user.first_name, user.last_name) == ("Anna", "Schmidt-Yılmaz")
    assert user.organisation is None and user.organisation_name == "Nachbarschaftshaus Ravenna"
    assert user.preferred_language == "en" and user.sector == "civil_society"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    # The cookie now wins over the browser's German.
    page = client.get(reverse("account_profile"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert '<html lang="en">' in page
    assert "Your profile has been saved." in page


def test_profile_picks_an_organisation_from_the_directory(client):
    user = verified_user(organisation_name="Old free text")
    organisation = OrganisationFactory(name="Refugee Welcome Centre Gent", country="BE")
    client.force_login(user)
    response = client.post(reverse("account_profile"), profile_data(organisation=organisation.pk, organisation_name=""))
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.organisation == organisation
    assert user.organisation_name == ""


def test_profile_refuses_directory_and_free_text_together(client):
    user = verified_user()
    organisation = OrganisationFactory()
    client.force_login(user)
    response = client.post(reverse("account_profile"), profile_data(organisation=organisation.pk))
    assert response.status_code == 200
    assert 'id="id_organisation_name_error"' in response.content.decode()
    user.refresh_from_db()
    assert user.organisation is None


def test_profile_directory_is_ordered_by_name(client):
    for name in ["Zentrum für Migration", "Arbeit und Leben", "Malmö Stad"]:
        OrganisationFactory(name=name)
    client.force_login(verified_user())
    body = client.get(reverse("account_profile")).content.decode()
    positions = [body.index(name) for name in ["Arbeit und Leben", "Malmö Stad", "Zentrum für Migration"]]
    assert positions == sorted(positions)


def test_profile_cannot_touch_privileges_email_or_consent(client):
    user = verified_user(
        email="anna.schmidt@example.org", privacy_notice_version="2026-11", privacy_accepted_at=timezone.now()
    )
    accepted_at = user.privacy_accepted_at
    client.force_login(user)
    response = client.post(
        reverse("account_profile"),
        profile_data(
            is_staff="on",
            is_superuser="on",
            is_active="off",
            email="attacker@example.org",
            groups="1",
            privacy_notice_version="",
            privacy_accepted_at="",
            password="x",
        ),
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_staff and not user.is_superuser and user.is_active
    assert user.email == "anna.schmidt@example.org"
    assert user.privacy_notice_version == "2026-11" and user.privacy_accepted_at == accepted_at
    assert user.check_password(PASSWORD)
    assert user.organisation_name == "Nachbarschaftshaus Ravenna"  # the allowed fields did change


def test_profile_keeps_what_an_admin_changed_meanwhile(client):
    user = verified_user()
    stale = User.objects.get(pk=user.pk)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    user_update_profile(
        user=stale,
        first_name="Anna",
        last_name="Schmidt",
        organisation=None,
        organisation_name="",
        preferred_language="de",
        sector="",
    )
    assert User.objects.get(pk=user.pk).is_staff


def test_user_update_profile_rejects_unknown_language_and_sector():
    user = verified_user()
    common = {"user": user, "first_name": "A", "last_name": "B", "organisation": None, "organisation_name": ""}
    with pytest.raises(ValueError):
        user_update_profile(**common, preferred_language="fr", sector="")
    with pytest.raises(ValueError):
        user_update_profile(**common, preferred_language="de", sector="astronauts")


# Login abuse (django-axes) -------------------------------------------------------------


def test_five_wrong_passwords_lock_out_the_sixth_attempt_even_with_the_right_password(client):
    verified_user(email="anna.schmidt@example.org")
    for _ in range(4):
        assert login(client, "anna.schmidt@example.org", "wrong").status_code == 200
    # The fifth failure reaches the limit: axes answers it with the lockout page already.
    assert login(client, "anna.schmidt@example.org", "wrong").status_code == 429

    response = login(client, "anna.schmidt@example.org", PASSWORD)
    assert response.status_code == 429
    assert logged_in_id(client) is None
    body = response.content.decode()
    assert "Too many failed logins" in body
    assert "15 minutes" in body
    assert f'href="{reverse("account_reset_password")}"' in body


def test_failures_add_up_whatever_the_case_of_the_address(client):
    verified_user(email="anna.schmidt@example.org")
    for address in [
        "anna.schmidt@example.org",
        "Anna.Schmidt@example.org",
        "ANNA.SCHMIDT@EXAMPLE.ORG",
        "anna.schmidt@Example.org",
        "Anna.schmidt@example.org",
    ]:
        login(client, address, "wrong")
    assert login(client, "anna.schmidt@example.org", PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().username == "anna.schmidt@example.org"


def test_a_lockout_does_not_block_another_ip_address(client):
    user = verified_user(email="anna.schmidt@example.org")
    for _ in range(5):
        login(client, "anna.schmidt@example.org", "wrong", ip="10.0.0.1")
    assert login(client, "anna.schmidt@example.org", PASSWORD, ip="10.0.0.1").status_code == 429

    other = Client()
    response = login(other, "anna.schmidt@example.org", PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302
    assert logged_in_id(other) == str(user.pk)


def test_a_lockout_does_not_block_other_people_from_the_same_ip(client):
    verified_user(email="anna.schmidt@example.org")
    verified_user(email="giulia.rossi@example.org")
    for _ in range(5):
        login(client, "anna.schmidt@example.org", "wrong")
    assert login(Client(), "giulia.rossi@example.org", PASSWORD).status_code == 302


def test_a_success_before_the_limit_resets_the_counter(client):
    verified_user(email="anna.schmidt@example.org")
    for _ in range(4):
        login(client, "anna.schmidt@example.org", "wrong")
    assert login(client, "anna.schmidt@example.org", PASSWORD).status_code == 302
    client.post(reverse("account_logout"))

    # Without the reset these would be failures 5 to 8, and the next login locked out.
    for _ in range(4):
        assert login(client, "anna.schmidt@example.org", "wrong").status_code == 200
    assert login(client, "anna.schmidt@example.org", PASSWORD).status_code == 302


def test_the_admin_login_is_the_portal_login_and_locked_out_with_it(client):
    # The admin has no password form of its own (it would skip the second factor,
    # tests/portal/test_mfa.py): its login page sends to allauth's, which axes watches.
    verified_user(email="admin@example.org", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    response = client.post(url, {"username": "admin@example.org", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert logged_in_id(client) is None

    for _ in range(5):
        login(client, "admin@example.org", "wrong", ip="10.0.0.9")
    response = login(client, "Admin@example.org", PASSWORD, ip="10.0.0.9")
    assert response.status_code == 429
    assert "Too many failed logins" in response.content.decode()
    assert logged_in_id(client) is None


def test_resetting_the_password_ends_the_lockout(client):
    user = verified_user(email="anna.schmidt@example.org")
    for _ in range(5):
        login(client, "anna.schmidt@example.org", "wrong")
    assert login(client, "anna.schmidt@example.org", PASSWORD).status_code == 429

    client.post(reverse("account_reset_password"), {"email": "anna.schmidt@example.org"})
    form_url = client.get(link_in(mail.outbox[-1])).url
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = login(client, "anna.schmidt@example.org", NEW_PASSWORD)
    assert response.status_code == 302
    assert logged_in_id(client) == str(user.pk)


# Rate limits (allauth, counted in the cache) -------------------------------------------


def test_the_sixth_signup_from_one_ip_within_a_minute_is_refused(client):
    for n in range(5):
        response = client.post(
            reverse("account_signup"), signup_data(email=f"person{n}@example.org"), REMOTE_ADDR="10.1.1.1"
        )
        assert response.status_code == 302, n
    response = client.post(reverse("account_signup"), signup_data(email="person5@example.org"), REMOTE_ADDR="10.1.1.1")
    assert response.status_code == 429
    assert not User.objects.filter(email="person5@example.org").exists()

    other = Client().post(reverse("account_signup"), signup_data(email="person5@example.org"), REMOTE_ADDR="10.1.1.2")
    assert other.status_code == 302


def test_password_reset_requests_are_rate_limited_per_address_and_per_ip(client):
    verified_user(email="anna.schmidt@example.org")
    url = reverse("account_reset_password")
    for _ in range(3):
        assert client.post(url, {"email": "anna.schmidt@example.org"}, REMOTE_ADDR="10.2.2.2").status_code == 302
    # A fourth mail to the same address within a minute is refused, from any IP.
    assert client.post(url, {"email": "anna.schmidt@example.org"}, REMOTE_ADDR="10.2.2.3").status_code == 429
    assert len(mail.outbox) == 3

    cache.clear()
    for n in range(5):
        assert client.post(url, {"email": f"person{n}@example.org"}, REMOTE_ADDR="10.3.3.3").status_code == 302
    assert client.post(url, {"email": "person5@example.org"}, REMOTE_ADDR="10.3.3.3").status_code == 429


# Every page, in German -------------------------------------------------------------------

ANONYMOUS_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_reset_password_from_key_done",
    "account_email_verification_sent",
    "account_inactive",
    "privacy_notice",
]
LOGGED_IN_PAGES = ["account_profile", "account_logout", "account_change_password", "account_email"]


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_anonymous_pages_render_in_german(client, name):
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


@pytest.mark.parametrize("name", LOGGED_IN_PAGES)
def test_logged_in_pages_render_in_german(client, name):
    client.force_login(verified_user())
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


def test_pages_reached_from_e_mails_render_in_german(client):
    client.post(reverse("account_signup"), signup_data(), HTTP_ACCEPT_LANGUAGE="de")
    response = client.get(link_in(mail.outbox[0]), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()

    verified_user(email="anna.schmidt@example.org")
    client.post(reverse("account_reset_password"), {"email": "anna.schmidt@example.org"})
    response = client.get(link_in(mail.outbox[-1]), HTTP_ACCEPT_LANGUAGE="de", follow=True)
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()
    assert 'name="password1"' in response.content.decode()

    bad_key = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"})
    response = client.get(bad_key, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200
    assert '<html lang="de">' in response.content.decode()


def test_lockout_page_renders_in_german(client):
    verified_user(email="anna.schmidt@example.org")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    for _ in range(5):
        login(client, "anna.schmidt@example.org", "wrong")
    response = login(client, "anna.schmidt@example.org", PASSWORD)
    assert response.status_code == 429
    assert '<html lang="de">' in response.content.decode()
