"""Browser tests: Playwright drives the machine's own chromium against a live server.

- The browser is Debian's ``/usr/bin/chromium`` (``apt-get install chromium``; ``.ci/run``
  installs it). Playwright never downloads one: do not run ``playwright install``.
- Without chromium (or without the ``playwright`` package) the tests are skipped, saying
  why; with ``CI=true`` they fail instead, as a missing PostgreSQL does (tests/servers.py).
- Every test gets pytest-django's ``live_server`` over a transactional database holding
  the demo data with its accounts (``manage.py load_demo``).
- Logged-in pages get the session cookie of ``Client.force_login``: never the login form,
  which django-axes watches (test_mfa_journey.py alone signs in through it, to show the
  two-factor sign-in; tests/two_factor.py computes the codes). The language comes from
  Django's language cookie.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client

from tests.servers import IN_CI

# Playwright's sync API runs an asyncio event loop in the test's thread, and Django refuses
# database queries from a thread with a running loop unless told that it is safe. It is:
# the tests themselves are synchronous and the live server answers in its own thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
VIEWPORT = {"width": 1280, "height": 900}


def unavailable(reason: str) -> None:
    """Skip, or fail in CI: CI must prove the browser tests, not skip them."""
    if IN_CI:
        pytest.fail(f"CI=true but the browser tests cannot run: {reason}", pytrace=False)
    pytest.skip(f"browser tests need {reason}")


@pytest.fixture(scope="package")
def browser() -> Iterator:
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the playwright package: pip install -e '.[test]'")
    if not CHROMIUM.exists():
        unavailable(f"{CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        except PlaywrightError as exc:
            unavailable(f"{CHROMIUM} to start: {exc.message.splitlines()[0]}")
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def axe():
    """axe-core, as bundled with axe-playwright-python: ``axe.run(page)``."""
    try:
        from axe_playwright_python.sync_playwright import Axe
    except ImportError:
        unavailable("the axe-playwright-python package: pip install -e '.[test]'")
    return Axe()


@pytest.fixture
def demo_site(live_server, settings) -> str:
    """The live server's address, with the demo data and the demo accounts loaded."""
    settings.PORTAL_DEMO_ACCOUNTS = True
    call_command("load_demo", verbosity=0)
    return live_server.url


@pytest.fixture(scope="module")
def shared_demo_site(django_db_setup, django_db_blocker) -> Iterator[str]:
    """One live server and one load of the demo data for a whole module whose tests only read pages.

    ``demo_site`` loads the demo afresh for every test and empties the database after it
    (the live server's threads only see committed rows, so no transaction can undo a test's
    changes). A module of read-only page checks (test_accessibility.py) asks for this one
    instead: the data is committed once, the tests write nothing but their sessions, and
    the database is emptied when the module is done, as after any transactional test.
    """
    from django.test import override_settings
    from pytest_django.live_server_helper import LiveServer

    with django_db_blocker.unblock():
        with override_settings(PORTAL_DEMO_ACCOUNTS=True):
            call_command("load_demo", verbosity=0)
        server = LiveServer("localhost")
        server._live_server_modified_settings.enable()
        try:
            yield server.url
        finally:
            server._live_server_modified_settings.disable()
            server.stop()
            call_command("flush", interactive=False, verbosity=0)


def session_cookie(email: str) -> str:
    """The session of a demo account, logged in without the login form."""
    client = Client()
    client.force_login(get_user_model().objects.get(email=email))
    return client.cookies[settings.SESSION_COOKIE_NAME].value


@pytest.fixture
def open_page(browser, demo_site):
    """``open_page(language, user=None)``: a fresh browser tab, in that language, as that user.

    The tab's context is closed after the test, so no cookie leaks into the next one.
    """
    contexts = []

    def open_page(language: str, user: str | None = None):
        context = browser.new_context(base_url=demo_site, viewport=VIEWPORT, locale=language)
        contexts.append(context)
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": demo_site}]
        if user:
            session = session_cookie(user)
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": demo_site})
        context.add_cookies(cookies)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()
