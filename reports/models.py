"""Progress reports for funders. Building the PDF is the job of a Celery task."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from projects.date_bounds import plausible_date_constraint, validate_plausible_date
from projects.models import Project


class ProgressReportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ProgressReportLanguage(models.TextChoices):
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class ProgressReport(models.Model):
    Status = ProgressReportStatus

    Language = ProgressReportLanguage

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="progress_reports", verbose_name=_("project")
    )
    period_start = models.DateField(_("period start"), validators=[validate_plausible_date])
    period_end = models.DateField(_("period end"), validators=[validate_plausible_date])
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.ENGLISH)
    version = models.PositiveIntegerField(_("version"), default=1)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(_("file"), upload_to="reports/", blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    error_message = models.TextField(_("error message"), blank=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    file_size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    # How many times a worker started building this version (retries after transient errors).
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    # When the funder officers were told that this scheduled report is ready. Claimed with a
    # conditional UPDATE before the e-mail goes out, so a re-delivered task never sends twice.
    notified_at = models.DateTimeField(_("funders notified"), null=True, blank=True, editable=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="requested_reports",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    # When the report was last handed to the workers (requested, or queued again by the
    # sweep): a queued report nobody started within minutes is queued again.
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True, editable=False)
    # Updated by the run while it renders (reports/services/rendering.py): a running report
    # without a recent heartbeat has lost its worker and is taken up again.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True, editable=False)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            plausible_date_constraint("period_start", prefix="report"),
            plausible_date_constraint("period_end", prefix="report"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="report_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            # Each generation is a new immutable version; never two artefacts for one version.
            models.UniqueConstraint(
                fields=["project", "period_start", "period_end", "language", "version"],
                name="report_unique_version",
                violation_error_message=_("This version of the report already exists."),
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="report_version_positive"),
            models.CheckConstraint(condition=Q(status__in=ProgressReportStatus.values), name="report_status_valid"),
            models.CheckConstraint(
                condition=Q(language__in=ProgressReportLanguage.values), name="report_language_valid"
            ),
            # "done" only with a file and its hash; "failed" only with a message for the coordinator.
            models.CheckConstraint(
                condition=~Q(status="done") | (~Q(file="") & Q(sha256__regex=r"\A[0-9a-f]{64}\Z")),
                name="report_done_has_file_and_hash",
            ),
            models.CheckConstraint(
                condition=~Q(status="failed") | ~Q(error_message=""), name="report_failed_has_message"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.acronym} {self.period_start}–{self.period_end} ({self.language}, v{self.version})"


class DownloadKind(models.TextChoices):
    REPORT = "report", _("Progress report")
    BUNDLE = "bundle", _("Audit bundle")


class DownloadOutcome(models.TextChoices):
    SERVED = "served", _("Served")
    DENIED = "denied", _("Denied")


class ReportDownload(models.Model):
    """Who fetched which report version (or audit bundle) when; refused attempts are kept too."""

    Kind = DownloadKind

    Outcome = DownloadOutcome

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="report_downloads", verbose_name=_("project")
    )
    report = models.ForeignKey(
        ProgressReport,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="downloads",
        verbose_name=_("report"),
    )
    # The version is copied so the log stays readable after a report row is gone.
    version = models.PositiveIntegerField(_("version"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="report_downloads",
        verbose_name=_("person"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REPORT)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("report download")
        verbose_name_plural = _("report downloads")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DownloadKind.values), name="download_kind_valid"),
            models.CheckConstraint(condition=Q(outcome__in=DownloadOutcome.values), name="download_outcome_valid"),
        ]
        indexes = [models.Index(fields=["project", "-at"], name="download_project_at_idx")]

    def __str__(self) -> str:
        return f"{self.user} {self.get_kind_display()} {self.get_outcome_display()} {self.at:%Y-%m-%d %H:%M}"
