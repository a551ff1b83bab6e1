"""The columns of each open-data file, named as CORDIS names them where it has the same fact.

CORDIS (the EU's record of projects it funds) publishes a project file (id, acronym,
status, title, startDate, endDate, totalCost, ecMaxContribution, frameworkProgramme,
objective, contentUpdateDate, …) and an organisation file that is really one row per
participation (projectID, projectAcronym, organisationID, name, shortName, activityType,
city, country, organizationURL, role, ecContribution, endOfParticipation, active, …).
Researchers who compare consortia join those files; ours join the same way. Where the
portal knows something CORDIS does not publish, the column has our own name in the same
camelCase style. Each column's description is shown on the /open-data/ page and written
into metadata.json.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Column:
    name: str
    # The CORDIS column with the same meaning; "" when the column is our own.
    cordis: str
    description: str | Promise


def _c(name: str, description: str | Promise, *, cordis: bool = True) -> Column:
    return Column(name=name, cordis=name if cordis else "", description=description)


PROJECT_COLUMNS = (
    _c("id", _("The project's number in this portal (joins projectID in the other files).")),
    _c("acronym", _("Acronym.")),
    _c("status", _("planned, running or closed, on the day the file was generated.")),
    _c("title", _("Title in English (empty when only a German title is known).")),
    _c("titleDe", _("Title in German."), cordis=False),
    _c("startDate", _("Start date (YYYY-MM-DD).")),
    _c("endDate", _("End date (YYYY-MM-DD).")),
    _c("totalCost", _("Total budget in EUR.")),
    _c("ecMaxContribution", _("The funder's contribution in EUR (not always the European Commission).")),
    _c("frameworkProgramme", _("The funding programme's short name.")),
    _c("fundingProgrammeName", _("The funding programme's full name."), cordis=False),
    _c("funder", _("The organisation behind the funding programme."), cordis=False),
    _c("grantAgreement", _("The grant agreement number, where published."), cordis=False),
    _c("objective", _("Summary in English.")),
    _c("objectiveDe", _("Summary in German."), cordis=False),
    _c("projectURL", _("The project's own website."), cordis=False),
    _c("portalURL", _("The project's page in this portal."), cordis=False),
    _c("declaredPartners", _("Number of partners as the project declares it."), cordis=False),
    _c("declaredAssociatedPartners", _("Number of associated partners as the project declares it."), cordis=False),
    _c("declaredCountries", _("Number of countries as the project declares it."), cordis=False),
    _c("illustrativeNote", _("Which values are illustrative rather than taken from a source."), cordis=False),
    _c("contentUpdateDate", _("When the record last changed (ISO 8601, UTC).")),
)

ORGANISATION_COLUMNS = (
    _c("organisationID", _("The organisation's number in this portal (joins the participations file).")),
    _c("name", _("Name.")),
    _c("shortName", _("Short name.")),
    _c("activityType", _("Kind of organisation (public_authority, employment_agency, ngo, research, …).")),
    _c("city", _("City.")),
    _c("country", _("Country (ISO 3166-1 alpha-2).")),
    _c("organizationURL", _("Website.")),
    _c("description", _("Description."), cordis=False),
    _c("portalURL", _("The organisation's page in this portal."), cordis=False),
    _c("illustrativeNote", _("Which values are illustrative rather than taken from a source."), cordis=False),
)

PARTICIPATION_COLUMNS = (
    _c("projectID", _("The project's id (projects file).")),
    _c("projectAcronym", _("The project's acronym.")),
    _c("organisationID", _("The organisation's id (organisations file).")),
    _c("name", _("The organisation's name.")),
    _c("shortName", _("The organisation's short name.")),
    _c("activityType", _("Kind of organisation.")),
    _c("city", _("City.")),
    _c("country", _("Country (ISO 3166-1 alpha-2).")),
    _c("order", _("Position in the consortium list (coordinator first).")),
    _c("role", _("coordinator, partner, associated, technical or advisory.")),
    _c("ecContribution", _("The funder's contribution to this partner in EUR, where published.")),
    _c("partInProject", _("The organisation's part in the project, in its own words."), cordis=False),
    _c("startOfParticipation", _("When the organisation joined, if not from the start."), cordis=False),
    _c("endOfParticipation", _("When the organisation left, if it did.")),
    _c("active", _("true while the organisation is part of the consortium.")),
)

MEETING_COLUMNS = (
    _c("id", _("The meeting's number in this portal."), cordis=False),
    _c("projectID", _("The project's id (projects file)."), cordis=False),
    _c("projectAcronym", _("The project's acronym."), cordis=False),
    _c("community", _("The community of practice holding the meeting, if any."), cordis=False),
    _c("kind", _("Kind of meeting (kick_off, workshop, conference, …)."), cordis=False),
    _c("title", _("Title in English."), cordis=False),
    _c("titleDe", _("Title in German."), cordis=False),
    _c("startDate", _("Start (ISO 8601 with the offset of the portal's time zone)."), cordis=False),
    _c("endDate", _("End (ISO 8601)."), cordis=False),
    _c("timezone", _("The time zone of the place."), cordis=False),
    _c("format", _("in_person, online or hybrid."), cordis=False),
    _c("venue", _("Venue."), cordis=False),
    _c("address", _("Address."), cordis=False),
    _c("city", _("City."), cordis=False),
    _c("country", _("Country (ISO 3166-1 alpha-2)."), cordis=False),
    _c("language", _("Language of the meeting."), cordis=False),
    _c("status", _("scheduled or cancelled."), cordis=False),
    _c("capacity", _("Seats in all (empty: no limit)."), cordis=False),
    _c("freeSeats", _("Seats still free when the file was generated (empty: no limit)."), cordis=False),
    _c("portalURL", _("The meeting's page in this portal."), cordis=False),
    _c("illustrativeNote", _("Which values are illustrative rather than taken from a source."), cordis=False),
    _c("contentUpdateDate", _("When the record last changed (ISO 8601, UTC).")),
)

# File stem → (title shown on the page, columns).
DATASETS: dict[str, tuple[Promise, tuple[Column, ...]]] = {
    "projects": (_("Projects"), PROJECT_COLUMNS),
    "organisations": (_("Organisations"), ORGANISATION_COLUMNS),
    "participations": (_("Participations (who takes part in which project, in which role)"), PARTICIPATION_COLUMNS),
    "meetings": (_("Public meetings"), MEETING_COLUMNS),
}
FORMATS = ("csv", "json")
METADATA_FILE = "metadata.json"
