"""What the production settings send: security headers, cookie flags, the HTTPS redirect.

The production settings cannot be loaded into the test process (it runs the test
settings), so each check runs in a subprocess with ``PORTAL_ENV=production`` and the
documented production variables, pointed at the suite's throwaway PostgreSQL (the test
database) and Redis, after ``collectstatic`` (whitenoise's manifest, as in the image).
The subprocess asks Django's test client and prints what came back. The same stack
behind the real Caddy: tests/portal/test_proxy.py.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.production_env import production_env

ROOT = Path(__file__).resolve().parents[2]
HOST = "portal.example.org"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

# Runs under the production settings: a few requests, their status, headers and cookies as JSON.
PROBE = r"""
import json, django
django.setup()
from django.conf import settings
from django.test import Client
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

def seen(response):
    return {
        "status": response.status_code,
        "headers": dict(response.headers),
        "cookies": {
            name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
            for name, c in response.cookies.items()
        },
    }

user = get_user_model().objects.create_user(email="headers@example.org", password="a-long-headers-password")
EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
# As behind the proxy, which says how the client came in.
https = Client(HTTP_HOST="%(host)s", HTTP_X_FORWARDED_PROTO="https")
plain = Client(HTTP_HOST="%(host)s")
out = {
    "home": seen(https.get("/")),
    "login-page": seen(https.get("/accounts/login/")),
    "login": seen(https.post("/accounts/login/", {"login": user.email, "password": "a-long-headers-password"})),
    "dashboard": seen(https.get("/dashboard/")),
    "language": seen(https.post("/i18n/setlang/", {"language": "de", "next": "/"})),
    "plain-home": seen(plain.get("/catalogue/?country=DE")),
    "plain-healthz": seen(plain.get("/healthz/")),
    "plain-readyz": seen(plain.get("/readyz/")),
}
print("PROBE" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    base = Path(tempfile.mkdtemp(prefix="portal-test-prod-"))
    yield base
    shutil.rmtree(base, ignore_errors=True)


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def env(data_dir, django_db_setup) -> dict[str, str]:
    return {**production_env(data_dir), "DJANGO_ALLOWED_HOSTS": HOST, "PORTAL_BASE_URL": f"https://{HOST}"}


@pytest.fixture(scope="module")
def seen(env, data_dir) -> dict:
    """The probe's answers, asked once for the module (its rows go with the first test's flush)."""
    if not (data_dir / "staticfiles" / "staticfiles.json").exists():
        collected = manage(env, "collectstatic", "--noinput", "-v", "0")
        assert collected.returncode == 0, collected.stderr[-3000:]
    result = subprocess.run(
        [sys.executable, "-c", PROBE % {"host": HOST}], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    line = next(line for line in result.stdout.splitlines() if line.startswith("PROBE"))
    return json.loads(line.removeprefix("PROBE"))


def test_check_deploy_finds_no_issues_with_the_production_variables(env):
    result = manage(env, "check", "--deploy", "--database", "default", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout


def test_pages_send_the_security_headers(seen):
    for name in ("home", "login-page", "dashboard"):
        response = seen[name]
        assert response["status"] == 200, name
        headers = response["headers"]
        policy = dict((part.strip().split(" ", 1) + [""])[:2] for part in headers["Content-Security-Policy"].split(";"))
        assert policy == {
            "default-src": "'self'",
            "script-src": policy["script-src"],
            "style-src": policy["style-src"],
            "img-src": "'self' data:",
            "font-src": "'self'",
            "connect-src": "'self'",
            "object-src": "'none'",
            "base-uri": "'none'",
            "form-action": "'self'",
            "frame-ancestors": "'none'",
            "upgrade-insecure-requests": "",
        }, name
        # Only the portal itself, and a per-response nonce when a page asks for one.
        for directive in ("script-src", "style-src"):
            sources = policy[directive].split()
            assert sources[0] == "'self'" and all(source.startswith("'nonce-") for source in sources[1:]), sources
        assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
        assert headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "camera=()" in headers["Permissions-Policy"]


def test_signed_in_pages_are_not_stored(seen):
    assert seen["login"]["status"] == 302
    assert "no-store" in seen["dashboard"]["headers"]["Cache-Control"]


def test_every_cookie_is_secure_http_only_and_same_site(seen):
    cookies = {
        **seen["login-page"]["cookies"],
        **seen["login"]["cookies"],
        **seen["language"]["cookies"],
    }
    assert {"csrftoken", "sessionid", "messages", "django_language"} <= set(cookies), cookies
    for name, flags in cookies.items():
        assert flags == {"secure": True, "httponly": True, "samesite": "Lax"}, name


def test_plain_http_is_redirected_except_the_health_checks(seen):
    assert seen["plain-home"]["status"] == 301
    assert seen["plain-home"]["headers"]["Location"] == f"https://{HOST}/catalogue/?country=DE"
    assert seen["plain-healthz"]["status"] == 200
    # Ready or not (no Celery worker runs here), it answers instead of redirecting.
    assert seen["plain-readyz"]["status"] in {200, 503}
    # HSTS only over HTTPS: a plain-HTTP answer cannot pin anything.
    assert "Strict-Transport-Security" not in seen["plain-healthz"]["headers"]
