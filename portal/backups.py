"""Backing up and restoring the portal: the database first, then the media files.

A backup is one folder:

- ``database.dump``: ``pg_dump --format=custom`` of PostgreSQL (or ``database.sqlite3``,
  a consistent copy of the embedded default's SQLite file);
- ``media.tar``: every uploaded and generated file (deliverables, report PDFs);
- ``SHA256SUMS``: the SHA-256 of both, and of every media file by its path;
- ``manifest.json``: when, which database engine, how many files.

The database goes first on purpose: a file written between the two steps is then in
the archive without a row pointing at it (harmless), never a row without its file.
Restoring checks every checksum, loads the database, unpacks the media, and then checks
every progress report's file against the SHA-256 recorded in the database when it was
rendered: a restore that would serve a report other than the one signed off fails.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

FORMAT = 1
DUMP = "database.dump"
SQLITE = "database.sqlite3"
MEDIA = "media.tar"
SUMS = "SHA256SUMS"
MANIFEST = "manifest.json"


class BackupError(RuntimeError):
    """Something about the backup or the target is wrong; the message says what."""


@dataclass(frozen=True)
class RestoreResult:
    media_files: int
    reports_checked: int


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _binary(name: str) -> str:
    found = shutil.which(name) or next(iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)), None)
    if not found:
        raise BackupError(f"{name} not found: install the PostgreSQL client (postgresql-client)")
    return found


def _pg_args(database: dict) -> tuple[list[str], dict[str, str]]:
    args = ["--no-password"]
    if database.get("HOST"):
        args += ["--host", str(database["HOST"])]
    if database.get("PORT"):
        args += ["--port", str(database["PORT"])]
    if database.get("USER"):
        args += ["--username", str(database["USER"])]
    env = {**os.environ}
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = str(database["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _media_files(root: Path) -> list[Path]:
    if not root.exists():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file())


def backup_create(*, target: Path) -> Path:
    """Write a backup into the folder ``target`` (created; it must not hold a backup yet)."""
    target.mkdir(parents=True, exist_ok=True)
    if (target / MANIFEST).exists():
        raise BackupError(f"{target} already holds a backup")
    database = settings.DATABASES["default"]
    vendor = connection.vendor
    if vendor == "postgresql":
        args, env = _pg_args(database)
        dump = target / DUMP
        _run([_binary("pg_dump"), *args, "--format=custom", "--no-owner", "--file", str(dump), database["NAME"]], env)
    elif vendor == "sqlite":
        dump = target / SQLITE
        source = sqlite3.connect(database["NAME"])
        copy = sqlite3.connect(dump)
        with copy:
            source.backup(copy)
        source.close()
        copy.close()
    else:
        raise BackupError(f"no backup procedure for {vendor}")

    media_root = Path(settings.MEDIA_ROOT)
    files = _media_files(media_root)
    with tarfile.open(target / MEDIA, "w") as archive:
        for path in files:
            archive.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
    lines = [f"{sha256_of(dump)}  {dump.name}", f"{sha256_of(target / MEDIA)}  {MEDIA}"]
    lines += [f"{sha256_of(path)}  media/{path.relative_to(media_root)}" for path in files]
    (target / SUMS).write_text("\n".join(lines) + "\n", encoding="utf-8")
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": vendor,
        "database_file": dump.name,
        "media_files": len(files),
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return target


def _sums(source: Path) -> dict[str, str]:
    sums = {}
    for line in (source / SUMS).read_text(encoding="utf-8").splitlines():
        if line.strip():
            digest, name = line.split("  ", 1)
            sums[name] = digest
    return sums


def backup_verify(*, source: Path) -> dict:
    """Check the folder is a complete backup whose files match their checksums; returns its manifest."""
    if not (source / MANIFEST).exists() or not (source / SUMS).exists():
        raise BackupError(f"{source} is not a backup (no {MANIFEST} or {SUMS})")
    manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    sums = _sums(source)
    for name in (manifest["database_file"], MEDIA):
        if not (source / name).exists():
            raise BackupError(f"{name} is missing from the backup")
        if sha256_of(source / name) != sums.get(name):
            raise BackupError(f"{name} does not match its SHA-256: the backup is damaged")
    return manifest


def backup_restore(*, source: Path, force: bool = False) -> RestoreResult:
    """Restore the backup in ``source`` into the configured database and media folder.

    The database must be empty of portal tables unless ``force`` (then they are replaced),
    and the media folder empty unless ``force``.
    """
    manifest = backup_verify(source=source)
    media_root = Path(settings.MEDIA_ROOT)
    if _media_files(media_root) and not force:
        raise BackupError(f"the media folder {media_root} is not empty (use --force to replace it)")
    if "django_migrations" in connection.introspection.table_names() and not force:
        raise BackupError("the database already holds the portal's tables (use --force to replace them)")
    if manifest["database"] != connection.vendor:
        raise BackupError(f"the backup is of {manifest['database']}, the target is {connection.vendor}")

    database = settings.DATABASES["default"]
    connection.close()
    if connection.vendor == "postgresql":
        args, env = _pg_args(database)
        _run(
            [_binary("pg_restore"), *args, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--exit-on-error",
             "--dbname", database["NAME"], str(source / DUMP)],
            env,
        )  # fmt: skip
    else:
        shutil.copyfile(source / SQLITE, database["NAME"])

    if force and media_root.exists():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(source / MEDIA) as archive:
        archive.extractall(media_root, filter="data")

    sums = _sums(source)
    restored = _media_files(media_root)
    for path in restored:
        name = f"media/{path.relative_to(media_root)}"
        if sums.get(name) != sha256_of(path):
            raise BackupError(f"{name} does not match its SHA-256 after the restore")
    if len(restored) != manifest["media_files"]:
        raise BackupError(f"{len(restored)} media files restored, the backup lists {manifest['media_files']}")
    return RestoreResult(media_files=len(restored), reports_checked=_check_report_files(media_root))


def _check_report_files(media_root: Path) -> int:
    """Every report file is the one whose SHA-256 was recorded when it was rendered."""
    from reports.models import ProgressReport

    checked = 0
    for name, recorded in ProgressReport.objects.exclude(file="").values_list("file", "sha256"):
        path = media_root / name
        if not path.exists():
            raise BackupError(f"report file {name} is missing after the restore")
        if sha256_of(path) != recorded:
            raise BackupError(f"report file {name} does not match the SHA-256 recorded for it")
        checked += 1
    return checked
