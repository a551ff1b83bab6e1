"""The production stack's front door: the real Caddy with deploy/Caddyfile before gunicorn.

gunicorn runs the production settings (PORTAL_ENV=production, whitenoise, collected
static files) against the suite's throwaway PostgreSQL (the test database) and Redis;
Caddy terminates TLS with its local CA ("localhost", as docker-compose.yml's default
PORTAL_DOMAIN) on free ports, and the client checks the certificate against that CA's
root. What a browser and an Observatory-style scan would see is asserted over HTTPS:
the security headers, the cookies' flags, the redirect from HTTP, the size limit, and
that a client cannot tell the portal which address or scheme it has.

Needs the ``caddy`` binary (Debian's package; .ci/run installs it): skipped without it,
failed in CI.
"""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings

from tests.production_env import production_env
from tests.servers import IN_CI, _free_port, stop_process

ROOT = Path(__file__).resolve().parents[2]
CADDYFILE = ROOT / "deploy" / "Caddyfile"
HOST = "localhost"
PASSWORD = "a-long-proxy-test-password"
EMAIL = "proxy.visitor@example.org"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _wait(check, what: str, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not come up within {timeout:.0f}s:\n{log.read_text(errors='replace')[-3000:]}")


@dataclass
class Stack:
    https_port: int
    http_port: int
    gunicorn_port: int
    ca: ssl.SSLContext
    access_log: Path

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> http.client.HTTPResponse:
        connection = http.client.HTTPSConnection(HOST, self.https_port, context=self.ca, timeout=60)
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response


def _caddy() -> str:
    binary = shutil.which("caddy")
    if not binary:
        message = "the caddy binary (apt-get install caddy) to run deploy/Caddyfile"
        if IN_CI:
            pytest.fail(f"CI=true but there is no {message}", pytrace=False)
        pytest.skip(f"needs {message}")
    return binary


@pytest.fixture(scope="module")
def stack(django_db_setup, django_db_blocker) -> Iterator[Stack]:
    caddy = _caddy()

    base = Path(tempfile.mkdtemp(prefix="portal-test-proxy-"))
    env = production_env(base)
    processes: list[subprocess.Popen] = []
    try:
        collect = subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert collect.returncode == 0, collect.stderr[-3000:]

        gunicorn_port = _free_port()
        access_log = base / "access.log"
        gunicorn_log = base / "gunicorn.log"
        with open(gunicorn_log, "wb") as log:
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "portal.wsgi:application",
                     "--bind", f"127.0.0.1:{gunicorn_port}", "--workers", "1", "--worker-class", "gthread",
                     "--threads", "4", "--timeout", "60", "--access-logfile", str(access_log),
                     # What the proxy told gunicorn about the client, for the spoofing test.
                     "--access-logformat", 'xff="%({x-forwarded-for}i)s" proto="%({x-forwarded-proto}i)s" "%(r)s"'],
                    cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                )
            )  # fmt: skip

        def gunicorn_answers() -> bool:
            connection = http.client.HTTPConnection("127.0.0.1", gunicorn_port, timeout=2)
            connection.request("GET", "/healthz/", headers={"Host": HOST})
            return connection.getresponse().status == 200

        _wait(gunicorn_answers, "gunicorn", gunicorn_log)

        https_port, http_port = _free_port(), _free_port()
        caddy_env = {
            "PATH": os.environ.get("PATH", ""),
            "HOME": str(base),
            "XDG_DATA_HOME": str(base / "caddy-data"),
            "XDG_CONFIG_HOME": str(base / "caddy-config"),
            "PORTAL_DOMAIN": HOST,
            "PORTAL_UPSTREAM": f"127.0.0.1:{gunicorn_port}",
            "CADDY_HTTP_PORT": str(http_port),
            "CADDY_HTTPS_PORT": str(https_port),
            "CADDY_ADMIN": "off",
        }
        caddy_log = base / "caddy.log"
        with open(caddy_log, "wb") as log:
            processes.append(
                subprocess.Popen(
                    [caddy, "run", "--config", str(CADDYFILE), "--adapter", "caddyfile"],
                    cwd=base,
                    env=caddy_env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
        root = base / "caddy-data" / "caddy" / "pki" / "authorities" / "local" / "root.crt"
        _wait(lambda: root.exists(), "Caddy's local CA", caddy_log)
        context = ssl.create_default_context(cafile=str(root))
        stack = Stack(https_port, http_port, gunicorn_port, context, access_log)
        _wait(lambda: stack.request("GET", "/healthz/").status == 200, "Caddy over HTTPS", caddy_log)
        yield stack
    finally:
        for process in reversed(processes):
            stop_process(process)
        shutil.rmtree(base, ignore_errors=True)


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    """Each Set-Cookie header by cookie name, as sent."""
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        found[header.split("=", 1)[0]] = header
    return found


def test_pages_carry_every_security_header(stack):
    response = stack.request("GET", "/")
    assert response.status == 200
    headers = response.headers
    policy = headers["Content-Security-Policy"]
    for directive in (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "upgrade-insecure-requests",
    ):
        assert directive in policy, (directive, policy)
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert headers["Strict-Transport-Security"] == "max-age=63072000; includeSubDomains; preload"
    assert "camera=()" in headers["Permissions-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] in {"same-origin", "strict-origin-when-cross-origin"}
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Server" not in headers


def test_static_files_come_over_https_with_nosniff_and_hsts(stack):
    response = stack.request("GET", "/")
    stylesheet = next(part for part in response.body.decode().split('"') if part.endswith(".css"))
    css = stack.request("GET", stylesheet)
    assert css.status == 200
    assert css.headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" in css.headers


def test_every_cookie_is_secure_http_only_and_same_site(stack):
    from allauth.account.models import EmailAddress
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    # Committed (a transactional test), so gunicorn sees it; production hashes with PBKDF2.
    user = get_user_model().objects.create(email=EMAIL, password=PBKDF2PasswordHasher().encode(PASSWORD, "proxysalt"))
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    login = stack.request("GET", "/accounts/login/")
    assert login.status == 200
    csrf = SimpleCookie(cookies_of(login)["csrftoken"])["csrftoken"].value
    origin = f"https://{HOST}:{stack.https_port}"
    sent = stack.request(
        "POST",
        "/accounts/login/",
        body=urlencode({"login": EMAIL, "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Origin": origin,
            "Referer": f"{origin}/accounts/login/",
            # A forged chain: the portal must record the proxy's view of the client.
            "X-Forwarded-For": "203.0.113.66",
        },
    )
    assert sent.status == 302, sent.body[-2000:]
    language = stack.request(
        "POST",
        "/i18n/setlang/",
        body=urlencode({"language": "de", "next": "/", "csrfmiddlewaretoken": csrf}).encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf}",
            "Origin": origin,
            "Referer": f"{origin}/",
        },
    )
    cookies = {**cookies_of(login), **cookies_of(sent), **cookies_of(language)}
    expected = {"csrftoken", settings.SESSION_COOKIE_NAME, "messages", settings.LANGUAGE_COOKIE_NAME}
    assert expected <= set(cookies), cookies
    for header in cookies.values():
        flags = {flag.strip().lower() for flag in header.split(";")[1:]}
        assert "secure" in flags, header
        assert "httponly" in flags, header
        assert "samesite=lax" in flags, header

    # django-axes logged the sign-in with the address Caddy saw (the loopback), not the forged one.
    from axes.models import AccessLog

    entry = AccessLog.objects.filter(username=EMAIL).latest("attempt_time")
    assert entry.ip_address == "127.0.0.1"


def test_the_proxy_replaces_forwarded_headers_a_client_sends(stack):
    marker = f"/healthz/?spoof={secrets.token_hex(4)}"
    response = stack.request(
        "GET", marker, headers={"X-Forwarded-For": "203.0.113.66, 198.51.100.7", "X-Forwarded-Proto": "http"}
    )
    assert response.status == 200
    time.sleep(0.5)  # gunicorn writes the access log line after the response
    line = next(line for line in stack.access_log.read_text().splitlines() if marker in line)
    assert 'xff="127.0.0.1"' in line or 'xff="::1"' in line, line
    assert 'proto="https"' in line, line


def test_plain_http_is_redirected_to_https(stack):
    connection = http.client.HTTPConnection(HOST, stack.http_port, timeout=30)
    connection.request("GET", "/catalogue/?country=DE")
    response = connection.getresponse()
    assert response.status in {301, 308}
    # Caddy 2.6 names no port in the redirect (443 in production); later versions name a non-standard one.
    assert response.headers["Location"] in {
        f"https://{HOST}/catalogue/?country=DE",
        f"https://{HOST}:{stack.https_port}/catalogue/?country=DE",
    }


def test_gunicorn_redirects_plain_http_but_not_the_health_checks(stack):
    """Inside the network the health checks ask gunicorn directly, over plain HTTP."""
    for path, status in (("/healthz/", 200), ("/readyz/", {200, 503}), ("/", 301)):
        connection = http.client.HTTPConnection("127.0.0.1", stack.gunicorn_port, timeout=30)
        connection.request("GET", path, headers={"Host": HOST})
        response = connection.getresponse()
        assert response.status in (status if isinstance(status, set) else {status}), (path, response.status)
        if response.status == 301:
            assert response.headers["Location"] == f"https://{HOST}/"


def test_an_oversize_body_is_refused_with_413_before_it_reaches_gunicorn(stack):
    """A body declared larger than the proxy's limit (27 MiB) is refused without being read.

    Sent as a client does: headers, then the body until the server stops reading, then the answer.
    """
    size = 28 * 1024 * 1024
    marker = secrets.token_hex(4)
    raw = socket.create_connection((HOST, stack.https_port), timeout=30)
    with stack.ca.wrap_socket(raw, server_hostname=HOST) as tls:
        tls.sendall(
            f"POST /accounts/login/?oversize={marker} HTTP/1.1\r\nHost: {HOST}\r\n"
            "Content-Type: application/x-www-form-urlencoded\r\n"
            f"Content-Length: {size}\r\nConnection: close\r\n\r\n".encode()
        )
        try:
            for _ in range(size // 65536):
                tls.sendall(b"x" * 65536)
        except OSError:
            pass  # the proxy stopped reading: its answer is waiting
        answer = b""
        try:
            while data := tls.recv(65536):
                answer += data
        except OSError:
            pass
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    time.sleep(0.5)
    assert marker not in stack.access_log.read_text(), "gunicorn saw the request"
