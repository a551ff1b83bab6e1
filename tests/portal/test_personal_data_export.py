"""Download my data (GDPR Art. 15 and 20): a zip with data.json and index.html in the person's
language, holding each kind of data about them and nothing about anybody else."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from axes.models import AccessFailureLog, AccessLog
from django.urls import reverse
from django.utils import timezone

from events.models import CalendarFeedToken, Registration
from portal.accounts.services import user_erase
from portal.models import Invitation
from projects.models import ProjectRole
from reports.models import ReportDownload
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    MembershipFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    UserFactory,
    aware,
)

pytestmark = pytest.mark.django_db


def person_with_everything(email: str, first_name: str, meeting_title: str, language: str = "en"):
    project = ProjectFactory(acronym=f"P-{first_name}", slug=f"p-{first_name.lower()}")
    person = UserFactory(email=email, first_name=first_name, last_name="Muster", preferred_language=language)
    person.privacy_notice_version = "2026-01"
    person.privacy_accepted_at = timezone.now()
    person.save()
    ProjectRoleFactory(project=project, user=person, role=ProjectRole.Role.FUNDER_OFFICER)
    community = CommunityFactory(project=project, name=f"Community of {first_name}")
    MembershipFactory(community=community, user=person, joined_at=aware(2025, 2, 1, 10))
    meeting = MeetingFactory(project=project, title=meeting_title, starts_at=aware(2025, 5, 14, 10))
    RegistrationFactory(
        meeting=meeting, user=person, access_needs=f"Needs of {first_name}", consent_to_list=True, checked_in=True
    )
    Invitation.objects.create(email=email, project=project, role=ProjectRole.Role.FUNDER_OFFICER)
    ReportDownload.objects.create(project=project, user=person, version=3, outcome=ReportDownload.Outcome.SERVED)
    common = {
        "user_agent": f"Browser of {first_name}",
        "ip_address": "192.0.2.7",
        "http_accept": "*/*",
        "path_info": "/",
    }
    AccessLog.objects.create(username=email, **common)
    AccessFailureLog.objects.create(username=email, **common)
    CalendarFeedToken.objects.create(user=person, token=(first_name.lower() * 40)[:40])
    return person


def download(client, person) -> tuple[dict, str]:
    client.force_login(person)
    response = client.get(reverse("account_data_download"))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        assert sorted(archive.namelist()) == ["data.json", "index.html"]
        return json.loads(archive.read("data.json")), archive.read("index.html").decode()


def test_the_export_holds_each_kind_of_data_and_nobody_elses(client):
    person = person_with_everything("anna@example.org", "Anna", "Anna's workshop")
    other = person_with_everything("bert@example.org", "Bert", "Bert's workshop")
    # Bert also came to Anna's meeting: his registration there is not Anna's data.
    RegistrationFactory(meeting=Registration.objects.get(user=person).meeting, user=other)
    data, html = download(client, person)

    for key in ("profile", "consents", "memberships", "registrations", "invitations", "report_downloads", "sign_ins"):
        assert data[key], key
    profile = {row["field"]: row["value"] for row in data["profile"]}
    assert profile["E-mail address"] == "anna@example.org" and profile["First name"] == "Anna"
    assert any("P-Anna" in row["value"] for row in data["profile"] if row["field"] == "Project role")
    assert [row["meeting"] for row in data["registrations"]] == ["Anna's workshop"]
    assert data["registrations"][0]["access_needs"] == "Needs of Anna"
    assert len(data["consents"]) == 3  # privacy notice, access needs, participant list
    assert [row["community"] for row in data["memberships"]] == ["Community of Anna"]
    assert [row["email"] for row in data["invitations"]] == ["anna@example.org"]
    assert [row["project"] for row in data["report_downloads"]] == ["P-Anna"]
    assert {row["outcome"] for row in data["sign_ins"]} == {"Signed in", "Failed sign-in"}

    everything = json.dumps(data) + html
    for foreign in ("bert@example.org", "Bert", "Needs of Bert", "P-Bert"):
        assert foreign not in everything
    assert "Anna's workshop" in html or "Anna&#x27;s workshop" in html


def test_the_readable_page_is_in_the_persons_language(client):
    person = person_with_everything("carla@example.org", "Carla", "Workshop", language="de")
    data, html = download(client, person)
    assert '<html lang="de">' in html
    assert data["language"] == "de"


def test_signed_out_visitors_get_the_login_page(client):
    response = client.get(reverse("account_data_download"))
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


def test_an_erased_person_leaves_nothing_to_export_for_others(client):
    person = person_with_everything("dora@example.org", "Dora", "Dora's meeting")
    user_erase(user=person, erased_by=None)
    other = UserFactory()
    data, _html = download(client, other)
    assert data["registrations"] == [] and data["memberships"] == []
