"""The portal's user: people log in with their e-mail address."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from events.models import Registration
from partners.models import Organisation


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra_fields) -> "User":
        if not email:
            raise ValueError("Users need an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields) -> "User":
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if not (extra_fields["is_staff"] and extra_fields["is_superuser"]):
            raise ValueError("A superuser must have is_staff=True and is_superuser=True.")
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    preferred_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, default="de"
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(
        _("organisation (free text)"),
        max_length=255,
        blank=True,
        help_text=_("For people whose organisation is not in the directory."),
    )
    sector = models.CharField(_("stakeholder sector"), max_length=20, choices=Registration.Sector.choices, blank=True)
    # Empty means the portal's zone (settings.TIME_ZONE, Europe/Berlin): most users never choose.
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        blank=True,
        help_text=_("Times are shown in this zone. Empty: the portal's zone (Europe/Berlin)."),
    )
    # Which privacy notice the person accepted at sign-up, and when (GDPR accountability).
    privacy_notice_version = models.CharField(_("privacy notice accepted"), max_length=20, blank=True)
    privacy_accepted_at = models.DateTimeField(_("privacy notice accepted at"), null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_unique_email_ci"),
            models.CheckConstraint(
                condition=Q(privacy_notice_version="", privacy_accepted_at__isnull=True)
                | (~Q(privacy_notice_version="") & Q(privacy_accepted_at__isnull=False)),
                name="user_privacy_acceptance_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def organisation_label(self) -> str:
        return self.organisation.display_name if self.organisation_id else self.organisation_name
