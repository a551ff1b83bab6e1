"""Root conftest: real PostgreSQL and Redis for the whole suite (see tests/servers.py).

Django's settings module is named here rather than in pytest's ini on purpose: this
file is imported before pytest-django sets Django up, so the throwaway servers are
running, and DATABASE_URL/REDIS_URL point at them, by the time the settings are read.
"""

import os
import sys

import pytest

from tests import servers

servers.start_services()
# What tests change in the settings is in portal/settings/test.py.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
# Tests never send real mail and never write into the developer's var/ directory; an
# environment variable, so the Celery worker processes some tests start write there too.
os.environ.setdefault("PORTAL_DATA_DIR", servers.TEST_DATA_DIR)

# Read the settings now, so pytest-django's pytest_configure finds them configured and
# sets Django up with the servers' URLs.
from django.conf import settings  # noqa: E402

settings.DATABASES  # noqa: B018


def pytest_unconfigure(config):
    servers.SERVICES.stop()


def pytest_report_header(config):
    return servers.SERVICES.describe()


def pytest_terminal_summary(terminalreporter):
    terminalreporter.section("services used")
    for line in servers.SERVICES.describe():
        terminalreporter.write_line(line)
    _print_idor_matrix(terminalreporter)


# The IDOR matrix as the pytest-xdist workers recorded it: {url name: {role: {"GET 404", ...}}}.
WORKER_MATRIX: dict[str, dict[str, set[str]]] = {}


def _idor_matrix() -> dict[str, dict[str, set[str]]]:
    """What this process recorded (tests/portal/test_idor_matrix.py) merged with what workers sent."""
    module = sys.modules.get("tests.portal.test_idor_matrix")
    merged: dict[str, dict[str, set[str]]] = {}
    for matrix in (WORKER_MATRIX, getattr(module, "MATRIX", {})):
        _merge_matrix(merged, matrix)
    return merged


def _merge_matrix(into: dict, matrix: dict) -> None:
    for url_name, roles in matrix.items():
        for role, answers in roles.items():
            into.setdefault(url_name, {}).setdefault(role, set()).update(answers)


def pytest_sessionfinish(session):
    # In a pytest-xdist worker: hand the matrix to the controller, which prints the summary.
    if hasattr(session.config, "workeroutput"):
        session.config.workeroutput["idor_matrix"] = {
            url_name: {role: sorted(answers) for role, answers in roles.items()}
            for url_name, roles in _idor_matrix().items()
        }


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    _merge_matrix(WORKER_MATRIX, getattr(node, "workeroutput", {}).get("idor_matrix", {}))


def _print_idor_matrix(terminalreporter):
    """Every object-scoped URL and what each outside role got there (tests/portal/test_idor_matrix.py)."""
    matrix = _idor_matrix()
    if not matrix:
        return
    roles = sorted({role for answers in matrix.values() for role in answers})
    terminalreporter.section(f"IDOR matrix: {len(matrix)} URLs x {len(roles)} roles")
    terminalreporter.write_line("roles: " + ", ".join(roles))
    for url_name in sorted(matrix):
        cells = []
        for role in roles:
            answers = matrix[url_name].get(role)
            cells.append(f"{role}={'/'.join(sorted(answers)) if answers else '-'}")
        terminalreporter.write_line(f"{url_name}: " + "; ".join(cells))


def pytest_runtest_setup(item):
    if item.get_closest_marker("services") and not servers.SERVICES.real:
        pytest.skip("needs the real PostgreSQL and Redis: " + "; ".join(servers.SERVICES.problems or ["not set up"]))


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, whose end no leftover session can block.

    A live server's request threads, a Celery worker thread or process a test started may
    still hold a connection when the session ends (under pytest-xdist a worker's last tests
    are often these); PostgreSQL refuses to drop a database in use, so they are ended first.
    """
    yield
    from django.db import connection

    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )


@pytest.fixture(autouse=True)
def _default_language_per_test():
    """Each test starts in the default language.

    The locale middleware activates the request's language in the test's thread and never
    deactivates it, so a German request would otherwise leak into the next test's gettext.
    """
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()
