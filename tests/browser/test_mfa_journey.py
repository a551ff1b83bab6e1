"""Two-factor sign-in in the browser (issue 15, finding 7).

A coordinator without an authenticator app signs in through the login form, is sent to
set one up, types the code the app would show (computed by tests/two_factor.py from the
secret on the page), sees the recovery codes and continues to the workspace page they
asked for. A demo coordinator, who has the app, is asked for the code at sign-in.
These are the only browser tests that use the login form; the others get a session
cookie from ``Client.force_login`` (conftest.py).
"""

from __future__ import annotations

from django.urls import reverse

from portal.demo import data as demo_data
from tests.two_factor import totp_code

BLOCKING = {"serious", "critical"}


def sign_in(tab, email: str) -> None:
    tab.fill("#id_login", email)
    tab.fill("#id_password", demo_data.DEMO_PASSWORD)
    with tab.expect_navigation():
        tab.locator("main form.account-form button[type=submit]").click()


def no_serious_violations(axe, tab) -> None:
    violations = [v for v in axe.run(tab).response["violations"] if v["impact"] in BLOCKING]
    assert not violations, [(v["id"], v["help"]) for v in violations]


def test_a_coordinator_sets_up_the_app_sees_the_recovery_codes_and_reaches_the_workspace(open_page, axe):
    from allauth.mfa.models import Authenticator
    from django.contrib.auth import get_user_model

    email = "coordinator.epicup@example.org"
    # A coordinator who has not set up the app yet (the demo enrols its staff).
    Authenticator.objects.filter(user__email=email).delete()
    wanted = reverse("workspace:project", args=["epic-up"])

    tab = open_page("en")
    tab.goto(wanted)
    assert tab.url.split("?")[0].endswith(reverse("account_login"))
    sign_in(tab, email)

    # Signed in with the password, but the workspace waits for the second factor.
    assert tab.url.endswith(reverse("mfa_activate_totp"))
    assert "Coordinators and administrators sign in with a second factor" in tab.locator(".messages").inner_text()
    assert tab.locator("img.totp-qr").get_attribute("src").startswith("data:image/svg+xml;base64,")
    no_serious_violations(axe, tab)

    secret = tab.input_value("#authenticator_secret")
    tab.fill("#id_code", totp_code(secret))
    with tab.expect_navigation():
        tab.get_by_role("button", name="Activate").click()

    assert tab.url.endswith(reverse("mfa_view_recovery_codes"))
    codes = tab.locator(".recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(len(code) == 8 for code in codes)
    no_serious_violations(axe, tab)

    with tab.expect_navigation():
        tab.get_by_role("link", name="I have saved them: continue").click()
    assert tab.url.endswith(wanted)
    assert tab.locator("h1").count() == 1
    user = get_user_model().objects.get(email=email)
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def test_a_demo_coordinator_signs_in_with_the_code(open_page, axe):
    tab = open_page("en")
    tab.goto(f"{reverse('account_login')}?next={reverse('workspace:dashboard')}")
    sign_in(tab, "coordinator@example.org")

    assert tab.url.endswith(reverse("mfa_authenticate"))
    no_serious_violations(axe, tab)
    tab.fill("#id_code", totp_code(demo_data.DEMO_TOTP_SECRET))
    with tab.expect_navigation():
        tab.locator("main form.account-form button[type=submit]").first.click()
    assert tab.url.endswith(reverse("workspace:dashboard"))
