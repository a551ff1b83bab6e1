"""schema.org descriptions of the public pages, as JSON-LD (https://json-ld.org/).

Search engines and other programs read a meeting as an ``Event``, a project as a
``Project`` and an organisation as an ``Organization``. The page's own template puts
the result in a ``<script type="application/ld+json">`` block (portal/templatetags/jsonld.py).

Why ``Project`` and not ``ResearchProject``: the consortia run integration work (city
services, job centres, civil society), and research is only some partners' part; schema.org's
``Project`` ("an enterprise … planned to achieve a particular aim", a subtype of
``Organization``) fits every one of them, and its Organization properties (member, funder,
foundingDate, dissolutionDate) carry the consortium, the programme and the dates.

Only what the page already shows goes in, computed from the objects the view has read,
so no extra query: never an online join link (the VirtualLocation points to the meeting's
page), never a person.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from events.models import Meeting
from partners.models import Organisation
from projects.models import Participation, Project

SCHEMA = "https://schema.org"
# What json_script escapes, so "</script>" or "<!--" in a title cannot end the block early.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}

ATTENDANCE_MODES = {
    Meeting.Format.IN_PERSON: f"{SCHEMA}/OfflineEventAttendanceMode",
    Meeting.Format.ONLINE: f"{SCHEMA}/OnlineEventAttendanceMode",
    Meeting.Format.HYBRID: f"{SCHEMA}/MixedEventAttendanceMode",
}


def script_block(data: dict[str, Any]) -> SafeString:
    """``data`` as a JSON-LD script element; a data block, never run (so CSP needs no nonce for it)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # escaped above


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Without the properties that have no value: schema.org asks to leave them out, not to send empties."""
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _address(*, street: str = "", city: str = "", country: str = "") -> dict[str, Any] | None:
    address = _compact(
        {"@type": "PostalAddress", "streetAddress": street, "addressLocality": city, "addressCountry": country}
    )
    return address if len(address) > 1 else None


def meeting_json_ld(meeting: Meeting, *, page_url: str, project_url: str) -> dict[str, Any]:
    """An Event: times, place or online, status, organiser (the project) and seats.

    ``meeting.seats_left`` is the meeting page's own count (calendar.selectors.meeting_for_page):
    None means no limit.
    """
    in_person = _compact(
        {
            "@type": "Place",
            "name": meeting.venue or meeting.city,
            "address": _address(
                street=meeting.address, city=meeting.city, country=meeting.country.code if meeting.country else ""
            ),
        }
    )
    online = {"@type": "VirtualLocation", "url": page_url}
    location: Any = {
        Meeting.Format.IN_PERSON: in_person,
        Meeting.Format.ONLINE: online,
        Meeting.Format.HYBRID: [in_person, online],
    }.get(meeting.format, in_person)
    seats_left = getattr(meeting, "seats_left", None)
    cancelled = meeting.status == Meeting.Status.CANCELLED
    project = meeting.project
    return _compact(
        {
            "@context": SCHEMA,
            "@type": "Event",
            "name": str(meeting.display_title),
            "description": str(meeting.display_description or ""),
            "url": page_url,
            "startDate": timezone.localtime(meeting.starts_at).isoformat(),
            "endDate": timezone.localtime(meeting.ends_at).isoformat(),
            "eventStatus": f"{SCHEMA}/{'EventCancelled' if cancelled else 'EventScheduled'}",
            "eventAttendanceMode": ATTENDANCE_MODES.get(meeting.format, ATTENDANCE_MODES[Meeting.Format.IN_PERSON]),
            "location": location,
            "inLanguage": meeting.language,
            "organizer": _compact(
                {
                    "@type": "Project",
                    "name": str(project.display_title),
                    "alternateName": project.acronym,
                    "url": project_url,
                }
            ),
            "offers": {
                "@type": "Offer",
                "url": page_url,
                "availability": f"{SCHEMA}/{'SoldOut' if seats_left == 0 else 'InStock'}",
                **({"inventoryLevel": {"@type": "QuantitativeValue", "value": seats_left}} if seats_left else {}),
            },
        }
    )


def project_json_ld(
    project: Project,
    consortium: Iterable[Participation],
    *,
    page_url: str,
    organisation_url: Callable[[Organisation], str | None],
) -> dict[str, Any]:
    """A Project (an Organization): names, dates, programme and funder, its consortium as members."""
    programme = project.programme
    return _compact(
        {
            "@context": SCHEMA,
            "@type": "Project",
            "name": str(project.display_title),
            "alternateName": project.acronym,
            "description": str(project.display_summary or ""),
            "url": page_url,
            "sameAs": project.website,
            "foundingDate": project.start_date.isoformat(),
            "dissolutionDate": project.end_date.isoformat(),
            "funder": _compact(
                {"@type": "Organization", "name": programme.funder.name, "url": programme.funder.website}
            ),
            "funding": _compact(
                {
                    "@type": "Grant",
                    "name": programme.name,
                    "identifier": project.grant_agreement,
                    "url": programme.website,
                }
            ),
            "member": [
                _compact(
                    {
                        "@type": "Organization",
                        "name": participation.organisation.name,
                        "url": organisation_url(participation.organisation),
                        "address": _address(
                            city=participation.organisation.city, country=participation.organisation.country.code
                        ),
                    }
                )
                for participation in consortium
            ],
        }
    )


def organisation_json_ld(
    organisation: Organisation,
    participations: Iterable[Participation],
    *,
    page_url: str,
    project_url: Callable[[Project], str],
) -> dict[str, Any]:
    """An Organization: name, place, website, and the projects it is a member of."""
    return _compact(
        {
            "@context": SCHEMA,
            "@type": "Organization",
            "name": organisation.name,
            "alternateName": organisation.short_name,
            "description": organisation.description,
            "url": page_url,
            "sameAs": organisation.website,
            "address": _address(city=organisation.city, country=organisation.country.code),
            "memberOf": [
                {"@type": "Project", "name": participation.project.acronym, "url": project_url(participation.project)}
                for participation in participations
            ],
        }
    )
