"""Communities of Practice, their members, meetings and registrations."""

from zoneinfo import available_timezones

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from partners.search_index import PostgresOnlyGinIndex
from projects.bilingual import LocalizedText, one_language_given, text_in_language
from projects.date_bounds import plausible_date_constraint, validate_plausible_date
from projects.models import ILLUSTRATIVE_HELP, Project

from .languages import language_name, validate_language_code

# Django's own catalogue translates these names, so the German admin says "Arabisch".
LANGUAGE_CHOICES = [(code, _(name)) for code, name in ALL_LANGUAGES if "-" not in code]


class CommunityVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    MEMBERS = "members", _("Members only")


class CommunityPolicy(models.TextChoices):
    OPEN = "open", _("Open: anybody can join")
    APPROVAL = "approval", _("On approval by a facilitator")
    INVITATION = "invitation", _("By invitation only")


class Community(models.Model):
    """A Community of Practice: local stakeholders of a project who meet again and again."""

    Visibility = CommunityVisibility

    Policy = CommunityPolicy

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="communities", verbose_name=_("project")
    )
    # Bilingual (projects/bilingual.py): English in the plain field, German in ``_de``; one is enough.
    name = models.CharField(_("name (English)"), max_length=200, blank=True)
    name_de = models.CharField(_("name (German)"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    territory = models.CharField(_("city / territory"), max_length=200)
    country = CountryField(_("country"))
    # Bilingual (projects/bilingual.py): English in the plain field, German in ``_de``.
    description = models.TextField(_("description (English)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    visibility = models.CharField(_("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    membership_policy = models.CharField(
        _("membership policy"), max_length=12, choices=Policy.choices, default=Policy.APPROVAL
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("community of practice")
        verbose_name_plural = _("communities of practice")
        ordering = ["project", "name"]
        constraints = [
            # Unique in each language that is given (two German-only communities share the empty English name).
            models.UniqueConstraint(
                fields=["project", "name"],
                condition=~Q(name=""),
                name="community_unique_name_per_project",
                violation_error_message=_("The project already has a community with this name."),
            ),
            models.UniqueConstraint(
                fields=["project", "name_de"],
                condition=~Q(name_de=""),
                name="community_unique_name_de_per_project",
                violation_error_message=_("The project already has a community with this German name."),
            ),
            models.CheckConstraint(
                condition=Q(visibility__in=CommunityVisibility.values), name="community_visibility_valid"
            ),
            models.CheckConstraint(
                condition=Q(membership_policy__in=CommunityPolicy.values), name="community_policy_valid"
            ),
            models.CheckConstraint(
                condition=one_language_given("name"),
                name="community_name_given",
                violation_error_message=_("Give the name in English, in German or in both."),
            ),
        ]
        # Full-text search, one index per portal language; portal/search reuses these expressions.
        indexes = [
            PostgresOnlyGinIndex(
                SearchVector("name_de", "name", config="german", weight="A")
                + SearchVector("territory", "description_de", "description", config="german", weight="B"),
                name="community_search_de",
            ),
            PostgresOnlyGinIndex(
                SearchVector("name", "name_de", config="english", weight="A")
                + SearchVector("territory", "description", "description_de", config="english", weight="B"),
                name="community_search_en",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> LocalizedText:
        return text_in_language(self, "name")

    @property
    def display_description(self) -> LocalizedText:
        return text_in_language(self, "description")


class MembershipRole(models.TextChoices):
    FACILITATOR = "facilitator", _("Facilitator")
    MEMBER = "member", _("Member")


class MembershipStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACTIVE = "active", _("Active")
    REJECTED = "rejected", _("Declined")
    LEFT = "left", _("Left")


class Membership(models.Model):
    Role = MembershipRole

    Status = MembershipStatus

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("community")
    )
    # Kept without the person when they erase their account (accounts.services.user_erase):
    # the community's member counts over time read these rows.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    joined_at = models.DateTimeField(_("joined"), null=True, blank=True)
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    # Who approved or declined a request to join, and when (a facilitator's decision is evidence).
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    # When the person was removed from this row (their account was erased).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["community", "-role", "user__email"]
        constraints = [
            # One row per person and community; leaving and re-joining change its status.
            models.UniqueConstraint(
                fields=["community", "user"],
                name="membership_unique_user",
                violation_error_message=_("This person already has a membership in this community."),
            ),
            models.CheckConstraint(condition=Q(role__in=MembershipRole.values), name="membership_role_valid"),
            models.CheckConstraint(condition=Q(status__in=MembershipStatus.values), name="membership_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(joined_at__isnull=False),
                name="membership_active_has_joined_at",
            ),
            models.CheckConstraint(
                condition=~Q(status="left") | Q(left_at__isnull=False), name="membership_left_has_left_at"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.community} ({self.get_status_display()})"


class MeetingKind(models.TextChoices):
    KICK_OFF = "kick_off", _("Kick-off")
    COP_MEETING = "cop_meeting", _("CoP meeting")
    WORKSHOP = "workshop", _("Workshop")
    FOCUS_GROUP = "focus_group", _("Focus group")
    TRAINING = "training", _("Training")
    STUDY_VISIT = "study_visit", _("Study visit")
    MULTIPLIER = "multiplier", _("Multiplier event")
    CONFERENCE = "conference", _("Conference")
    ADVISORY_BOARD = "advisory_board", _("Advisory board meeting")


class MeetingFormat(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("Hybrid")


class MeetingAudience(models.TextChoices):
    PUBLIC = "public", _("Public")
    PARTNERS = "partners", _("Project partners")
    MEMBERS = "members", _("Community members")


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    Kind = MeetingKind

    Format = MeetingFormat

    Audience = MeetingAudience

    Status = MeetingStatus

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("project"))
    community = models.ForeignKey(
        Community,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("community"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Bilingual (projects/bilingual.py): English in the plain field, German in ``_de``;
    # the title in one language is enough.
    title = models.CharField(_("title (English)"), max_length=300, blank=True)
    title_de = models.CharField(_("title (German)"), max_length=300, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    agenda = models.TextField(_("agenda (English)"), blank=True)
    agenda_de = models.TextField(_("agenda (German)"), blank=True)
    starts_at = models.DateTimeField(_("starts"), validators=[validate_plausible_date])
    ends_at = models.DateTimeField(_("ends"), validators=[validate_plausible_date])
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="Europe/Berlin",
        help_text=_("The time zone of the place where the meeting happens."),
    )
    format = models.CharField(_("format"), max_length=12, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=120, blank=True)
    country = CountryField(_("country"), blank=True)
    online_link = models.URLField(_("online link"), blank=True)
    language = models.CharField(_("language"), max_length=8, choices=LANGUAGE_CHOICES, default="de")
    capacity = models.PositiveIntegerField(
        _("capacity"), null=True, blank=True, help_text=_("Leave empty for no limit.")
    )
    registration_opens_at = models.DateTimeField(
        _("registration opens"), null=True, blank=True, validators=[validate_plausible_date]
    )
    registration_closes_at = models.DateTimeField(
        _("registration closes"), null=True, blank=True, validators=[validate_plausible_date]
    )
    # Off: a full meeting turns people away with a message instead of putting them in line.
    waitlist_enabled = models.BooleanField(
        _("waiting list"),
        default=True,
        help_text=_("When the meeting is full, further people go on a waiting list and move up when a seat is freed."),
    )
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED)
    # RFC 5545 SEQUENCE: goes up whenever the time, place or status changes, so calendar
    # programs replace their copy of the event instead of keeping a stale one.
    sequence = models.PositiveIntegerField(_("revision"), default=0, editable=False)
    reported_attendance = models.PositiveIntegerField(
        _("reported attendance"),
        null=True,
        blank=True,
        help_text=_("Attendance as the organisers reported it, for meetings held before registration in the portal."),
    )
    illustrative_note = models.TextField(_("illustrative values"), blank=True, help_text=ILLUSTRATIVE_HELP)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["starts_at", "id"]
        constraints = [
            plausible_date_constraint("starts_at", prefix="meeting", moment=True),
            plausible_date_constraint("ends_at", prefix="meeting", moment=True),
            plausible_date_constraint("registration_opens_at", prefix="meeting", moment=True),
            plausible_date_constraint("registration_closes_at", prefix="meeting", moment=True),
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="meeting_end_after_start",
                violation_error_message=_("The meeting cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gt=0),
                name="meeting_capacity_positive",
                violation_error_message=_("The capacity must be at least 1, or empty for no limit."),
            ),
            models.CheckConstraint(
                condition=Q(registration_opens_at__isnull=True)
                | Q(registration_closes_at__isnull=True)
                | Q(registration_closes_at__gte=F("registration_opens_at")),
                name="meeting_registration_window_ordered",
                violation_error_message=_("Registration cannot close before it opens."),
            ),
            # Unique in each language that is given (German-only meetings share the empty English title).
            models.UniqueConstraint(
                fields=["project", "title", "starts_at"],
                condition=~Q(title=""),
                name="meeting_unique_title_start",
                violation_error_message=_("The project already has a meeting with this title at this time."),
            ),
            models.UniqueConstraint(
                fields=["project", "title_de", "starts_at"],
                condition=~Q(title_de=""),
                name="meeting_unique_title_de_start",
                violation_error_message=_("The project already has a meeting with this German title at this time."),
            ),
            models.CheckConstraint(
                condition=one_language_given("title"),
                name="meeting_title_given",
                violation_error_message=_("Give the title in English, in German or in both."),
            ),
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
            models.CheckConstraint(condition=Q(format__in=MeetingFormat.values), name="meeting_format_valid"),
            models.CheckConstraint(condition=Q(audience__in=MeetingAudience.values), name="meeting_audience_valid"),
            models.CheckConstraint(condition=Q(status__in=MeetingStatus.values), name="meeting_status_valid"),
        ]
        indexes = [
            models.Index(fields=["project", "starts_at"], name="meeting_project_start_idx"),
            # The calendar and the home page read meetings in time order from now on: "starts
            # from now" uses the first column, "not ended yet" (ends_at) is checked inside the
            # index, so the past meetings are skipped without reading their rows.
            models.Index(fields=["starts_at", "ends_at"], name="meeting_start_end_idx"),
            # Full-text search, one index per portal language; portal/search reuses these expressions.
            PostgresOnlyGinIndex(
                SearchVector("title_de", "title", config="german", weight="A")
                + SearchVector("city", "description_de", "description", config="german", weight="B"),
                name="meeting_search_de",
            ),
            PostgresOnlyGinIndex(
                SearchVector("title", "title_de", config="english", weight="A")
                + SearchVector("city", "description", "description_de", config="english", weight="B"),
                name="meeting_search_en",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> LocalizedText:
        return text_in_language(self, "title")

    @property
    def display_description(self) -> LocalizedText:
        return text_in_language(self, "description")

    @property
    def display_agenda(self) -> LocalizedText:
        return text_in_language(self, "agenda")

    def clean(self) -> None:
        super().clean()
        errors = {}
        if self.community_id and self.project_id and self.community.project_id != self.project_id:
            errors["community"] = _("The community belongs to another project.")
        if self.timezone not in available_timezones():
            errors["timezone"] = _("Unknown time zone.")
        if self.audience == self.Audience.MEMBERS and not self.community_id:
            errors["audience"] = _("A meeting for community members needs a community.")
        if errors:
            raise ValidationError(errors)


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Confirmed")
    WAITLISTED = "waitlisted", _("Waitlisted")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationSector(models.TextChoices):
    PUBLIC = "public", _("Public sector")
    PRIVATE = "private", _("Private sector")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    ARTS = "arts", _("Arts and culture")
    ACADEMIC = "academic", _("Academia / research")
    MIGRANT_ORGANISATION = "migrant_org", _("Migrant organisation")
    OTHER = "other", _("Other")


class Registration(models.Model):
    Status = RegistrationStatus

    Sector = RegistrationSector

    ACTIVE = ("confirmed", "waitlisted")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("meeting")
    )
    # Kept without the person when they erase their account, and once the project's audit
    # retention has ended (events/services/retention.py): meeting counts, the figures by sector
    # and the progress reports as of a period read these rows, so they never disappear.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="registrations",
        verbose_name=_("person"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED)
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    # The waitlist is first come, first served by this time. It is set again when a
    # cancelled registration is restored or moved to another meeting: that person joins
    # the end of the line there, never ahead of those already waiting.
    queued_at = models.DateTimeField(_("in line since"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cancelled by"),
    )
    sector = models.CharField(_("stakeholder sector"), max_length=20, choices=Sector.choices, default=Sector.OTHER)
    access_needs = models.TextField(_("access needs"), blank=True)
    # Access needs may be health data (GDPR Art. 9): stored only with the person's explicit,
    # separate consent, given at this moment; cleared with the needs by the retention job.
    access_needs_consent_at = models.DateTimeField(_("consent to store access needs"), null=True, blank=True)
    # An ISO 639-3 code (events/languages.py); no ``choices``: the ~7,000 names are built
    # per page language, and the validator keeps the stored codes to the known ones.
    interpretation_language = models.CharField(
        _("interpretation language"),
        max_length=8,
        blank=True,
        validators=[validate_language_code],
        help_text=_("ISO 639-3 code, e.g. “prs” for Dari."),
    )
    consent_to_list = models.BooleanField(
        _("appears on the participant list"),
        default=False,
        help_text=_("The person agreed that other participants may see their name."),
    )
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    # Set when the 48-hour reminder is claimed for sending, so a second run never sends it again.
    reminder_sent_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)
    # When the person was removed from this row (account erased, or audit retention over).
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["meeting", "created_at", "id"]
        constraints = [
            # At most one active registration per person and meeting; cancelled ones
            # stay as history, so re-registering after a cancellation works.
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(status__in=["confirmed", "waitlisted"]),
                name="registration_one_active_per_user",
                violation_error_message=_("This person is already registered for this meeting."),
            ),
            models.CheckConstraint(condition=Q(status__in=RegistrationStatus.values), name="registration_status_valid"),
            models.CheckConstraint(condition=Q(sector__in=RegistrationSector.values), name="registration_sector_valid"),
            models.CheckConstraint(
                condition=Q(status="cancelled", cancelled_at__isnull=False)
                | (~Q(status="cancelled") & Q(cancelled_at__isnull=True)),
                name="registration_cancelled_at_matches_status",
            ),
            models.CheckConstraint(
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
                name="registration_only_confirmed_check_in",
                violation_error_message=_("Only a confirmed registration can be checked in."),
            ),
            # GDPR Art. 9(2)(a): no access needs without the moment the person consented.
            models.CheckConstraint(
                condition=Q(access_needs="") | Q(access_needs_consent_at__isnull=False),
                name="registration_access_needs_have_consent",
                violation_error_message=_("Access needs are only stored with the person's consent."),
            ),
        ]
        indexes = [models.Index(fields=["meeting", "status", "queued_at", "id"], name="registration_queue_idx")]

    def __str__(self) -> str:
        return f"{self.user} → {self.meeting} ({self.get_status_display()})"

    @property
    def attended(self) -> bool:
        return self.checked_in_at is not None

    @property
    def interpretation_language_name(self) -> str:
        """The interpretation language named in the active language ("" when none is needed)."""
        return language_name(self.interpretation_language) if self.interpretation_language else ""


class CalendarFeedToken(models.Model):
    """The secret in a person's calendar feed address; replacing it revokes the old address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="calendar_feed_token",
        verbose_name=_("person"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.CheckConstraint(condition=Q(token__regex=r"^[A-Za-z0-9_-]{32,64}$"), name="calendar_token_format"),
        ]

    def __str__(self) -> str:
        return f"{self.user}"
