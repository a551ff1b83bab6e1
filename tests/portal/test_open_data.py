"""Open-data exports (portal/opendata): exactly the public data, CORDIS column names, licence and time."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from events.models import Community, Meeting
from portal.opendata import build
from portal.opendata.fields import DATASETS
from portal.tasks import build_open_data
from tests.factories import (
    CommunityFactory,
    MeetingFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProjectFactory,
    RegistrationFactory,
)
from tests.query_counts import count_queries

pytestmark = pytest.mark.django_db

CORDIS_PROJECT = {"id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution"}
CORDIS_PARTICIPATION = {"projectID", "projectAcronym", "organisationID", "name", "role", "ecContribution", "active"}


@pytest.fixture
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "open-data"


@pytest.fixture
def world():
    public = ProjectFactory(acronym="OPEN", title="Öffentliche Teilhabe in Müllheim")
    private = ProjectFactory(acronym="SECRET", is_public=False)
    coordinator = OrganisationFactory(name="Stadt Müllheim", city="Müllheim")
    shared = OrganisationFactory(name="Shared partner")
    hidden = OrganisationFactory(name="Only in the private project")
    ParticipationFactory(project=public, organisation=coordinator, role="coordinator")
    ParticipationFactory(project=public, organisation=shared)
    ParticipationFactory(project=private, organisation=shared)
    ParticipationFactory(project=private, organisation=hidden)
    meeting = MeetingFactory(project=public, title="Open forum", capacity=30, online_link="https://meet.example/x")
    RegistrationFactory(meeting=meeting)
    members_only = CommunityFactory(project=public, visibility=Community.Visibility.MEMBERS)
    MeetingFactory(project=public, community=members_only, title="Members' round")
    MeetingFactory(project=public, title="Partners only", audience=Meeting.Audience.PARTNERS)
    MeetingFactory(project=private, title="Private kick-off")
    return {"public": public, "coordinator": coordinator, "shared": shared, "meeting": meeting}


def read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 byte-order mark, for Excel"
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_the_files_hold_exactly_the_public_data(media, world):
    result = build.open_data_build()
    assert result.rows == {"projects": 1, "organisations": 2, "participations": 2, "meetings": 1}

    [project] = read_csv(media / "projects.csv")
    assert project["acronym"] == "OPEN"
    assert project["title"] == "Öffentliche Teilhabe in Müllheim"
    assert project["totalCost"] == "500000.00" and project["ecMaxContribution"] == "450000.00"
    assert set(project) >= CORDIS_PROJECT

    organisations = read_csv(media / "organisations.csv")
    assert {o["name"] for o in organisations} == {"Stadt Müllheim", "Shared partner"}

    participations = read_csv(media / "participations.csv")
    assert set(participations[0]) >= CORDIS_PARTICIPATION
    assert [(p["projectAcronym"], p["name"], p["role"], p["order"]) for p in participations] == [
        ("OPEN", "Stadt Müllheim", "coordinator", "1"),
        ("OPEN", "Shared partner", "partner", "2"),
    ]
    assert {p["active"] for p in participations} == {"true"}

    [meeting] = read_csv(media / "meetings.csv")
    assert meeting["title"] == "Open forum"
    assert meeting["freeSeats"] == "29" and meeting["capacity"] == "30"
    everything = b"".join(path.read_bytes() for path in media.iterdir())
    for secret in (b"SECRET", b"Only in the private project", b"Members' round", b"Partners only", b"meet.example"):
        assert secret not in everything


def test_the_json_files_carry_licence_and_generation_time(media, world, settings):
    settings.PORTAL_OPEN_DATA_LICENCE = "CC0 1.0"
    settings.PORTAL_OPEN_DATA_LICENCE_URL = "https://creativecommons.org/publicdomain/zero/1.0/"
    result = build.open_data_build()
    for stem in DATASETS:
        document = json.loads((media / f"{stem}.json").read_text())
        assert document["metadata"]["licence"] == {
            "name": "CC0 1.0",
            "url": "https://creativecommons.org/publicdomain/zero/1.0/",
        }
        assert document["metadata"]["generatedAt"].startswith(result.generated_at.strftime("%Y-%m-%dT"))
        assert len(document[stem]) == result.rows[stem]
    [project] = json.loads((media / "projects.json").read_text())["projects"]
    assert project["totalCost"] == 500000.0 and project["acronym"] == "OPEN"
    metadata = json.loads((media / "metadata.json").read_text())
    assert metadata["licence"]["name"] == "CC0 1.0"
    assert {c["name"]: c["cordis"] for c in metadata["files"]["projects"]["columns"]}["ecMaxContribution"] == (
        "ecMaxContribution"
    )
    assert {c["name"]: c["cordis"] for c in metadata["files"]["projects"]["columns"]}["titleDe"] is None


def test_the_scheduled_task_builds_them_and_is_in_the_schedule(media, world, settings):
    assert build_open_data() == {"projects": 1, "organisations": 2, "participations": 2, "meetings": 1}
    assert (media / "projects.csv").exists()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "portal.build_open_data" in tasks


def test_a_failed_build_leaves_the_previous_files_whole(media, world, monkeypatch):
    build.open_data_build()
    before = {path.name: path.read_bytes() for path in media.iterdir()}
    world["public"].acronym = "RENAMED"
    world["public"].save()
    calls = {"n": 0}
    real_fsync = build.os.fsync

    def failing_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        real_fsync(fd)

    monkeypatch.setattr(build.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        build.open_data_build()
    # The first file was replaced whole, the second kept whole, and no temporary file is left.
    assert b"RENAMED" in (media / "projects.csv").read_bytes()
    assert (media / "projects.json").read_bytes() == before["projects.json"]
    assert sorted(path.name for path in media.iterdir()) == sorted(before)


def test_a_file_is_served_with_licence_and_time_in_its_headers(client, media, world):
    build.open_data_build()
    response = client.get(reverse("opendata:file", args=["projects.csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Link"] == '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'
    assert response["X-Licence"] == "CC BY 4.0"
    assert response["X-Generated-At"].endswith("Z")
    assert response["Content-Disposition"] == 'attachment; filename="projects.csv"'
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbfid;acronym;status;title")
    assert client.get(reverse("opendata:file", args=["meetings.json"]))["Content-Type"] == "application/json"


def test_before_the_first_build_the_page_and_the_files_say_so(client, media):
    response = client.get(reverse("opendata:file", args=["projects.csv"]))
    assert response.status_code == 404
    assert "have not been generated yet" in response.content.decode()
    page = client.get(reverse("opendata:page"))
    assert page.status_code == 200
    assert "have not been generated yet" in page.content.decode()


def test_unknown_file_names_are_404(client, media, world):
    build.open_data_build()
    for name in ("secrets.csv", "..%2Fsettings.py", ".projects.csv.tmp"):
        assert client.get(f"/open-data/{name}").status_code == 404


def test_the_page_lists_files_licence_time_and_columns_in_german_too(client, media, world):
    build.open_data_build()
    client.cookies["django_language"] = "de"
    content = client.get(reverse("opendata:page"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for name in ("projects.csv", "participations.json", "metadata.json", "ecMaxContribution", "CC BY 4.0"):
        assert name in content
    assert 'rel="license"' in content and "<time datetime=" in content


def test_the_footer_links_the_open_data_page(client):
    content = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("opendata:page")}"' in content


def test_the_page_query_count_does_not_depend_on_the_rows(client, media, world):
    build.open_data_build()
    few = count_queries(client, reverse("opendata:page"))
    for _ in range(20):
        ParticipationFactory(project=world["public"])
    build.open_data_build()
    assert count_queries(client, reverse("opendata:page")) == few


def test_load_demo_builds_the_files_with_the_five_seed_projects(media):
    call_command("load_demo", verbosity=0)
    projects = read_csv(media / "projects.csv")
    assert len(projects) == 5
    assert "Teilhabe in ‚neuen‘ Ankunftsquartieren stärken" in {p["acronym"] for p in projects} | {
        p["titleDe"] for p in projects
    } | {p["title"] for p in projects}
