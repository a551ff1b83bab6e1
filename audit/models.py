"""Models of the audit trail (see audit/__init__.py).

The change log is django-auditlog's LogEntry; this module holds the access log: who looked
at or downloaded somebody else's personal data. The audit app sits below the domain, so a
row names the project, meeting and community by id only (no foreign key up the layers);
the pages that read the log (portal/access_log) resolve the names.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    """Every page and file that shows other people's names or needs (portal/access_log says which view is which)."""

    ATTENDANCE_PAGE = "attendance_page", _("Attendance page")
    ATTENDANCE_CSV = "attendance_csv", _("Registrations export (CSV)")
    ATTENDANCE_XLSX = "attendance_xlsx", _("Registrations export (XLSX)")
    SIGN_IN_SHEET = "sign_in_sheet", _("Attendance sheet (PDF)")
    REGISTRATION_PAGE = "registration_page", _("Registration page")
    CHECK_IN_CARD = "check_in_card", _("Check-in card")
    COMMUNITY_MEMBERS = "community_members", _("Members of a community")
    MEMBERSHIP_REQUESTS = "membership_requests", _("Requests to join")
    AUDIT_BUNDLE = "audit_bundle", _("Audit bundle with attendance sheets")


# Kinds about one meeting: the row must say which.
MEETING_KINDS = (
    AccessKind.ATTENDANCE_PAGE,
    AccessKind.ATTENDANCE_CSV,
    AccessKind.ATTENDANCE_XLSX,
    AccessKind.SIGN_IN_SHEET,
    AccessKind.REGISTRATION_PAGE,
    AccessKind.CHECK_IN_CARD,
)
# Kinds about one person (their registration): the row says whose (until their account is erased).
SINGLE_PERSON_KINDS = (AccessKind.REGISTRATION_PAGE, AccessKind.CHECK_IN_CARD)


class PersonalDataAccess(models.Model):
    """One view or download of other people's personal data.

    Deliberately minimal (GDPR Art. 5(1)(c)): who, when, what, where, and how many people
    it showed. No IP address or browser: the viewer is a signed-in account already, and
    the log exists to answer "who saw this list", not to track the coordinators; the
    sign-in records (django-axes) keep addresses for the security side. Rows are deleted
    after PORTAL_RETENTION_LOGS_DAYS (audit.services.personal_data_access_purge).
    """

    Kind = AccessKind

    # SET_NULL: an erased account leaves its entries ("a deleted account looked at …").
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_data_accesses",
        verbose_name=_("viewer"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    kind = models.CharField(_("what"), max_length=24, choices=Kind.choices)
    # Ids, not foreign keys: the audit app knows nothing of projects and meetings (it sits
    # below them), and an entry outlives a deleted meeting until the retention period ends.
    project_id = models.BigIntegerField(_("project id"))
    meeting_id = models.BigIntegerField(_("meeting id"), null=True, blank=True)
    community_id = models.BigIntegerField(_("community id"), null=True, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="personal_data_accessed_by_others",
        verbose_name=_("whose data"),
        help_text=_("For a page about one person: whose registration was opened."),
    )
    people = models.PositiveIntegerField(
        _("people shown"), default=0, help_text=_("For a list or a file: how many people it named.")
    )

    class Meta:
        verbose_name = _("access to personal data")
        verbose_name_plural = _("accesses to personal data")
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=AccessKind.values), name="personal_access_kind_valid"),
            models.CheckConstraint(
                condition=~Q(kind__in=MEETING_KINDS) | Q(meeting_id__isnull=False),
                name="personal_access_meeting_kinds_name_the_meeting",
            ),
            models.CheckConstraint(
                condition=~Q(kind=AccessKind.COMMUNITY_MEMBERS) | Q(community_id__isnull=False),
                name="personal_access_members_name_the_community",
            ),
            # Looking at one's own data is not logged; NULL (an erased account) passes.
            models.CheckConstraint(condition=~Q(subject=F("viewer")), name="personal_access_not_own_data"),
        ]
        indexes = [
            # The project's log and a meeting's log, newest first; the purge by age.
            models.Index(fields=["project_id", "-at"], name="personal_access_project_at"),
            models.Index(fields=["meeting_id", "-at"], name="personal_access_meeting_at"),
            models.Index(fields=["at"], name="personal_access_at"),
        ]

    def __str__(self) -> str:
        return f"{self.viewer or '–'} · {self.get_kind_display()} · {self.at:%Y-%m-%d %H:%M}"
