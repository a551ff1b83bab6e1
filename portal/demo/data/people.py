"""Fictional people: contacts and demo accounts. Never the seeds' real contact persons."""

# The password of every demo account; printed by load_demo.
DEMO_PASSWORD = "demo-portal"
# The authenticator secret (base32) of every demo staff account (coordinators and the admin),
# who sign in with two factors: add it to an authenticator app, or print the current codes
# with `manage.py demo_totp`. Published, like the password: demo installations only.
DEMO_TOTP_SECRET = "DEMOPORTALTOTPSECRETFORSTAFFONLY"

CONTACTS: list[dict] = [
    {
        "organisation": "alda",
        "name": "Lea Moreau",
        "email": "lea.moreau@example.org",
        "position": "Project officer EPIC UP (fictional demo contact)",
    },
    {
        "organisation": "proarbeit",
        "name": "Jonas Becker",
        "email": "jonas.becker@example.org",
        "position": "Project coordinator ECCIPA (fictional demo contact)",
    },
    {
        "organisation": "eurocities",
        "name": "Sanne de Vries",
        "email": "sanne.devries@example.org",
        "position": "Project officer VALUES (fictional demo contact)",
    },
    {
        "organisation": "offenbach",
        "name": "Mira Schulz",
        "email": "mira.schulz@example.org",
        "position": "Integration office (fictional demo contact)",
    },
]

# Created only when settings.PORTAL_DEMO_ACCOUNTS is True or with --with-accounts.
#
# Every role comes twice, in two projects, so that what one person may not see can be
# tried in the browser with the other. ``roles`` are project roles (projects.ProjectRole):
# a project by its slug, or every demo project of a programme by its short name;
# partner staff name the partner organisation they work for, which takes part in the
# project. ``memberships`` are memberships of Communities of Practice, by slug.
_JOINED = {"timezone": "Europe/Berlin", "requested": "2025-02-06 19:30", "joined": "2025-02-07 10:00"}
# The two-seat study circle of EPIC UP: both seats taken, the facilitator waiting, so the
# member can cancel and see the seat go to the next in line. Created once, never reset.
_STUDY_CIRCLE = {
    "project": "epic-up",
    "meeting": "Oberhausen CoP study circle: welcome practices",
    "timezone": "Europe/Berlin",
}

DEMO_ACCOUNTS: list[dict] = [
    {
        "email": "admin@example.org",
        "first_name": "Ada",
        "last_name": "Lindqvist",
        "preferred_language": "en",
        "is_staff": True,
        "is_superuser": True,
        "label": "platform admin (superuser): the whole Django admin",
    },
    {
        "email": "coordinator@example.org",
        "first_name": "Clara",
        "last_name": "Hoffmann",
        "preferred_language": "de",
        "is_staff": True,
        "organisation": "proarbeit",
        "roles": [{"project": "eccipa", "role": "coordinator"}],
        "label": "coordinator of ECCIPA (staff: the admin shows ECCIPA only)",
    },
    {
        "email": "coordinator.epicup@example.org",
        "first_name": "Tomasz",
        "last_name": "Nowicki",
        "preferred_language": "en",
        "is_staff": True,
        "organisation": "alda",
        "roles": [{"project": "epic-up", "role": "coordinator"}],
        "label": "coordinator of EPIC UP (staff: the admin shows EPIC UP only)",
    },
    {
        "email": "partner@example.org",
        "first_name": "Chiara",
        "last_name": "Colombo",
        "preferred_language": "en",
        "organisation": "brianza",
        "roles": [{"project": "eccipa", "role": "partner_staff", "organisation": "brianza"}],
        "label": "partner staff of ECCIPA for Consorzio Comunità Brianza",
    },
    {
        "email": "partner.epi@example.org",
        "first_name": "Matteo",
        "last_name": "Ferri",
        "preferred_language": "en",
        "organisation": "ravenna",
        "roles": [{"project": "epi", "role": "partner_staff", "organisation": "ravenna"}],
        "label": "partner staff of EPI for Comune di Ravenna",
    },
    {
        "email": "funder@example.org",
        "first_name": "Marta",
        "last_name": "Kowalska",
        "preferred_language": "en",
        "organisation": "eu",
        "roles": [{"programme": "AMIF", "role": "funder_officer"}],
        "label": "funder officer of the AMIF projects (EPIC UP, EPI, VALUES, ECCIPA)",
    },
    {
        "email": "funder.mercator@example.org",
        "first_name": "Jana",
        "last_name": "Wiegand",
        "preferred_language": "de",
        "organisation": "mercator",
        "roles": [{"project": "teilhabe-neue-ankunftsquartiere", "role": "funder_officer"}],
        "label": "funder officer of Teilhabe (Stiftung Mercator)",
    },
    {
        "email": "facilitator@example.org",
        "first_name": "Deniz",
        "last_name": "Aydın",
        "preferred_language": "de",
        "label": "facilitator of the EPIC UP Oberhausen CoP and of the VALUES Düsseldorf CoP",
        "memberships": [
            {"community": "epic-up-oberhausen-cop", "role": "facilitator", "status": "active", **_JOINED},
            # Without a facilitator nobody could decide a request to join the Düsseldorf group.
            {"community": "values-duesseldorf-cop", "role": "facilitator", "status": "active", **_JOINED},
        ],
        "registrations": [
            {**_STUDY_CIRCLE, "status": "waitlisted", "registered": "2026-11-18 08:15", "sector": "arts"},
        ],
    },
    {
        "email": "member@example.org",
        "first_name": "Samira",
        "last_name": "Haddad",
        "preferred_language": "de",
        "label": "active member of the EPIC UP Oberhausen CoP",
        "memberships": [
            {"community": "epic-up-oberhausen-cop", "role": "member", "status": "active", **_JOINED},
        ],
        "registrations": [
            {
                **_STUDY_CIRCLE,
                "status": "confirmed",
                "registered": "2026-11-16 10:30",
                "sector": "civil_society",
                "consent_to_list": True,
            },
        ],
    },
    {
        "email": "member.ravenna@example.org",
        "first_name": "Luca",
        "last_name": "Bianchi",
        "preferred_language": "en",
        "label": "active member of the ECCIPA stakeholder group in Ravenna",
        "registrations": [
            {
                **_STUDY_CIRCLE,
                "status": "confirmed",
                "registered": "2026-11-17 09:00",
                "sector": "public",
                "consent_to_list": True,
            },
        ],
        "memberships": [
            {
                "community": "eccipa-ravenna",
                "role": "member",
                "status": "active",
                "timezone": "Europe/Rome",
                "requested": "2021-05-10 09:00",
                "joined": "2021-05-12 11:30",
            },
        ],
    },
]
