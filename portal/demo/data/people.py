"""Fictional people: contacts and demo accounts. Never the seeds' real contact persons."""

# The password of every demo account; printed by load_demo.
DEMO_PASSWORD = "demo-portal"

CONTACTS: list[dict] = [
    {"organisation": "alda", "name": "Lea Moreau", "email": "lea.moreau@example.org",
     "position": "Project officer EPIC UP (fictional demo contact)"},
    {"organisation": "proarbeit", "name": "Jonas Becker", "email": "jonas.becker@example.org",
     "position": "Project coordinator ECCIPA (fictional demo contact)"},
    {"organisation": "eurocities", "name": "Sanne de Vries", "email": "sanne.devries@example.org",
     "position": "Project officer VALUES (fictional demo contact)"},
    {"organisation": "offenbach", "name": "Mira Schulz", "email": "mira.schulz@example.org",
     "position": "Integration office (fictional demo contact)"},
]

# Created only when settings.PORTAL_DEMO_ACCOUNTS is True or with --with-accounts.
DEMO_ACCOUNTS: list[dict] = [
    {
        "email": "admin@example.org",
        "first_name": "Ada",
        "last_name": "Lindqvist",
        "preferred_language": "en",
        "is_staff": True,
        "is_superuser": True,
        "label": "superuser (Django admin)",
    },
    {
        "email": "coordinator@example.org",
        "first_name": "Clara",
        "last_name": "Hoffmann",
        "preferred_language": "de",
        "is_staff": True,
        "organisation": "proarbeit",
        "label": "staff, Pro Arbeit Kreis Offenbach (will coordinate ECCIPA)",
    },
    {
        "email": "member@example.org",
        "first_name": "Samira",
        "last_name": "Haddad",
        "preferred_language": "de",
        "label": "active member of the EPIC UP Oberhausen CoP",
        "memberships": [
            {
                "community": "epic-up-oberhausen-cop",
                "role": "member",
                "status": "active",
                "timezone": "Europe/Berlin",
                "requested": "2025-02-06 19:30",
                "joined": "2025-02-07 10:00",
            },
        ],
    },
    {
        "email": "funder@example.org",
        "first_name": "Marta",
        "last_name": "Kowalska",
        "preferred_language": "en",
        "organisation": "eu",
        "label": "programme officer for the AMIF projects (European Union)",
    },
]
