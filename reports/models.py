"""Progress reports for funders. Building the PDF is the job of a Celery task."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from projects.bilingual import LocalizedText, text_in_language
from projects.date_bounds import plausible_date_constraint, validate_plausible_date
from projects.models import BudgetLine, Indicator, Project, WorkPackage


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
    # Set when the coordinator submits this version to the funder (ReportingStep "submitted").
    # From then on the version is frozen: its file and hash are what the funder signed off.
    # Funder officers only ever see submitted versions, never drafts.
    submitted_in = models.ForeignKey(
        "ReportingStep",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
        verbose_name=_("submitted in"),
        editable=False,
    )

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


class ReportingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted to the funder")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged by the funder")
    RETURNED = "returned", _("Returned with comments")


class ReportingPeriod(models.Model):
    """One reporting period of a project: the texts and figures entered for it, and its status.

    draft → submitted → acknowledged, or returned (with comments) → submitted again. The
    status is changed only by reports.services.workflow, which records every step.
    """

    Status = ReportingStatus

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="reporting_periods", verbose_name=_("project")
    )
    period_start = models.DateField(_("period start"), validators=[validate_plausible_date])
    period_end = models.DateField(_("period end"), validators=[validate_plausible_date])
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Next period's plan, as the coordinator writes it for this report.
    next_period_plan = models.TextField(_("plan for the next period (English)"), blank=True)
    next_period_plan_de = models.TextField(_("plan for the next period (German)"), blank=True)
    # Bumped by every write to the period's texts and figures: a version rendered before the
    # last change no longer shows what was entered, so it cannot be submitted.
    content_changed_at = models.DateTimeField(_("last changed"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["project", "-period_end"]
        constraints = [
            plausible_date_constraint("period_start", prefix="reporting_period"),
            plausible_date_constraint("period_end", prefix="reporting_period"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="reporting_period_ordered",
                violation_error_message=_("The period cannot end before it starts."),
            ),
            models.UniqueConstraint(
                fields=["project", "period_start", "period_end"],
                name="reporting_period_unique",
                violation_error_message=_("This reporting period already exists."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ReportingStatus.values), name="reporting_period_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.acronym} {self.period_start}–{self.period_end}"

    @property
    def is_editable(self) -> bool:
        """Texts and figures can change while the coordinator holds the report."""
        return self.status in (ReportingStatus.DRAFT, ReportingStatus.RETURNED)

    @property
    def display_next_period_plan(self) -> LocalizedText:
        return text_in_language(self, "next_period_plan")


class ReportingAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    RETURNED = "returned", _("Returned with comments")


class ReportingStep(models.Model):
    """Who moved a reporting period on, when, and what they said: the sign-off trail."""

    Action = ReportingAction

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="steps", verbose_name=_("reporting period")
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comments"), blank=True)
    # When the other side (funder officers for a submission, coordinators for an answer) was
    # e-mailed about this step. Claimed with a conditional UPDATE before sending, so a
    # re-delivered task never sends twice (reports/notices.py).
    notified_at = models.DateTimeField(_("notified"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("reporting step")
        verbose_name_plural = _("reporting steps")
        ordering = ["period", "at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=ReportingAction.values), name="reporting_step_action_valid"),
            # Returning a report without saying why leaves the coordinator guessing.
            models.CheckConstraint(
                condition=~Q(action="returned") | ~Q(comment=""),
                name="reporting_step_return_has_comment",
                violation_error_message=_("Say what needs to change when you return a report."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period}: {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class WorkPackageNarrative(models.Model):
    """What happened in one work package during one reporting period, and its risks."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="narratives", verbose_name=_("reporting period")
    )
    work_package = models.ForeignKey(
        WorkPackage, on_delete=models.CASCADE, related_name="narratives", verbose_name=_("work package")
    )
    # Bilingual texts (projects/bilingual.py): English in the plain field, German in ``_de``.
    activities = models.TextField(_("activities (English)"), blank=True)
    activities_de = models.TextField(_("activities (German)"), blank=True)
    results = models.TextField(_("results (English)"), blank=True)
    results_de = models.TextField(_("results (German)"), blank=True)
    deviations = models.TextField(_("deviations (English)"), blank=True)
    deviations_de = models.TextField(_("deviations (German)"), blank=True)
    risks = models.TextField(_("risks and mitigation (English)"), blank=True)
    risks_de = models.TextField(_("risks and mitigation (German)"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    TEXTS = ("activities", "results", "deviations", "risks")

    class Meta:
        verbose_name = _("work package narrative")
        verbose_name_plural = _("work package narratives")
        ordering = ["period", "work_package__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "work_package"],
                name="narrative_unique_work_package",
                violation_error_message=_("This work package already has a narrative for the period."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} WP{self.work_package.number}"

    def text(self, name: str) -> LocalizedText:
        return text_in_language(self, name)

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) or getattr(self, f"{name}_de") for name in self.TEXTS)


class IndicatorValue(models.Model):
    """The value an indicator reached in one reporting period (for indicators entered by hand)."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="indicator_values", verbose_name=_("reporting period")
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    value = models.DecimalField(_("achieved in the period"), max_digits=12, decimal_places=2)
    comment = models.CharField(_("comment"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["period", "indicator__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "indicator"],
                name="indicator_value_unique",
                violation_error_message=_("This indicator already has a value for the period."),
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="indicator_value_not_negative",
                violation_error_message=_("An achieved value cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.indicator.code}: {self.value}"


class BudgetSpend(models.Model):
    """What one budget line spent in one reporting period, as the coordinator reports it."""

    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, related_name="budget_spends", verbose_name=_("reporting period")
    )
    budget_line = models.ForeignKey(
        BudgetLine, on_delete=models.CASCADE, related_name="spends", verbose_name=_("budget line")
    )
    # In the budget line's currency.
    amount = models.DecimalField(_("spent in the period"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("budget spend")
        verbose_name_plural = _("budget spends")
        ordering = ["period", "budget_line"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "budget_line"],
                name="budget_spend_unique",
                violation_error_message=_("This budget line already has an amount for the period."),
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="budget_spend_not_negative",
                violation_error_message=_("The amount spent cannot be negative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} {self.budget_line}: {self.amount}"
