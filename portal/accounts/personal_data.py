"""Everything the portal holds about one person, for their own download (GDPR Art. 15 and 20).

``personal_data_archive`` builds a zip with ``data.json`` (machine-readable, for moving to
another service) and ``index.html`` (the same, readable, in the person's language). Only
rows that are the person's own are read, and only the person's own details are written:
other people's names and addresses (who invited them, who checked them in) stay out.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from allauth.account.models import EmailAddress
from axes.models import AccessFailureLog, AccessLog
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from events.models import CalendarFeedToken, Membership, Registration
from portal.models import ApiToken, Invitation, User
from projects.models import ProjectRole
from reports.models import ReportDownload

HTML_TEMPLATE = "account/data/index.html"


@dataclass(frozen=True)
class Section:
    key: str
    title: Any
    columns: list[tuple[str, Any]]  # (JSON key, heading)
    rows: list[dict[str, Any]]


def _when(moment: dt.datetime | dt.date | None) -> str:
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


def _addresses(user: User) -> set[str]:
    found = {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}
    return {address.strip().lower() for address in found if address.strip()}


def _profile(user: User) -> Section:
    rows = [
        {"field": str(_("E-mail address")), "value": user.email},
        {"field": str(_("First name")), "value": user.first_name},
        {"field": str(_("Last name")), "value": user.last_name},
        {"field": str(_("Organisation")), "value": user.organisation_label or ""},
        {"field": str(_("Stakeholder sector")), "value": user.get_sector_display() if user.sector else ""},
        {"field": str(_("Preferred language")), "value": user.get_preferred_language_display()},
        {"field": str(_("Time zone")), "value": user.time_zone or settings.TIME_ZONE},
        {"field": str(_("Account created")), "value": _when(user.date_joined)},
        {"field": str(_("Last sign-in")), "value": _when(user.last_login)},
    ]
    rows += [
        {"field": str(_("Further e-mail address")), "value": address.email}
        for address in EmailAddress.objects.filter(user=user).exclude(email__iexact=user.email).order_by("email")
    ]
    feed = CalendarFeedToken.objects.filter(user=user).first()
    if feed:
        rows.append({"field": str(_("Calendar feed set up")), "value": _when(feed.created_at)})
    rows += [
        {
            "field": str(_("Project role")),
            "value": f"{role.project.acronym}: {role.get_role_display()}"
            + (f" ({role.organisation.display_name})" if role.organisation_id else ""),
        }
        for role in ProjectRole.objects.filter(user=user).select_related("project", "organisation")
    ]
    return Section("profile", _("Profile"), [("field", _("Field")), ("value", _("Value"))], rows)


def _consents(user: User, registrations: list[Registration]) -> Section:
    # Every acceptance of the privacy notice (sign-up, re-consent at a sign-in), oldest first;
    # an account from before the history was kept has only the one on its row.
    accepted = list(user.privacy_acceptances.order_by("accepted_at", "id").values_list("version", "accepted_at"))
    if not accepted and user.privacy_notice_version:
        accepted = [(user.privacy_notice_version, user.privacy_accepted_at)]
    rows = [
        {
            "consent": str(_("Privacy notice, version %(version)s") % {"version": version}),
            "given_at": _when(accepted_at),
        }
        for version, accepted_at in accepted
    ]
    for registration in registrations:
        title = str(registration.meeting.display_title)
        if registration.access_needs_consent_at:
            rows.append(
                {
                    "consent": str(_("Storing my access needs for “%(meeting)s”") % {"meeting": title}),
                    "given_at": _when(registration.access_needs_consent_at),
                }
            )
        if registration.consent_to_list:
            rows.append(
                {
                    "consent": str(_("My name on the participant list of “%(meeting)s”") % {"meeting": title}),
                    "given_at": _when(registration.created_at),
                }
            )
    return Section("consents", _("Consents"), [("consent", _("Consent")), ("given_at", _("Given"))], rows)


def _memberships(user: User) -> Section:
    rows = [
        {
            "community": str(membership.community.display_name),
            "role": membership.get_role_display(),
            "status": membership.get_status_display(),
            "requested_at": _when(membership.requested_at),
            "joined_at": _when(membership.joined_at),
            "left_at": _when(membership.left_at),
        }
        for membership in Membership.objects.filter(user=user).select_related("community").order_by("requested_at")
    ]
    columns = [
        ("community", _("Community")),
        ("role", _("Role")),
        ("status", _("Status")),
        ("requested_at", _("Requested")),
        ("joined_at", _("Joined")),
        ("left_at", _("Left")),
    ]
    return Section("memberships", _("Community memberships"), columns, rows)


def _registrations(registrations: list[Registration]) -> Section:
    rows = [
        {
            "meeting": str(registration.meeting.display_title),
            "starts_at": _when(registration.meeting.starts_at),
            "status": registration.get_status_display(),
            "registered_at": _when(registration.created_at),
            "cancelled_at": _when(registration.cancelled_at),
            "checked_in_at": _when(registration.checked_in_at),
            "sector": registration.get_sector_display(),
            "access_needs": registration.access_needs,
            "interpretation_language": registration.interpretation_language_name,
            "on_participant_list": registration.consent_to_list,
        }
        for registration in registrations
    ]
    columns = [
        ("meeting", _("Meeting")),
        ("starts_at", _("Starts")),
        ("status", _("Status")),
        ("registered_at", _("Registered")),
        ("cancelled_at", _("Cancelled")),
        ("checked_in_at", _("Checked in")),
        ("sector", _("Stakeholder sector")),
        ("access_needs", _("Access needs")),
        ("interpretation_language", _("Interpretation language")),
        ("on_participant_list", _("On the participant list")),
    ]
    return Section("registrations", _("Meeting registrations"), columns, rows)


def _invitations(user: User, addresses: set[str]) -> Section:
    # Only invitations addressed to the person: those they sent name somebody else.
    invitations = Invitation.objects.filter(email__in=addresses).select_related("project", "community")
    rows = [
        {
            "email": invitation.email,
            "to": str(invitation.target or ""),
            "role": str(invitation.offered_role_label),
            "status": str(invitation.status),
            "created_at": _when(invitation.created_at),
            "accepted_at": _when(invitation.accepted_at),
        }
        for invitation in invitations.order_by("created_at", "pk")
    ]
    columns = [
        ("email", _("E-mail address")),
        ("to", _("Invited to")),
        ("role", _("Role")),
        ("status", _("Status")),
        ("created_at", _("Sent")),
        ("accepted_at", _("Accepted")),
    ]
    return Section("invitations", _("Invitations"), columns, rows)


def _report_downloads(user: User) -> Section:
    downloads = ReportDownload.objects.filter(user=user).select_related("project").order_by("at", "pk")
    rows = [
        {
            "project": download.project.acronym,
            "kind": download.get_kind_display(),
            "version": download.version or "",
            "outcome": download.get_outcome_display(),
            "at": _when(download.at),
        }
        for download in downloads
    ]
    columns = [
        ("project", _("Project")),
        ("kind", _("Kind")),
        ("version", _("Version")),
        ("outcome", _("Outcome")),
        ("at", _("When")),
    ]
    return Section("report_downloads", _("Report downloads"), columns, rows)


def _api_tokens(user: User) -> Section:
    # What identifies each token, never its secret (which the portal does not have).
    rows = [
        {
            "name": token.name,
            "begins_with": token.key_prefix,
            "scopes": token.scopes,
            "created_at": _when(token.created_at),
            "last_used_at": _when(token.last_used_at),
            "expires_at": _when(token.expires_at),
            "revoked_at": _when(token.revoked_at),
        }
        for token in ApiToken.objects.filter(owner=user).order_by("created_at", "pk")
    ]
    columns = [
        ("name", _("Name")),
        ("begins_with", _("Begins with")),
        ("scopes", _("Scopes")),
        ("created_at", _("Created")),
        ("last_used_at", _("Last used")),
        ("expires_at", _("Expires")),
        ("revoked_at", _("Revoked")),
    ]
    return Section("api_tokens", _("API tokens"), columns, rows)


def _sign_ins(addresses: set[str]) -> Section:
    rows = [
        {
            "at": _when(entry.attempt_time),
            "outcome": str(_("Signed in")),
            "signed_out_at": _when(entry.logout_time),
            "ip_address": entry.ip_address or "",
            "browser": entry.user_agent,
        }
        for entry in AccessLog.objects.filter(username__in=addresses)
    ]
    rows += [
        {
            "at": _when(entry.attempt_time),
            "outcome": str(_("Failed sign-in")),
            "signed_out_at": "",
            "ip_address": entry.ip_address or "",
            "browser": entry.user_agent,
        }
        for entry in AccessFailureLog.objects.filter(username__in=addresses)
    ]
    rows.sort(key=lambda row: row["at"], reverse=True)
    columns = [
        ("at", _("When")),
        ("outcome", _("Outcome")),
        ("signed_out_at", _("Signed out")),
        ("ip_address", _("IP address")),
        ("browser", _("Browser")),
    ]
    return Section("sign_ins", _("Sign-in history"), columns, rows)


def personal_data_sections(user: User) -> list[Section]:
    """The person's data, section by section, labelled in the active language."""
    addresses = _addresses(user)
    registrations = list(
        Registration.objects.filter(user=user).select_related("meeting").order_by("meeting__starts_at", "pk")
    )
    return [
        _profile(user),
        _consents(user, registrations),
        _memberships(user),
        _registrations(registrations),
        _invitations(user, addresses),
        _report_downloads(user),
        _api_tokens(user),
        _sign_ins(addresses),
    ]


def personal_data_archive(user: User, *, now: dt.datetime | None = None) -> bytes:
    """The zip the person downloads: data.json and index.html, in their preferred language."""
    now = now or timezone.now()
    with translation.override(user.preferred_language):
        sections = personal_data_sections(user)
        document = {
            "exported_at": _when(now),
            "language": user.preferred_language,
            **{section.key: section.rows for section in sections},
        }
        html = render_to_string(
            HTML_TEMPLATE,
            {
                "sections": [
                    {
                        "key": section.key,
                        "title": section.title,
                        "headings": [heading for _key, heading in section.columns],
                        "rows": [[row.get(key, "") for key, _heading in section.columns] for row in section.rows],
                    }
                    for section in sections
                ],
                "person": user,
                "exported_at": now,
                "language": user.preferred_language,
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(document, ensure_ascii=False, indent=2))
        archive.writestr("index.html", html)
    return buffer.getvalue()
