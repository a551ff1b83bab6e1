"""Personal pages are never stored by a browser or proxy, the language cookie stays on this
site and out of scripts' reach, no page may use the browser's powerful features, and
production sends HSTS with preload-ready values (issue 15, finding 6)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]

PERSONAL = [
    ("workspace:dashboard", []),
    ("account_profile", []),
    ("registrations:my_meetings", []),
    ("calendar:feed_settings", []),
]


@pytest.mark.parametrize("name, args", PERSONAL)
def test_signed_in_pages_say_no_store(client, name, args):
    client.force_login(UserFactory())
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= directives


def test_public_pages_for_anonymous_visitors_keep_their_caching(client):
    response = client.get(reverse("catalogue:list"))
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_language_cookie_is_http_only_and_same_site(client):
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_production_sends_every_cookie_over_https_only(tmp_path):
    probe = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps([s.LANGUAGE_COOKIE_SECURE, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
        "s.PORTAL_TRUSTED_PROXY_COUNT, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_HSTS_PRELOAD]))"
    )
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "PORTAL_ENV": "production",
        "PORTAL_DATA_DIR": str(tmp_path),
        "DJANGO_SECRET_KEY": "x" * 50,
        "DATABASE_URL": "postgres://portal:secret@db.internal:5432/portal",
        "REDIS_URL": "redis://redis.internal:6379/0",
    }
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [True, True, True, 1, 63072000, True, True]


@pytest.mark.parametrize("signed_in", [False, True])
def test_every_page_refuses_the_browsers_powerful_features(client, signed_in):
    if signed_in:
        client.force_login(UserFactory())
    policy = client.get(reverse("home"))["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()", "usb=()"):
        assert feature in policy
