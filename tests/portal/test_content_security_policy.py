"""The Content-Security-Policy is on in every settings module, the test settings included.

What production adds (upgrade-insecure-requests) and the whole header set under the
production settings: test_production_headers.py; in a real browser, with the admin's
widgets in use: tests/browser/test_csp.py.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse

from projects.models import ProjectRole
from tests.factories import ProgressReportFactory, ProjectFactory, ProjectRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    parts = [part.strip().split() for part in response["Content-Security-Policy"].split(";")]
    return {part[0]: part[1:] for part in parts if part}


@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/design-system/", "/admin/login/"])
def test_pages_allow_only_the_portal_itself_and_nothing_inline(client, path):
    policy = directives(client.get(path))
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'" and policy["style-src"][0] == "'self'"
    for sources in policy.values():
        assert "'unsafe-inline'" not in sources and "'unsafe-eval'" not in sources and "*" not in sources
    assert policy["object-src"] == ["'none'"] and policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["form-action"] == ["'self'"]
    # allauth's TOTP set-up shows its QR code as a data: image.
    assert policy["img-src"] == ["'self'", "data:"]
    # Plain HTTP in development and tests: upgrading would break them (production only).
    assert "upgrade-insecure-requests" not in policy


def test_the_reports_pages_script_carries_this_responses_nonce(client):
    project = ProjectFactory(slug="csp-nonce", start_date=dt.date(2025, 1, 1), end_date=dt.date(2027, 12, 31))
    coordinator = UserFactory(is_staff=True)
    ProjectRoleFactory(user=coordinator, project=project, role=ProjectRole.Role.COORDINATOR)
    ProgressReportFactory(project=project, version=1)
    client.force_login(coordinator)
    nonces = set()
    for _ in range(2):
        response = client.get(reverse("workspace:reports", kwargs={"slug": project.slug}))
        body = response.content.decode()
        nonce = re.search(r'<script src="[^"]*report-status[^"]*" nonce="([^"]+)"', body).group(1)
        assert f"'nonce-{nonce}'" in directives(response)["script-src"]
        nonces.add(nonce)
    assert len(nonces) == 2, "a nonce is never reused"
