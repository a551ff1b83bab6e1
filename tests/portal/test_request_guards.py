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
