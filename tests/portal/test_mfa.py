"""Two-factor sign-in (issue 15, finding 7): staff must have an authenticator app before the
admin and the workspace, members may; sign-in asks the code; recovery codes work once;
passwords have at least 12 characters.

Sign-ins are real form POSTs, as in test_accounts.py: the enforcement is decided at sign-in
through allauth (portal/accounts/two_factor.py), so the rest of the suite, which signs in
with ``client.force_login``, is not asked for a code.
"""

import io
import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from axes.utils import reset as axes_reset
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from portal.accounts import two_factor
from portal.demo import data as demo_data
from portal.demo.loader import load_demo
from portal.models import User
from tests.factories import ProjectFactory, ProjectRoleFactory, UserFactory
from tests.two_factor import enrol, recovery_codes, totp_code

pytestmark = pytest.mark.django_db

PASSWORD = "Tr0ubadour-Stapler-42"
ENROLMENT_MESSAGE = (
    "Coordinators and administrators sign in with a second factor. "
    "Set up an authenticator app to continue: it takes a minute."
)


@pytest.fixture(autouse=True)
def fresh_counters():
    # allauth keeps its rate limits and the codes already used in the cache, which the
    # database rollback does not undo.
    cache.clear()
    axes_reset()
    yield
    cache.clear()


def person(**kwargs) -> User:
    user = UserFactory(password=PASSWORD, **kwargs)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def coordinator() -> User:
    user = person()
    ProjectRoleFactory(user=user)
    return user


STAFF = {
    "coordinator": coordinator,
    "staff account": lambda: person(is_staff=True),
    "superuser": lambda: person(is_staff=True, is_superuser=True),
}


def sign_in(client: Client, user: User, password: str = PASSWORD, **data):
    return client.post(reverse("account_login"), {"login": user.email, "password": password, **data})


def signed_in_id(client: Client) -> str | None:
    return client.session.get("_auth_user_id")


def in_language(user, text: str) -> str:
    """The message as the person reads it: pages speak their preferred language."""
    with translation.override(user.preferred_language):
        return translation.gettext(text)


def enter_code(client: Client, code: str):
    return client.post(reverse("mfa_authenticate"), {"code": code})


# --- Staff are sent to set up the app; members are not ------------------------------------


@pytest.mark.parametrize("kind", STAFF)
def test_staff_without_an_app_are_sent_to_set_one_up_before_the_admin_and_the_workspace(client, kind):
    user = STAFF[kind]()
    assert sign_in(client, user).status_code == 302
    assert signed_in_id(client) == str(user.pk)  # the password alone signs in ...

    for url in (reverse("admin:index"), reverse("workspace:dashboard")):
        response = client.get(url)
        # ... but the back office waits for the second factor.
        assert response.status_code == 302, url
        assert response.url == reverse("mfa_activate_totp"), url

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    body = page.content.decode()
    assert in_language(user, ENROLMENT_MESSAGE) in body
    assert 'src="data:image/svg+xml;base64,' in body
    assert client.session[SECRET_SESSION_KEY] in body  # the secret, to type instead of scanning


def test_the_coordinator_pages_below_the_workspace_wait_too(client):
    user = coordinator()
    project = user.project_roles.get().project
    sign_in(client, user)
    for url in (
        reverse("workspace:project", args=[project.slug]),
        reverse("workspace:reports", args=[project.slug]),
    ):
        response = client.get(url)
        assert (response.status_code, response.url) == (302, reverse("mfa_activate_totp")), url


def test_public_pages_and_the_profile_stay_open_to_staff_without_an_app(client):
    sign_in(client, coordinator())
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("account_profile")).status_code == 200


@pytest.mark.parametrize("role", ["member", "partner staff", "funder officer"])
def test_members_are_not_sent_to_set_up_an_app(client, role):
    user = person()
    project = ProjectFactory()
    if role == "partner staff":
        ProjectRoleFactory(user=user, project=project, partner_staff=True)
    elif role == "funder officer":
        ProjectRoleFactory(user=user, project=project, funder_officer=True)
    sign_in(client, user)
    assert client.get(reverse("workspace:dashboard")).status_code == 200
    if role == "partner staff":
        assert client.get(reverse("workspace:project", args=[project.slug])).status_code == 200


# --- Enrolment: recovery codes, then where the person was going ----------------------------


def test_after_setting_up_the_app_the_coordinator_sees_the_recovery_codes_and_reaches_the_workspace(client):
    user = coordinator()
    project = user.project_roles.get().project
    wanted = reverse("workspace:project", args=[project.slug])
    sign_in(client, user)
    assert client.get(wanted).url == reverse("mfa_activate_totp")

    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    wrong = "000000" if totp_code(secret) != "000000" else "111111"
    assert client.post(reverse("mfa_activate_totp"), {"code": wrong}).status_code == 200
    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})

    assert response.status_code == 302
    assert response.url == reverse("mfa_view_recovery_codes")
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    page = client.get(response.url).content.decode()
    codes = recovery_codes(user)
    assert len(codes) == 10 and all(f"<code>{code}</code>" in page for code in codes)
    assert f'href="{wanted}"' in page  # "I have saved them: continue"

    assert client.get(wanted).status_code == 200


def test_an_enrolled_session_costs_no_query_on_a_workspace_page(client):
    user = coordinator()
    enrol(user)
    client.force_login(user)
    url = reverse("workspace:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as unmarked:
        assert client.get(url).status_code == 200
    session = client.session
    session[two_factor.SESSION_KEY] = two_factor.HAS_APP
    session.save()
    with CaptureQueriesContext(connection) as marked:
        assert client.get(url).status_code == 200
    assert len(marked) == len(unmarked)


def test_a_member_session_costs_no_query_on_a_workspace_page(client):
    user = person()
    ProjectRoleFactory(user=user, partner_staff=True)
    client.force_login(user)
    url = reverse("workspace:dashboard")
    client.get(url)
    with CaptureQueriesContext(connection) as unmarked:
        assert client.get(url).status_code == 200
    session = client.session
    session[two_factor.SESSION_KEY] = two_factor.NO_APP
    session.save()
    with CaptureQueriesContext(connection) as marked:
        assert client.get(url).status_code == 200
    # The coordinator check reads the roles the dashboard reads anyway.
    assert len(marked) == len(unmarked)


# --- Sign-in asks the code; recovery codes --------------------------------------------------


def test_sign_in_asks_the_code_once_the_app_is_active(client):
    user = coordinator()
    enrol(user)

    response = sign_in(client, user)
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert signed_in_id(client) is None  # the password alone does not sign in

    wrong = "123456" if totp_code(user) != "123456" else "654321"
    response = enter_code(client, wrong)
    assert response.status_code == 200
    assert signed_in_id(client) is None

    response = enter_code(client, totp_code(user))
    assert response.status_code == 302
    assert signed_in_id(client) == str(user.pk)
    assert client.get(reverse("workspace:dashboard")).status_code == 200


def test_a_recovery_code_works_once(client):
    user = coordinator()
    enrol(user)
    first, second = recovery_codes(user)[:2]

    sign_in(client, user)
    enter_code(client, first)
    assert signed_in_id(client) == str(user.pk)
    client.post(reverse("account_logout"))

    sign_in(client, user)
    assert enter_code(client, first).status_code == 200
    assert signed_in_id(client) is None
    enter_code(client, second)
    assert signed_in_id(client) == str(user.pk)
    assert first not in recovery_codes(user) and second not in recovery_codes(user)


def test_a_member_may_opt_in_from_the_profile(client):
    user = person()
    sign_in(client, user)
    page = client.get(reverse("account_profile")).content.decode()
    assert in_language(user, "Two-factor sign-in") in page
    assert reverse("mfa_activate_totp") in page

    client.get(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    assert client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)}).status_code == 302
    page = client.get(reverse("account_profile")).content.decode()
    assert reverse("mfa_deactivate_totp") in page
    assert reverse("mfa_view_recovery_codes") in page
    with translation.override(user.preferred_language):
        left = translation.ngettext("%(left)s unused code left.", "%(left)s unused codes left.", 10) % {"left": 10}
    assert left in page

    client.post(reverse("account_logout"))
    assert sign_in(client, user).url == reverse("mfa_authenticate")


# --- Roles and apps that change during a session ----------------------------------------------


def test_a_coordinator_role_granted_during_the_session_counts_from_the_next_page(client):
    user = person()
    sign_in(client, user)
    assert client.get(reverse("workspace:dashboard")).status_code == 200

    ProjectRoleFactory(user=user)
    response = client.get(reverse("workspace:dashboard"))
    assert (response.status_code, response.url) == (302, reverse("mfa_activate_totp"))


def test_a_staff_flag_granted_during_the_session_counts_from_the_next_page(client):
    user = person()
    sign_in(client, user)
    User.objects.filter(pk=user.pk).update(is_staff=True)
    assert client.get(reverse("admin:index")).url == reverse("mfa_activate_totp")


def test_a_session_signed_in_before_the_mark_existed_is_looked_at_once(client):
    sign_in(client, coordinator())
    session = client.session
    del session[two_factor.SESSION_KEY]  # as in a session from before this release
    session.save()
    assert client.get(reverse("workspace:dashboard")).url == reverse("mfa_activate_totp")
    assert client.session[two_factor.SESSION_KEY] == two_factor.NO_APP


def test_staff_who_deactivate_their_app_are_asked_for_a_new_one(client):
    user = coordinator()
    enrol(user)
    sign_in(client, user)
    enter_code(client, totp_code(user))
    assert client.get(reverse("workspace:dashboard")).status_code == 200

    assert client.post(reverse("mfa_deactivate_totp")).status_code == 302
    assert not Authenticator.objects.filter(user=user).exists()
    assert client.get(reverse("workspace:dashboard")).url == reverse("mfa_activate_totp")


# --- The admin's login is allauth's ------------------------------------------------------------


def test_the_admin_has_no_password_login_of_its_own(client):
    user = STAFF["superuser"]()
    response = client.post(reverse("admin:login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert signed_in_id(client) is None


def test_the_admin_sends_to_the_portal_login_which_asks_the_code(client):
    user = STAFF["superuser"]()
    enrol(user)

    response = client.get(reverse("admin:index"), follow=True)
    login_url, _status = response.redirect_chain[-1]
    assert login_url == f"{reverse('account_login')}?next={reverse('admin:index')}"

    response = sign_in(client, user, next=reverse("admin:index"))
    assert response.url == reverse("mfa_authenticate")
    response = enter_code(client, totp_code(user))
    assert response.url == reverse("admin:index")
    assert client.get(reverse("admin:index")).status_code == 200


def test_someone_signed_in_without_admin_access_is_refused_at_the_admin_login(client):
    client.force_login(person())
    assert client.get(reverse("admin:login")).status_code == 403


def test_the_admin_never_shows_a_secret(client):
    admin = STAFF["superuser"]()
    secret = enrol(admin)
    client.force_login(admin)
    authenticator = Authenticator.objects.get(user=admin, type=Authenticator.Type.TOTP)
    page = client.get(reverse("admin:mfa_authenticator_change", args=[authenticator.pk])).content.decode()
    assert secret not in page
    assert client.get(reverse("admin:mfa_authenticator_add")).status_code == 403


# --- Passwords ---------------------------------------------------------------------------------


def test_passwords_under_12_characters_are_refused(client):
    short = "Stapler-42x"  # 11 characters
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Olena",
            "last_name": "Kovalenko",
            "email": "olena.kovalenko@example.org",
            "password1": short,
            "password2": short,
            "accept_privacy": "on",
        },
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    assert not User.objects.filter(email="olena.kovalenko@example.org").exists()

    user = person()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"), {"oldpassword": PASSWORD, "password1": short, "password2": short}
    )
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_password_forms_say_how_long_a_password_must_be(client, mailoutbox):
    assert "at least 12 characters" in client.get(reverse("account_signup")).content.decode()

    user = person()
    client.post(reverse("account_reset_password"), {"email": user.email})
    link = re.search(r"https?://[^/\s]+(/accounts/\S+)", mailoutbox[-1].body).group(1)
    form_url = client.get(link).url
    assert "at least 12 characters" in client.get(form_url).content.decode()
    response = client.post(form_url, {"password1": "Stapler-42x", "password2": "Stapler-42x"})
    assert "at least 12 characters" in response.content.decode()

    client.force_login(user)
    assert "at least 12 characters" in client.get(reverse("account_change_password")).content.decode()


# --- The demo ----------------------------------------------------------------------------------


def test_the_demo_staff_sign_in_with_the_published_secret_and_demo_totp_prints_their_codes(client):
    load_demo(with_accounts=True)
    staff = {"admin@example.org", "coordinator@example.org", "coordinator.epicup@example.org"}
    enrolled = set(Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user__email", flat=True))
    assert enrolled == staff
    assert Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES).count() == len(staff)

    out = io.StringIO()
    call_command("demo_totp", stdout=out)
    printed = dict(re.findall(r"^(\S+@example\.org)\s+(\d{6})$", out.getvalue(), re.MULTILINE))
    assert set(printed) == staff

    coordinator = User.objects.get(email="coordinator@example.org")
    assert sign_in(client, coordinator, demo_data.DEMO_PASSWORD).url == reverse("mfa_authenticate")
    enter_code(client, totp_code(demo_data.DEMO_TOTP_SECRET))
    assert signed_in_id(client) == str(coordinator.pk)
    assert client.get(reverse("workspace:dashboard")).status_code == 200


def test_demo_totp_keeps_a_secret_somebody_set_up_by_hand(client):
    load_demo(with_accounts=True)
    enrol(User.objects.get(email="admin@example.org"))  # a new app with a secret of its own
    out = io.StringIO()
    call_command("demo_totp", stdout=out)
    assert "admin@example.org" not in out.getvalue()
    assert "coordinator@example.org" in out.getvalue()


# --- The pages of the flow are valid HTML ------------------------------------------------------


def test_the_pages_of_the_flow_are_valid_html(client):
    from tests.portal.test_html_validity import check_ids, parse_strictly

    def check(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, url
        check_ids(parse_strictly(response.content.decode(), url), url)

    user = coordinator()
    sign_in(client, user)
    check(reverse("mfa_activate_totp"))
    secret = client.session[SECRET_SESSION_KEY]
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    for name in ("mfa_view_recovery_codes", "mfa_generate_recovery_codes", "mfa_index", "mfa_deactivate_totp"):
        check(reverse(name))
    check(reverse("account_profile"))
    client.post(reverse("account_logout"))
    sign_in(client, user)
    check(reverse("mfa_authenticate"))
