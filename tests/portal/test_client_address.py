"""Behind a reverse proxy, the lockout and the rate limits count per client, not per proxy
(issue 15, finding 1; portal/client_address.py).

Every request below arrives from the proxy's address, as in production behind the TLS
proxy; the proxy appends the address it received the request from to X-Forwarded-For.
An attacker may send an X-Forwarded-For of their own: it sits left of the proxy's entry
and is never believed.
"""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from axes.utils import reset as axes_reset
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from portal.client_address import client_ip
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "172.18.0.5"
PASSWORD = "a long and good passphrase"
ATTACKER, VICTIM = "198.51.100.7", "203.0.113.9"


@pytest.fixture(autouse=True)
def behind_one_proxy(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    cache.clear()
    axes_reset()
    yield
    cache.clear()


def through_proxy(client_address: str, forged: str = "") -> dict[str, str]:
    """What gunicorn sees of a request the proxy forwarded for ``client_address``."""
    chain = f"{forged}, {client_address}" if forged else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def login(client: Client, email: str, password: str, address: str, forged: str = ""):
    return client.post(
        reverse("account_login"), {"login": email, "password": password}, **through_proxy(address, forged)
    )


def member() -> str:
    user = UserFactory(email="anna.schmidt@example.org")
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user.email


@pytest.mark.parametrize(
    "count, meta, expected",
    [
        (0, {"REMOTE_ADDR": "10.0.0.1", "HTTP_X_FORWARDED_FOR": "1.2.3.4"}, "10.0.0.1"),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": VICTIM}, VICTIM),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {VICTIM}"}, VICTIM),
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": f"6.6.6.6, {VICTIM}, 10.1.1.1"}, VICTIM),
        (1, {"REMOTE_ADDR": PROXY}, PROXY),  # not forwarded at all: the sender itself
        (2, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": VICTIM}, PROXY),  # fewer hops than proxies
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": "not-an-address"}, PROXY),
        (1, {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": " 2001:db8::1 "}, "2001:db8::1"),
    ],
)
def test_the_client_is_the_address_the_outermost_trusted_proxy_saw(settings, count, meta, expected):
    settings.PORTAL_TRUSTED_PROXY_COUNT = count
    assert client_ip(RequestFactory().get("/", **meta)) == expected


def test_an_attackers_failures_do_not_lock_out_the_real_user():
    email = member()
    attacker = Client()
    for _ in range(5):
        login(attacker, email, "wrong", ATTACKER)
    # The attacker is locked out, even with the right password…
    assert login(attacker, email, PASSWORD, ATTACKER).status_code == 429
    # …and cannot escape by writing another address into the header: the proxy's entry counts.
    assert login(attacker, email, PASSWORD, ATTACKER, forged=VICTIM).status_code == 429
    # The real user, behind the same proxy, signs in.
    victim = Client()
    assert login(victim, email, PASSWORD, VICTIM).status_code == 302
    assert victim.session.get("_auth_user_id")


def test_allauths_rate_limits_count_per_client_not_for_everybody(settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "reset_password": "3/m/ip"}
    url = reverse("account_reset_password")
    busy = Client()
    statuses = [
        busy.post(url, {"email": f"someone{n}@example.org"}, **through_proxy(ATTACKER)).status_code for n in range(5)
    ]
    assert statuses[-1] == 429  # the busy client is limited
    # Somebody else behind the same proxy is not.
    other = Client().post(url, {"email": "anna.schmidt@example.org"}, **through_proxy(VICTIM))
    assert other.status_code == 302
