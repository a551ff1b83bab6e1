"""The database itself refuses bad progress reports.

Rows are written with ``objects.create()`` (the factories), ``bulk_create()`` or
``update()``, never through ``full_clean()``, so only the database decides.
"""

import datetime as dt
import hashlib
from contextlib import contextmanager

import pytest
from django.db import IntegrityError, connection, transaction

from reports.models import ProgressReport
from tests.factories import ProgressReportFactory, ProjectFactory

pytestmark = pytest.mark.django_db

D = dt.date
SHA = hashlib.sha256(b"progress report").hexdigest()
FILE = "reports/include-2025-06-30-en-v1.pdf"


@contextmanager
def refused(model, constraint: str):
    """The block must fail with an IntegrityError from ``constraint`` and leave no row behind."""
    before = model.objects.count()
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        yield
    message = str(excinfo.value)
    # SQLite names the columns of a violated unique index, not the index.
    if not (connection.vendor == "sqlite" and message.startswith("UNIQUE constraint failed")):
        assert constraint in message
    assert model.objects.count() == before


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"period_start": D(2025, 7, 1), "period_end": D(2025, 6, 30)}, "report_period_ordered"),
        # 0 passes the "version >= 0" check of PositiveIntegerField: the model's own
        # constraint has to refuse it.
        ({"version": 0}, "report_version_positive"),
        ({"status": "cancelled"}, "report_status_valid"),
        ({"language": "fr"}, "report_language_valid"),
        ({"language": ""}, "report_language_valid"),
        # "done" needs a file and the lower-case hex SHA-256 of it.
        ({"status": "done", "file": "", "sha256": SHA}, "report_done_has_file_and_hash"),
        ({"status": "done", "file": FILE, "sha256": ""}, "report_done_has_file_and_hash"),
        ({"status": "done", "file": FILE, "sha256": SHA[:-1]}, "report_done_has_file_and_hash"),
        ({"status": "done", "file": FILE, "sha256": SHA.upper()}, "report_done_has_file_and_hash"),
        ({"status": "done", "file": FILE, "sha256": "g" * 64}, "report_done_has_file_and_hash"),
        ({"status": "done", "file": FILE, "sha256": " " + SHA[1:]}, "report_done_has_file_and_hash"),
        ({"status": "failed", "error_message": ""}, "report_failed_has_message"),
    ],
)
def test_progress_report_bad_values_are_refused(fields, constraint):
    project = ProjectFactory()
    with refused(ProgressReport, constraint):
        ProgressReportFactory(project=project, **fields)


@pytest.mark.parametrize(
    "fields",
    [
        {"period_start": D(2025, 6, 30), "period_end": D(2025, 6, 30)},
        {"status": "queued"},
        {"status": "running"},
        {"status": "done", "file": FILE, "sha256": SHA},
        {"status": "failed", "error_message": "Timed out after 300 s."},
        {"language": "de"},
    ],
)
def test_progress_report_valid_rows_are_accepted(fields):
    assert ProgressReportFactory(**fields).pk


def test_progress_report_factory_traits_are_valid():
    assert ProgressReportFactory(done=True).status == ProgressReport.Status.DONE
    assert ProgressReportFactory(failed=True).status == ProgressReport.Status.FAILED


def test_progress_report_version_unique_per_project_period_and_language():
    report = ProgressReportFactory()
    with refused(ProgressReport, "report_unique_version"):
        ProgressReportFactory(
            project=report.project,
            period_start=report.period_start,
            period_end=report.period_end,
            language=report.language,
            version=report.version,
        )


@pytest.mark.parametrize(
    "change",
    [
        {"version": 2},
        {"language": "de"},
        {"period_end": D(2025, 12, 31)},
        {"period_start": D(2025, 2, 1)},
    ],
)
def test_progress_report_other_version_language_or_period_is_fine(change):
    report = ProgressReportFactory(language="en", version=1)
    fields = {
        "project": report.project,
        "period_start": report.period_start,
        "period_end": report.period_end,
        "language": report.language,
        "version": report.version,
        **change,
    }
    ProgressReportFactory(**fields)
    assert report.project.progress_reports.count() == 2


def test_progress_report_same_version_in_another_project_is_fine():
    ProgressReportFactory(version=1)
    ProgressReportFactory(version=1)
    assert ProgressReport.objects.filter(version=1).count() == 2


def test_progress_report_two_equal_versions_in_one_bulk_create_are_refused():
    project = ProjectFactory()
    rows = [
        ProgressReport(project=project, period_start=D(2025, 1, 1), period_end=D(2025, 6, 30), version=3)
        for _ in range(2)
    ]
    with refused(ProgressReport, "report_unique_version"):
        ProgressReport.objects.bulk_create(rows)


def test_progress_report_marking_done_without_file_by_update_is_refused():
    report = ProgressReportFactory(status="running")
    with refused(ProgressReport, "report_done_has_file_and_hash"):
        ProgressReport.objects.filter(pk=report.pk).update(status="done", sha256=SHA)
    report.refresh_from_db()
    assert report.status == ProgressReport.Status.RUNNING


def test_progress_report_marking_failed_without_message_by_update_is_refused():
    report = ProgressReportFactory(status="running")
    with refused(ProgressReport, "report_failed_has_message"):
        ProgressReport.objects.filter(pk=report.pk).update(status="failed")


def test_progress_report_clearing_the_hash_of_a_done_report_is_refused():
    report = ProgressReportFactory(done=True)
    with refused(ProgressReport, "report_done_has_file_and_hash"):
        ProgressReport.objects.filter(pk=report.pk).update(sha256="")
