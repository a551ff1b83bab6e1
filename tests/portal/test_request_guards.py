"""Bad input in addresses and exports: a clear answer, never a server error."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import (
    MeetingFactory,
    OrganisationFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path, query",
    [
        ("search:results", "q=a%00b"),
        ("calendar:list", "project=a%00b"),
        ("calendar:list", "community=a%00b&project=x"),
        ("catalogue:list", "q=%00"),
        ("directory:list", "country=%00"),
    ],
)
def test_a_nul_character_in_the_address_is_a_bad_request(client, path, query):
    response = client.get(f"{reverse(path)}?{query}", HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert '<html lang="de">' in response.content.decode()


def test_a_nul_character_in_the_attendance_search_is_a_bad_request(client):
    role = ProjectRoleFactory()
    meeting = MeetingFactory(project=role.project)
    client.force_login(role.user)
    response = client.get(reverse("attendance:meeting", args=[meeting.pk]), {"q": "a\x00b"})
    assert response.status_code == 400


def test_a_nul_character_in_form_data_is_a_bad_request_and_writes_nothing(client):
    user = UserFactory(first_name="Anna")
    client.force_login(user)
    response = client.post(reverse("account_profile"), {"first_name": "An\x00na", "last_name": "X"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.first_name == "Anna"


@pytest.mark.parametrize("name", ["catalogue:list", "directory:list"])
def test_a_very_long_search_text_is_explained_not_run(client, name):
    ProjectFactory()
    OrganisationFactory()
    response = client.get(reverse(name), {"q": "x" * 60_000})
    assert response.status_code == 200
    assert "at most 200 characters" in response.content.decode()


def test_the_xlsx_export_replaces_characters_xml_cannot_hold(client):
    role = ProjectRoleFactory()
    meeting = MeetingFactory(project=role.project)
    RegistrationFactory(meeting=meeting, user=UserFactory(first_name="Mem\x01ber"), access_needs="a\x0bb")
    client.force_login(role.user)
    response = client.get(reverse("attendance:export_xlsx", args=[meeting.pk]))
    assert response.status_code == 200
    sheet = load_workbook(
        io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content)
    ).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if isinstance(cell, str)]
    assert any("Mem\ufffdber" in value for value in values)
    assert any(value == "a\ufffdb" for value in values)


# --- Bodies that cannot be decoded ------------------------------------------------------------

UNDECODABLE_BODIES = [
    ("application/x-www-form-urlencoded; charset=utf-16", "a=b".encode("utf-16")),
    ("application/x-www-form-urlencoded; charset=latin-1", "name=J\u00fcrgen".encode("latin-1")),
    # A multipart body whose boundary is missing: Django's parser raises on it.
    ("multipart/form-data", b"--xx\r\nContent-Disposition: form-data; name=a\r\n\r\nb\r\n--xx--"),
]


def every_url() -> list[str]:
    """One address per URL pattern of the portal (admin and allauth included), with stand-in values."""
    from django.urls import URLPattern, URLResolver, get_resolver

    stand_in = {"int": "1", "slug": "x", "str": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}

    def walk(patterns, prefix: str):
        for pattern in patterns:
            route = str(pattern.pattern)
            if route.startswith("^"):  # a regex pattern (the admin's): take a plain address under it
                route = route.strip("^$").split("(")[0].replace("\\", "")
            for converter, value in stand_in.items():
                while f"<{converter}:" in route:
                    start = route.index(f"<{converter}:")
                    route = route[:start] + value + route[route.index(">", start) + 1 :]
            if "<" in route:
                route = route.split("<")[0]
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, prefix + route)
            elif isinstance(pattern, URLPattern):
                yield prefix + route

    return sorted(set(walk(get_resolver().url_patterns, "/")))


def test_every_url_is_enumerated():
    urls = every_url()
    assert "/accounts/login/" in urls and "/healthz/" in urls and len(urls) > 100


@pytest.mark.parametrize("content_type, body", UNDECODABLE_BODIES, ids=["utf-16", "latin-1", "no-boundary"])
def test_an_undecodable_body_is_a_bad_request_on_every_url(content_type, body):
    from django.test import Client

    anonymous = Client(raise_request_exception=False, enforce_csrf_checks=True)
    anonymous.cookies["csrftoken"] = "a" * 32
    signed_in = Client(raise_request_exception=False, enforce_csrf_checks=True)
    signed_in.force_login(UserFactory())
    signed_in.cookies["csrftoken"] = "a" * 32
    answers = {}
    for url in every_url():
        for who, client in (("anonymous", anonymous), ("signed in", signed_in)):
            response = client.generic("POST", url, body, content_type=content_type, HTTP_ACCEPT_LANGUAGE="de")
            answers[f"{who} {url}"] = response.status_code
    wrong = {url: status for url, status in answers.items() if status != 400}
    assert not wrong, wrong


def test_the_bad_request_page_for_an_undecodable_body_speaks_the_language(client):
    response = client.generic(
        "POST",
        reverse("account_login"),
        "login=a".encode("utf-16"),
        content_type="application/x-www-form-urlencoded; charset=utf-16",
        HTTP_ACCEPT_LANGUAGE="de",
    )
    assert response.status_code == 400
    assert '<html lang="de">' in response.content.decode()
