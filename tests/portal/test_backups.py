"""Backup and restore round trip on a throwaway PostgreSQL: the restored portal serves the same reports."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from tests.factories import ProgressReportFactory, ProjectRoleFactory

ROOT = Path(__file__).resolve().parents[2]
PDF = b"%PDF-1.7\n% a report as it was signed off\n%%EOF\n"

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    role = ProjectRoleFactory(role="coordinator")
    report = ProgressReportFactory(project=role.project, done=True, sha256=hashlib.sha256(PDF).hexdigest())
    path = Path(settings.MEDIA_ROOT) / report.file.name
    path.parent.mkdir(parents=True)
    path.write_bytes(PDF)
    (Path(settings.MEDIA_ROOT) / "deliverables").mkdir()
    (Path(settings.MEDIA_ROOT) / "deliverables" / "toolkit.pdf").write_bytes(b"%PDF toolkit")
    return role, report


def _new_database(name: str) -> str:
    server = connection.settings_dict
    with psycopg.connect(
        host=server["HOST"], port=server["PORT"], user=server["USER"], dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    return f"postgres://{server['USER']}@{server['HOST']}:{server['PORT']}/{name}"


def _manage(*args: str, database_url: str, media: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_MEDIA_ROOT": str(media), "PORTAL_ENV": ""}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )


SERVE = """
import hashlib
from django.test import Client
from django.urls import reverse
from portal.models import User
from reports.models import ProgressReport
client = Client(HTTP_HOST="localhost")
report = ProgressReport.objects.get()
print("project", client.get(reverse("catalogue:detail", args=[report.project.slug])).status_code)
client.force_login(User.objects.get(email="{email}"))
response = client.get(reverse("reporting:download", args=[report.pk]))
print("download", response.status_code, hashlib.sha256(b"".join(response.streaming_content)).hexdigest())
"""


def test_backup_then_restore_into_a_new_database_serves_the_same_report(world, tmp_path):
    role, report = world
    call_command("backup", str(tmp_path / "backup"))
    names = {path.name for path in (tmp_path / "backup").iterdir()}
    assert names == {"database.dump", "media.tar", "SHA256SUMS", "manifest.json"}
    sums = (tmp_path / "backup" / "SHA256SUMS").read_text()
    assert f"{report.sha256}  media/{report.file.name}" in sums

    url = _new_database("portal_restored")
    restored = _manage("restore", str(tmp_path / "backup"), database_url=url, media=tmp_path / "media2")
    assert restored.returncode == 0, restored.stderr
    assert "2 media files, 1 report files match" in restored.stdout
    assert (tmp_path / "media2" / report.file.name).read_bytes() == PDF

    served = _manage("shell", "-c", SERVE.format(email=role.user.email), database_url=url, media=tmp_path / "media2")
    assert served.returncode == 0, served.stderr
    assert "project 200" in served.stdout
    assert f"download 200 {report.sha256}" in served.stdout

    # A second restore over the first is refused unless forced.
    again = _manage("restore", str(tmp_path / "backup"), database_url=url, media=tmp_path / "media2")
    assert again.returncode != 0 and "not empty" in again.stderr


def test_a_damaged_backup_is_refused(world, tmp_path):
    call_command("backup", str(tmp_path / "backup"))
    archive = tmp_path / "backup" / "media.tar"
    data = bytearray(archive.read_bytes())
    data[600] ^= 0xFF
    archive.write_bytes(bytes(data))
    # Refused before anything is written: the checksums are read first.
    with pytest.raises(CommandError, match="does not match its SHA-256"):
        call_command("restore", str(tmp_path / "backup"), "--force")


def test_a_report_file_that_differs_from_its_recorded_hash_fails_the_restore(world, tmp_path, settings):
    _role, report = world
    # The file on disk was replaced after it was signed off: the backup carries it faithfully,
    # but the restore must not serve it as the report.
    (Path(settings.MEDIA_ROOT) / report.file.name).write_bytes(b"%PDF something else")
    call_command("backup", str(tmp_path / "backup"))
    url = _new_database("portal_tampered")
    restored = _manage("restore", str(tmp_path / "backup"), database_url=url, media=tmp_path / "media4")
    assert restored.returncode != 0 and "does not match the SHA-256 recorded" in restored.stderr


def test_a_folder_that_holds_a_backup_is_not_overwritten(world, tmp_path):
    call_command("backup", str(tmp_path / "backup"))
    with pytest.raises(CommandError, match="already holds a backup"):
        call_command("backup", str(tmp_path / "backup"))
    assert tarfile.is_tarfile(tmp_path / "backup" / "media.tar")
