"""Funding programmes, projects, the consortium, work packages, deliverables and updates."""

import datetime as dt

from django.conf import settings
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partners.models import Organisation
from partners.search_index import PostgresOnlyGinIndex

from .bilingual import LocalizedText, one_language_given, text_in_language
from .date_bounds import plausible_date_constraint, validate_plausible_date
from .illustrative import ILLUSTRATIVE_HELP
from .uploads import validate_document_upload


def months_between(start: dt.date, day: dt.date) -> int:
    """Project month of ``day`` counted the EU way: the month the project starts is M1."""
    return (day.year - start.year) * 12 + (day.month - start.month) + 1


class FundingProgramme(models.Model):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=40, unique=True)
    funder = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="funding_programmes", verbose_name=_("funder")
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    # EU money obliges every communication, the progress reports included, to carry the EU
    # emblem and the funding statement (Regulation (EU) 2021/1060, Art. 47 and Annex IX).
    eu_funded = models.BooleanField(
        _("EU funding"),
        default=False,
        help_text=_("The programme spends EU money: reports carry the EU emblem and the funding statement."),
    )

    class Meta:
        verbose_name = _("funding programme")
        verbose_name_plural = _("funding programmes")
        ordering = ["short_name"]
        constraints = [models.CheckConstraint(condition=~Q(short_name=""), name="programme_short_name_not_empty")]

    def __str__(self) -> str:
        return self.short_name


class ProjectQuerySet(models.QuerySet):
    def planned(self, today: dt.date | None = None) -> "ProjectQuerySet":
        return self.filter(start_date__gt=today or timezone.localdate())

    def running(self, today: dt.date | None = None) -> "ProjectQuerySet":
        today = today or timezone.localdate()
        return self.filter(start_date__lte=today, end_date__gte=today)

    def closed(self, today: dt.date | None = None) -> "ProjectQuerySet":
        return self.filter(end_date__lt=today or timezone.localdate())

    def with_status(self, status: str, today: dt.date | None = None) -> "ProjectQuerySet":
        return {"planned": self.planned, "running": self.running, "closed": self.closed}[status](today)


class ProjectStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    CLOSED = "closed", _("closed")


class Project(models.Model):
    Status = ProjectStatus

    acronym = models.CharField(_("acronym"), max_length=60)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    # Bilingual texts (projects/bilingual.py): English in the plain field, German in ``_de``.
    title = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_de = models.CharField(_("title (German)"), max_length=300, blank=True)
    summary = models.TextField(_("summary (English)"), blank=True)
    summary_de = models.TextField(_("summary (German)"), blank=True)
    programme = models.ForeignKey(
        FundingProgramme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("funding programme")
    )
    grant_agreement = models.CharField(_("grant agreement number"), max_length=60, blank=True)
    start_date = models.DateField(_("start date"), validators=[validate_plausible_date])
    end_date = models.DateField(_("end date"), validators=[validate_plausible_date])
    total_budget = models.DecimalField(_("total budget (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)
    funder_contribution = models.DecimalField(
        _("funder contribution (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    website = models.URLField(_("website"), blank=True)
    is_public = models.BooleanField(_("public"), default=True, help_text=_("Shown to visitors who are not logged in."))
    # Consortium sizes as the project declares them; not every partner is always named
    # in public sources (EPIC UP: "12 partners and 13 associated partners from 8 countries").
    declared_partners = models.PositiveSmallIntegerField(_("declared partners"), null=True, blank=True)
    declared_associated_partners = models.PositiveSmallIntegerField(
        _("declared associated partners"), null=True, blank=True
    )
    declared_countries = models.PositiveSmallIntegerField(_("declared countries"), null=True, blank=True)
    illustrative_note = models.TextField(_("illustrative values"), blank=True, help_text=ILLUSTRATIVE_HELP)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-start_date", "acronym"]
        constraints = [
            plausible_date_constraint("start_date", prefix="project"),
            plausible_date_constraint("end_date", prefix="project"),
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="project_end_after_start",
                violation_error_message=_("The project cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True) | Q(total_budget__gte=0), name="project_budget_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(funder_contribution__isnull=True) | Q(funder_contribution__gte=0),
                name="project_contribution_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_budget__isnull=True)
                | Q(funder_contribution__isnull=True)
                | Q(funder_contribution__lte=F("total_budget")),
                name="project_contribution_within_budget",
                violation_error_message=_("The funder contribution cannot exceed the total budget."),
            ),
            models.CheckConstraint(condition=~Q(acronym=""), name="project_acronym_not_empty"),
            models.CheckConstraint(
                condition=one_language_given("title"),
                name="project_title_given",
                violation_error_message=_("Give the title in English, in German or in both."),
            ),
            models.CheckConstraint(condition=~Q(slug=""), name="project_slug_not_empty"),
        ]
        indexes = [
            models.Index(fields=["start_date", "end_date"], name="project_dates_idx"),
            # Full-text search, one index per portal language; portal/search reuses these expressions.
            PostgresOnlyGinIndex(
                SearchVector("acronym", "title_de", "title", config="german", weight="A")
                + SearchVector("summary_de", "summary", config="german", weight="B"),
                name="project_search_de",
            ),
            PostgresOnlyGinIndex(
                SearchVector("acronym", "title", "title_de", config="english", weight="A")
                + SearchVector("summary", "summary_de", config="english", weight="B"),
                name="project_search_en",
            ),
        ]

    def __str__(self) -> str:
        return self.acronym

    @property
    def display_title(self) -> LocalizedText:
        return text_in_language(self, "title")

    @property
    def display_summary(self) -> LocalizedText:
        return text_in_language(self, "summary")

    def status_on(self, today: dt.date) -> str:
        if today < self.start_date:
            return self.Status.PLANNED
        if today > self.end_date:
            return self.Status.CLOSED
        return self.Status.RUNNING

    @property
    def status(self) -> str:
        return self.status_on(timezone.localdate())

    def get_status_display(self) -> str:
        return str(self.Status(self.status).label)

    @property
    def duration_months(self) -> int:
        return months_between(self.start_date, self.end_date)

    def month_label(self, day: dt.date) -> str:
        """The project month of a date as funders write it, e.g. ``M6``."""
        return f"M{months_between(self.start_date, day)}"


class ParticipationRole(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator / lead partner")
    PARTNER = "partner", _("Partner")
    ASSOCIATED = "associated", _("Associated partner")
    TECHNICAL = "technical", _("Technical partner")
    ADVISORY = "advisory", _("Advisory board")


class Participation(models.Model):
    """An organisation's place in a project's consortium."""

    Role = ParticipationRole

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="participations", verbose_name=_("project")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="participations", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.PARTNER)
    contribution = models.DecimalField(
        _("funder contribution to this partner (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.CharField(
        _("part in the project"),
        max_length=300,
        blank=True,
        help_text=_("E.g. 'technical partner of Kreisstadt Dietzenbach'."),
    )
    joined_on = models.DateField(_("joined"), null=True, blank=True, validators=[validate_plausible_date])
    left_on = models.DateField(_("left"), null=True, blank=True, validators=[validate_plausible_date])

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["project", "role", "organisation__name"]
        constraints = [
            plausible_date_constraint("joined_on", prefix="participation"),
            plausible_date_constraint("left_on", prefix="participation"),
            models.UniqueConstraint(
                fields=["project", "organisation"],
                name="participation_unique_organisation",
                violation_error_message=_("This organisation is already part of the project."),
            ),
            # A project has one coordinator; the database refuses a second one.
            models.UniqueConstraint(
                fields=["project"],
                condition=Q(role="coordinator"),
                name="participation_one_coordinator",
                violation_error_message=_("This project already has a coordinator."),
            ),
            models.CheckConstraint(condition=Q(role__in=ParticipationRole.values), name="participation_role_valid"),
            models.CheckConstraint(
                condition=Q(contribution__isnull=True) | Q(contribution__gte=0),
                name="participation_contribution_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True) | Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="participation_left_after_joined",
                violation_error_message=_("An organisation cannot leave before it joins."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation.display_name} in {self.project.acronym} ({self.get_role_display()})"


class ProjectRoleKind(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    PARTNER_STAFF = "partner_staff", _("Partner staff")
    FUNDER_OFFICER = "funder_officer", _("Funder officer")


class ProjectRole(models.Model):
    """What a person may do in one project. Permissions are decided from these rows.

    - coordinator: manages the project, its partners, communities, meetings, deliverables,
      updates and reports;
    - partner staff: reads the project's internal pages and edits the deliverables their
      organisation leads;
    - funder officer: reads the project's facts, aggregate figures and progress reports,
      never the names of participants.
    """

    Role = ProjectRoleKind

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="project_roles", verbose_name=_("person")
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="roles", verbose_name=_("project"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_roles",
        verbose_name=_("organisation"),
        help_text=_("For partner staff: the partner organisation they work for."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("granted by"),
    )
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("project role")
        verbose_name_plural = _("project roles")
        ordering = ["project", "role", "user__email"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "project", "role"],
                name="project_role_unique",
                violation_error_message=_("This person already has this role in the project."),
            ),
            models.CheckConstraint(condition=Q(role__in=ProjectRoleKind.values), name="project_role_valid"),
            # Partner staff act for one partner organisation; the other roles do not.
            models.CheckConstraint(
                condition=Q(role="partner_staff", organisation__isnull=False)
                | (~Q(role="partner_staff") & Q(organisation__isnull=True)),
                name="project_role_partner_staff_has_organisation",
                violation_error_message=_("Partner staff need their organisation, and only partner staff have one."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} ({self.project.acronym})"

    def clean(self) -> None:
        super().clean()
        if (
            self.role == self.Role.PARTNER_STAFF
            and self.organisation_id
            and self.project_id
            and not Participation.objects.filter(
                project_id=self.project_id, organisation_id=self.organisation_id
            ).exists()
        ):
            raise ValidationError({"organisation": _("This organisation is not part of the project's consortium.")})


class WorkPackage(models.Model):
    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="work_packages", verbose_name=_("project")
    )
    number = models.PositiveSmallIntegerField(_("number"))
    # Bilingual (projects/bilingual.py): English in the plain field, German in ``_de``; one is enough.
    title = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_de = models.CharField(_("title (German)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_work_packages",
        verbose_name=_("lead organisation"),
    )
    start_date = models.DateField(_("start date"), null=True, blank=True, validators=[validate_plausible_date])
    end_date = models.DateField(_("end date"), null=True, blank=True, validators=[validate_plausible_date])
    illustrative_note = models.TextField(_("illustrative values"), blank=True, help_text=ILLUSTRATIVE_HELP)

    class Meta:
        verbose_name = _("work package")
        verbose_name_plural = _("work packages")
        ordering = ["project", "number"]
        constraints = [
            plausible_date_constraint("start_date", prefix="work_package"),
            plausible_date_constraint("end_date", prefix="work_package"),
            models.UniqueConstraint(
                fields=["project", "number"],
                name="work_package_unique_number",
                violation_error_message=_("The project already has a work package with this number."),
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="work_package_number_positive"),
            models.CheckConstraint(
                condition=one_language_given("title"),
                name="work_package_title_given",
                violation_error_message=_("Give the title in English, in German or in both."),
            ),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="work_package_end_after_start",
                violation_error_message=_("A work package cannot end before it starts."),
            ),
        ]

    def __str__(self) -> str:
        return f"WP{self.number} {self.display_title}"

    @property
    def display_title(self) -> LocalizedText:
        return text_in_language(self, "title")


class DeliverableQuerySet(models.QuerySet):
    OPEN = ("planned", "in_progress")
    # Handed in to the funder: wherever the portal and the reports say "delivered" (or count,
    # tick or date a deliverable as such), they mean these two statuses. Deliverable.DELIVERED.
    DELIVERED = ("submitted", "approved")

    def late(self, today: dt.date | None = None) -> "DeliverableQuerySet":
        return self.filter(due_date__lt=today or timezone.localdate(), status__in=self.OPEN)

    def delivered(self) -> "DeliverableQuerySet":
        return self.filter(status__in=self.DELIVERED)


class DeliverableKind(models.TextChoices):
    REPORT = "report", _("Report")
    TOOLKIT = "toolkit", _("Toolkit")
    TRAINING = "training", _("Training programme")
    MANIFESTO = "manifesto", _("Manifesto")
    EVENT = "event", _("Event")
    DATASET = "dataset", _("Dataset")
    WEBSITE = "website", _("Website")
    OTHER = "other", _("Other")


class DeliverableDissemination(models.TextChoices):
    PUBLIC = "public", _("Public")
    SENSITIVE = "sensitive", _("Sensitive")


class DeliverableStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")


class Deliverable(models.Model):
    Kind = DeliverableKind

    Dissemination = DeliverableDissemination

    Status = DeliverableStatus
    DELIVERED = DeliverableQuerySet.DELIVERED

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="deliverables", verbose_name=_("project")
    )
    work_package = models.ForeignKey(
        WorkPackage,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="deliverables",
        verbose_name=_("work package"),
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("E.g. D2.1"))
    # Bilingual (projects/bilingual.py): English in the plain field, German in ``_de``; one is enough.
    title = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_de = models.CharField(_("title (German)"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.REPORT)
    dissemination = models.CharField(
        _("dissemination level"), max_length=20, choices=Dissemination.choices, default=Dissemination.PUBLIC
    )
    due_date = models.DateField(_("due date"), validators=[validate_plausible_date])
    submitted_on = models.DateField(_("submitted"), null=True, blank=True, validators=[validate_plausible_date])
    lead_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_deliverables",
        verbose_name=_("lead organisation"),
    )
    file = models.FileField(_("file"), upload_to="deliverables/%Y/", blank=True, validators=[validate_document_upload])
    url = models.URLField(_("link"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    illustrative_note = models.TextField(_("illustrative values"), blank=True, help_text=ILLUSTRATIVE_HELP)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = DeliverableQuerySet.as_manager()

    class Meta:
        verbose_name = _("deliverable")
        verbose_name_plural = _("deliverables")
        ordering = ["project", "due_date", "code"]
        constraints = [
            plausible_date_constraint("due_date", prefix="deliverable"),
            plausible_date_constraint("submitted_on", prefix="deliverable"),
            models.UniqueConstraint(
                fields=["project", "code"],
                name="deliverable_unique_code",
                violation_error_message=_("The project already has a deliverable with this code."),
            ),
            models.CheckConstraint(condition=~Q(code=""), name="deliverable_code_not_empty"),
            models.CheckConstraint(
                condition=one_language_given("title"),
                name="deliverable_title_given",
                violation_error_message=_("Give the title in English, in German or in both."),
            ),
            models.CheckConstraint(condition=Q(kind__in=DeliverableKind.values), name="deliverable_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=DeliverableStatus.values), name="deliverable_status_valid"),
            models.CheckConstraint(
                condition=Q(dissemination__in=DeliverableDissemination.values), name="deliverable_dissemination_valid"
            ),
            # A submission date exactly when the deliverable has been submitted.
            models.CheckConstraint(
                condition=Q(status__in=list(DeliverableQuerySet.OPEN), submitted_on__isnull=True)
                | Q(status__in=list(DeliverableQuerySet.DELIVERED), submitted_on__isnull=False),
                name="deliverable_submitted_date_matches_status",
                violation_error_message=_(
                    "A submitted or approved deliverable needs a submission date, and only such a deliverable has one."
                ),
            ),
        ]
        indexes = [models.Index(fields=["status", "due_date"], name="deliverable_status_due_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.display_title}"

    @property
    def display_title(self) -> LocalizedText:
        return text_in_language(self, "title")

    def due_after_project_end(self) -> bool:
        """Due after the project ends: allowed (an extension may follow), but worth a second look."""
        return bool(self.due_date and self.project_id and self.due_date > self.project.end_date)

    def clean(self) -> None:
        super().clean()
        if self.work_package_id and self.project_id and self.work_package.project_id != self.project_id:
            raise ValidationError({"work_package": _("The work package belongs to another project.")})

    @property
    def due_month(self) -> str:
        return self.project.month_label(self.due_date)

    @property
    def is_delivered(self) -> bool:
        """Submitted or approved (DELIVERED)."""
        return self.status in self.DELIVERED

    def is_late_on(self, today: dt.date) -> bool:
        return self.status in DeliverableQuerySet.OPEN and self.due_date < today

    @property
    def is_late(self) -> bool:
        return self.is_late_on(timezone.localdate())


class DeliverableStatusChange(models.Model):
    """A deliverable's status from ``changed_at`` on: the history progress reports read.

    A report states each deliverable as it stood at the end of its period, so that a
    report regenerated later gives the same figures. Written only by
    projects.services.deliverable_status_record; before a deliverable's first row it was
    planned.
    """

    deliverable = models.ForeignKey(
        Deliverable, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("deliverable")
    )
    status = models.CharField(_("status"), max_length=20, choices=DeliverableStatus.choices)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    class Meta:
        verbose_name = _("deliverable status change")
        verbose_name_plural = _("deliverable status changes")
        ordering = ["deliverable", "changed_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliverableStatus.values), name="deliverable_status_change_status_valid"
            ),
        ]
        indexes = [models.Index(fields=["deliverable", "changed_at"], name="deliverable_status_change_idx")]

    def __str__(self) -> str:
        return f"{self.deliverable_id}: {self.status} ({self.changed_at:%Y-%m-%d})"


class UpdateKind(models.TextChoices):
    NEWS = "news", _("News")
    PRESS = "press", _("Press mention")


class Update(models.Model):
    """A news item or a press mention about a project."""

    Kind = UpdateKind

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates", verbose_name=_("project"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.NEWS)
    title = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_de = models.CharField(_("title (German)"), max_length=300, blank=True)
    body = models.TextField(_("text (English)"), blank=True)
    body_de = models.TextField(_("text (German)"), blank=True)
    published_on = models.DateField(_("date"), validators=[validate_plausible_date])
    link = models.URLField(_("external link"), blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True, help_text=_("E.g. the newspaper's name."))
    is_public = models.BooleanField(_("public"), default=True)
    illustrative_note = models.TextField(_("illustrative values"), blank=True, help_text=ILLUSTRATIVE_HELP)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-published_on", "-id"]
        constraints = [
            plausible_date_constraint("published_on", prefix="update"),
            # An update written in one language only leaves the other title empty, so each
            # title is unique per day only where it is given.
            models.UniqueConstraint(
                fields=["project", "title", "published_on"],
                name="update_unique_title_per_day",
                condition=~Q(title=""),
                violation_error_message=_("This update has already been published on this day."),
            ),
            models.UniqueConstraint(
                fields=["project", "title_de", "published_on"],
                name="update_unique_title_de_per_day",
                condition=~Q(title_de=""),
                violation_error_message=_("This update has already been published on this day."),
            ),
            models.CheckConstraint(condition=Q(kind__in=UpdateKind.values), name="update_kind_valid"),
            models.CheckConstraint(
                condition=one_language_given("title"),
                name="update_title_not_empty",
                violation_error_message=_("Give the title in English, in German or in both."),
            ),
        ]
        indexes = [models.Index(fields=["project", "-published_on"], name="update_project_date_idx")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> LocalizedText:
        return text_in_language(self, "title")

    @property
    def display_body(self) -> LocalizedText:
        return text_in_language(self, "body")


# Indicators and the budget plan live in their own module (the project's reporting plan);
# imported here so that Django registers them with the app.
from .plan_models import BudgetLine, CostCategory, Indicator, IndicatorKind, IndicatorSource  # noqa: E402, F401
