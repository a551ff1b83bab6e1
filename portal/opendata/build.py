"""Writing the open-data files: what an anonymous visitor may see, nothing more.

Run by the scheduled task portal.build_open_data (CELERY_BEAT_SCHEDULE; the embedded
scheduler runs the same schedule) and once by ``manage.py load_demo``; never on request,
so a crawler cannot make the server export the database on every hit.

- Only public data: every row comes from the visibility selectors asked for an anonymous
  user, the same that decide what the public pages show. Private projects, their
  partners (unless also in a public project), members-only meetings never appear, nor
  does any person's name, any online join link or any registration.
- Atomic: each file is written to a temporary file in the same directory and moved over
  the old one with os.replace, so a reader gets either the old or the new file, never half
  of one. metadata.json is written last and names the generation time of the set.
- CSV for spreadsheets: UTF-8 with a byte-order mark (Excel reads UTF-8 only with it;
  LibreOffice detects it too), so "Müllheim" stays "Müllheim"; semicolons between columns
  as in CORDIS's own CSV files (and what German Excel expects), fields quoted where needed
  (RFC 4180 otherwise), decimal points in amounts. No comment line: the licence and the
  generation time are in the HTTP headers, on the /open-data/ page and in metadata.json.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone, translation

from events.absolute_urls import absolute_url
from events.selectors.visibility import visible_meetings
from portal.calendar.selectors import with_seat_figures
from portal.directory.selectors import directory_organisations
from projects.models import Participation
from projects.selectors import consortium_order, visible_projects

from .fields import DATASETS, METADATA_FILE

DIRECTORY_NAME = "open-data"
CSV_DELIMITER = ";"


def open_data_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / DIRECTORY_NAME


def licence() -> dict[str, str]:
    """The licence of every file: a name and the address of its text (PORTAL_OPEN_DATA_LICENCE*)."""
    return {"name": settings.PORTAL_OPEN_DATA_LICENCE, "url": settings.PORTAL_OPEN_DATA_LICENCE_URL}


@dataclass(frozen=True)
class BuildResult:
    generated_at: dt.datetime
    rows: dict[str, int]


def _utc(moment: dt.datetime | None) -> str:
    return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z") if moment else ""


def _amount(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _project_rows(anonymous: AnonymousUser, today: dt.date) -> list[dict[str, Any]]:
    projects = visible_projects(anonymous).select_related("programme__funder").order_by("acronym", "pk")
    return [
        {
            "id": p.pk,
            "acronym": p.acronym,
            "status": p.status_on(today),
            "title": p.title,
            "titleDe": p.title_de,
            "startDate": p.start_date.isoformat(),
            "endDate": p.end_date.isoformat(),
            "totalCost": _amount(p.total_budget),
            "ecMaxContribution": _amount(p.funder_contribution),
            "frameworkProgramme": p.programme.short_name,
            "fundingProgrammeName": p.programme.name,
            "funder": p.programme.funder.name,
            "grantAgreement": p.grant_agreement,
            "objective": p.summary,
            "objectiveDe": p.summary_de,
            "projectURL": p.website,
            "portalURL": absolute_url(reverse("catalogue:detail", args=[p.slug])),
            "declaredPartners": p.declared_partners,
            "declaredAssociatedPartners": p.declared_associated_partners,
            "declaredCountries": p.declared_countries,
            "illustrativeNote": p.illustrative_note,
            "contentUpdateDate": _utc(p.updated_at),
        }
        for p in projects
    ]


def _organisation_rows(anonymous: AnonymousUser) -> list[dict[str, Any]]:
    return [
        {
            "organisationID": o.pk,
            "name": o.name,
            "shortName": o.short_name,
            "activityType": o.kind,
            "city": o.city,
            "country": o.country.code,
            "organizationURL": o.website,
            "description": o.description,
            "portalURL": absolute_url(reverse("directory:detail", args=[o.pk])),
            "illustrativeNote": o.illustrative_note,
        }
        for o in directory_organisations(anonymous)
    ]


def _participation_rows(anonymous: AnonymousUser, today: dt.date) -> list[dict[str, Any]]:
    # Coordinator first, then the roles in their declared order, as the project page lists them.
    role_order = consortium_order()
    participations = (
        Participation.objects.filter(project__in=visible_projects(anonymous).order_by().values("pk"))
        .select_related("project", "organisation")
        .annotate(role_order=role_order)
        .order_by("project__acronym", "project_id", "role_order", "organisation__name", "pk")
    )
    rows: list[dict[str, Any]] = []
    position: dict[int, int] = {}
    for p in participations:
        position[p.project_id] = position.get(p.project_id, 0) + 1
        organisation = p.organisation
        rows.append(
            {
                "projectID": p.project_id,
                "projectAcronym": p.project.acronym,
                "organisationID": organisation.pk,
                "name": organisation.name,
                "shortName": organisation.short_name,
                "activityType": organisation.kind,
                "city": organisation.city,
                "country": organisation.country.code,
                "order": position[p.project_id],
                "role": p.role,
                "ecContribution": _amount(p.contribution),
                "partInProject": p.description,
                "startOfParticipation": p.joined_on.isoformat() if p.joined_on else "",
                "endOfParticipation": p.left_on.isoformat() if p.left_on else "",
                "active": p.left_on is None or p.left_on >= today,
            }
        )
    return rows


def _meeting_rows(anonymous: AnonymousUser) -> list[dict[str, Any]]:
    meetings = with_seat_figures(visible_meetings(anonymous)).order_by("starts_at", "pk")
    return [
        {
            "id": m.pk,
            "projectID": m.project_id,
            "projectAcronym": m.project.acronym,
            "community": m.community.display_name if m.community else "",
            "kind": m.kind,
            "title": m.title,
            "titleDe": m.title_de,
            "startDate": timezone.localtime(m.starts_at).isoformat(),
            "endDate": timezone.localtime(m.ends_at).isoformat(),
            "timezone": m.timezone,
            "format": m.format,
            "venue": m.venue,
            "address": m.address,
            "city": m.city,
            "country": m.country.code if m.country else "",
            "language": m.language,
            "status": m.status,
            "capacity": m.capacity,
            "freeSeats": m.seats_left,
            "portalURL": absolute_url(reverse("calendar:meeting", args=[m.pk])),
            "illustrativeNote": m.illustrative_note,
            "contentUpdateDate": _utc(m.updated_at),
        }
        for m in meetings
    ]


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def csv_bytes(names: Iterable[str], rows: list[dict[str, Any]]) -> bytes:
    names = list(names)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_csv_cell(row[name]) for name in names])
    return buffer.getvalue().encode("utf-8-sig")


def _metadata(generated_at: dt.datetime, rows: dict[str, int]) -> dict[str, Any]:
    return {
        "title": "Consortium portal open data",
        "generatedAt": _utc(generated_at),
        "licence": licence(),
        "source": absolute_url(reverse("opendata:page")),
        "csv": {"encoding": "UTF-8 with byte-order mark", "delimiter": CSV_DELIMITER, "decimalSeparator": "."},
        "files": {
            stem: {
                "rows": rows[stem],
                "csv": f"{stem}.csv",
                "json": f"{stem}.json",
                "columns": [
                    {"name": column.name, "cordis": column.cordis or None, "description": str(column.description)}
                    for column in columns
                ],
            }
            for stem, (_title, columns) in DATASETS.items()
        },
    }


def _write_atomically(directory: Path, name: str, content: bytes) -> None:
    # A temporary file in the same directory (same file system), then one rename.
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(content)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, directory / name)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def open_data_build(*, now: dt.datetime | None = None) -> BuildResult:
    """Write every open-data file from the current public data; returns what it wrote."""
    generated_at = now or timezone.now()
    # The files are one set for everyone: their column descriptions are in English.
    with translation.override("en"):
        return _build(generated_at)


def _build(generated_at: dt.datetime) -> BuildResult:
    today = timezone.localdate(generated_at)
    anonymous = AnonymousUser()
    datasets = {
        "projects": _project_rows(anonymous, today),
        "organisations": _organisation_rows(anonymous),
        "participations": _participation_rows(anonymous, today),
        "meetings": _meeting_rows(anonymous),
    }
    rows = {stem: len(records) for stem, records in datasets.items()}
    metadata = _metadata(generated_at, rows)
    directory = open_data_dir()
    directory.mkdir(parents=True, exist_ok=True)
    for stem, records in datasets.items():
        columns = [column.name for column in DATASETS[stem][1]]
        _write_atomically(directory, f"{stem}.csv", csv_bytes(columns, records))
        document = {
            "metadata": {
                "generatedAt": metadata["generatedAt"],
                "licence": metadata["licence"],
                "source": metadata["source"],
                "columns": metadata["files"][stem]["columns"],
            },
            stem: records,
        }
        _write_atomically(directory, f"{stem}.json", json.dumps(document, ensure_ascii=False, indent=1).encode())
    _write_atomically(directory, METADATA_FILE, json.dumps(metadata, ensure_ascii=False, indent=1).encode())
    return BuildResult(generated_at=generated_at, rows=rows)


def open_data_metadata() -> dict[str, Any] | None:
    """The metadata of the files on disk; None when they have not been built yet (or cannot be read)."""
    try:
        return json.loads((open_data_dir() / METADATA_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
