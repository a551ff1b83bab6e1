"""Personal API tokens: made and revoked in the profile, stored hashed, scoped to the person's roles,
accepted by the API as ``Bearer`` (or ``Token``), refused with 401 when unusable, and limited per token."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
import zipfile

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from portal.accounts import api_tokens
from portal.api import scopes
from portal.api.throttling import TokenRateThrottle
from portal.models import ApiToken
from projects.models import ProjectRole
from tests.factories import ProjectFactory, ProjectRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

PROBLEM = "application/problem+json"
PAGE = reverse("account_api_tokens")


def _secret_in(response) -> str:
    match = re.search(r'id="token-secret"[^>]*value="(cp_[A-Za-z0-9_-]+)"', response.content.decode())
    assert match, "the page does not show the new token"
    return match.group(1)


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def _token(user, *, scopes_=(scopes.READ,), **kwargs):
    return api_tokens.api_token_create(user=user, name="script", scopes=list(scopes_), **kwargs)


# --- The profile page -------------------------------------------------------------------------------


def test_the_profile_links_to_the_tokens_page(client):
    client.force_login(UserFactory())
    assert PAGE in client.get(reverse("account_profile")).content.decode()


def test_the_page_needs_a_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_token_is_made_on_the_page_and_its_secret_shown_once_and_never_stored(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(PAGE, {"name": "Office script", "scopes": ["read", "register"], "lifetime": "90"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    secret = _secret_in(response)
    assert secret.startswith("cp_") and len(secret) >= 40
    token = ApiToken.objects.get(owner=user)
    assert (token.name, token.scope_list, token.key_prefix) == ("Office script", ["read", "register"], secret[:8])
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert dt.timedelta(days=89) < token.expires_at - timezone.now() <= dt.timedelta(days=90)
    # Nowhere in the row, and not on the page any more.
    row = ApiToken.objects.filter(pk=token.pk).values().get()
    assert not any(secret in str(value) for value in row.values())
    again = client.get(PAGE).content.decode()
    assert secret not in again and token.key_prefix in again and "Office script" in again


def test_the_change_log_records_creation_and_revocation_without_the_hash(client):
    user = UserFactory()
    token, _secret = _token(user)
    api_tokens.api_token_revoke(token=token, actor=user)
    entries = LogEntry.objects.filter(object_pk=str(token.pk)).order_by("timestamp", "id")
    assert [entry.action for entry in entries] == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert all(entry.actor == user for entry in entries)
    assert "key_hash" not in entries[0].changes and token.key_hash not in str(entries[0].changes)
    assert "revoked_at" in entries[1].changes


def test_the_form_offers_only_what_the_roles_allow(client):
    member = UserFactory()
    client.force_login(member)
    page = client.get(PAGE).content.decode()
    assert 'value="read"' in page and 'value="register"' in page
    assert 'value="manage"' not in page and 'value="reports"' not in page
    response = client.post(PAGE, {"name": "x", "scopes": ["manage"], "lifetime": "30"})
    assert response.status_code == 200 and 'id="token-secret"' not in response.content.decode()
    assert 'role="alert"' in response.content.decode()
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (None, {"read", "register"}),
        (ProjectRole.Role.COORDINATOR, {"read", "register", "manage"}),
        (ProjectRole.Role.PARTNER_STAFF, {"read", "register"}),
        (ProjectRole.Role.FUNDER_OFFICER, {"read", "register", "reports"}),
    ],
)
def test_scopes_follow_the_roles(role, allowed):
    user = UserFactory()
    if role == ProjectRole.Role.PARTNER_STAFF:
        ProjectRoleFactory(user=user, partner_staff=True)
    elif role:
        ProjectRoleFactory(user=user, role=role)
    for scope in scopes.SCOPE_LABELS:
        if scope in allowed:
            token, _secret = _token(user, scopes_=[scope])
            assert token.scope_list == [scope]
        else:
            with pytest.raises(ValidationError) as refused:
                _token(user, scopes_=[scope])
            assert "scopes" in refused.value.message_dict


def test_bad_input_is_refused_with_a_message_and_nothing_written():
    user = UserFactory()
    for kwargs, field in [
        ({"name": " ", "scopes": ["read"]}, "name"),
        ({"name": "x", "scopes": []}, "scopes"),
        ({"name": "x", "scopes": ["admin"]}, "scopes"),
        ({"name": "x", "scopes": ["read"], "expires_at": timezone.now() - dt.timedelta(days=1)}, "expires_at"),
        ({"name": "x", "scopes": ["read"], "expires_at": timezone.now() + dt.timedelta(days=400)}, "expires_at"),
    ]:
        with pytest.raises(ValidationError) as refused:
            api_tokens.api_token_create(user=user, **kwargs)
        assert field in refused.value.message_dict
    assert not ApiToken.objects.exists()


def test_a_person_holds_a_limited_number_of_usable_tokens(settings):
    settings.PORTAL_API_TOKENS_PER_PERSON = 2
    user = UserFactory()
    first, _ = _token(user)
    _token(user)
    with pytest.raises(ValidationError):
        _token(user)
    api_tokens.api_token_revoke(token=first, actor=user)
    _token(user)  # a revoked token no longer counts


def test_revoking_on_the_page_stops_the_token(client):
    user = UserFactory()
    token, secret = _token(user)
    client.force_login(user)
    assert Client().get("/api/v1/projects/", **_bearer(secret)).status_code == 200
    url = reverse("account_api_token_revoke", args=[token.pk])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert Client().get("/api/v1/projects/", **_bearer(secret)).status_code == 401
    # Twice changes nothing.
    revoked_at = token.revoked_at
    client.post(url)
    token.refresh_from_db()
    assert token.revoked_at == revoked_at


def test_nobody_revokes_or_sees_another_persons_token(client):
    token, _secret = api_tokens.api_token_create(user=UserFactory(), name="Somebody's sync job", scopes=["read"])
    client.force_login(UserFactory())
    assert client.post(reverse("account_api_token_revoke", args=[token.pk])).status_code == 404
    page = client.get(PAGE).content.decode()
    assert "sync job" not in page and token.key_prefix not in page
    token.refresh_from_db()
    assert token.revoked_at is None


def test_revoking_needs_the_csrf_token():
    user = UserFactory()
    token, _secret = _token(user)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    assert browser.post(reverse("account_api_token_revoke", args=[token.pk])).status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None


# --- The API's side ------------------------------------------------------------------------------------


def test_a_token_reads_as_its_owner():
    private = ProjectFactory(is_public=False, slug="private-one")
    owner = ProjectRoleFactory(project=private).user
    _token_row, secret = _token(owner)
    anonymous = {p["slug"] for p in Client().get("/api/v1/projects/?page_size=100").json()["results"]}
    with_token = {
        p["slug"] for p in Client().get("/api/v1/projects/?page_size=100", **_bearer(secret)).json()["results"]
    }
    assert "private-one" not in anonymous and "private-one" in with_token
    as_token = Client().get("/api/v1/projects/private-one/", HTTP_AUTHORIZATION=f"Token {secret}")
    assert as_token.status_code == 200


def test_a_token_without_the_read_scope_reads_what_the_public_reads():
    private = ProjectFactory(is_public=False, slug="private-two")
    owner = ProjectRoleFactory(project=private).user
    _token_row, secret = _token(owner, scopes_=(scopes.REGISTER,))
    listed = Client().get("/api/v1/projects/?page_size=100", **_bearer(secret)).json()["results"]
    assert "private-two" not in {p["slug"] for p in listed}
    assert Client().get("/api/v1/projects/private-two/", **_bearer(secret)).status_code == 404


@pytest.mark.parametrize(
    "header",
    [
        "Bearer cp_garbage",
        "Bearer not-even-ours",
        "Bearer",
        "Bearer two parts",
        "Token " + "cp_" + "x" * 200,
    ],
)
def test_a_garbage_token_is_a_401_problem(header):
    response = Client().get("/api/v1/projects/", HTTP_AUTHORIZATION=header)
    assert (response.status_code, response["Content-Type"]) == (401, PROBLEM)
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["status"] == 401


def test_an_expired_token_and_an_inactive_owner_are_401():
    user = UserFactory()
    token, secret = _token(user)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    response = Client().get("/api/v1/projects/", **_bearer(secret))
    assert response.status_code == 401 and "expired" in response.json()["detail"]
    _other, other_secret = _token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert Client().get("/api/v1/projects/", **_bearer(other_secret)).status_code == 401


def test_last_use_is_written_at_most_every_few_minutes():
    user = UserFactory()
    token, secret = _token(user)
    assert token.last_used_at is None
    Client().get("/api/v1/programmes/", **_bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    Client().get("/api/v1/programmes/", **_bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - api_tokens.USE_PRECISION)
    Client().get("/api/v1/programmes/", **_bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first


def test_token_requests_skip_the_csrf_check_and_sessions_keep_it():
    user = UserFactory()
    _row, secret = _token(user)
    client = Client(enforce_csrf_checks=True)
    # The API is read-only here: 405, not the CSRF check's 403.
    assert client.post("/api/v1/projects/", {}, content_type="application/json", **_bearer(secret)).status_code == 405
    client.force_login(user)
    response = client.post("/api/v1/projects/", {}, content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]


def test_each_token_has_its_own_rate_limit(monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    user = UserFactory()
    first, first_secret = _token(user)
    second, second_secret = _token(user)
    for token in (first, second):
        TokenRateThrottle.cache.delete(f"throttle_token_{token.pk}")
    for _ in range(2):
        assert Client().get("/api/v1/programmes/", **_bearer(first_secret)).status_code == 200
    limited = Client().get("/api/v1/programmes/", **_bearer(first_secret))
    assert (limited.status_code, limited["Content-Type"]) == (429, PROBLEM)
    # The owner's other token, and the owner's browser, are not limited by it.
    assert Client().get("/api/v1/programmes/", **_bearer(second_secret)).status_code == 200
    browser = Client()
    browser.force_login(user)
    assert browser.get("/api/v1/programmes/").status_code == 200


def test_a_token_gains_nothing_when_its_owner_loses_a_role():
    private = ProjectFactory(is_public=False, slug="lost-role")
    role = ProjectRoleFactory(project=private)
    _row, secret = _token(role.user, scopes_=[scopes.READ, scopes.MANAGE])
    assert Client().get("/api/v1/projects/lost-role/", **_bearer(secret)).status_code == 200
    role.delete()
    assert Client().get("/api/v1/projects/lost-role/", **_bearer(secret)).status_code == 404
    assert Client().get("/api/v1/projects/lost-role/internal/", **_bearer(secret)).status_code == 404


def test_the_personal_data_download_lists_the_tokens_without_secrets(client):
    user = UserFactory()
    token, secret = _token(user)
    client.force_login(user)
    response = client.get(reverse("account_data_download"))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("data.json"))
        everything = archive.read("data.json").decode() + archive.read("index.html").decode()
    assert [(row["name"], row["begins_with"]) for row in data["api_tokens"]] == [("script", token.key_prefix)]
    assert secret not in everything and token.key_hash not in everything
