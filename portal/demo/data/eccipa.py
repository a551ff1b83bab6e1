"""ECCIPA: training public administration staff for the integration of third-country nationals.

Seed: the ECCIPA project page (German); the lead partner is Pro Arbeit Kreis Offenbach.
"""

from decimal import Decimal

from .common import D

# ECCIPA: the three territories of the needs review and the training.
ECCIPA_TERRITORIES = [
    # (slug suffix, name, country, local time zone, language, city, lead organisation)
    ("kreis-offenbach", "Kreis Offenbach", "DE", "Europe/Berlin", "de", "Kreis Offenbach", "proarbeit"),
    ("ravenna", "Ravenna", "IT", "Europe/Rome", "it", "Ravenna", "ravenna"),
    ("cartagena", "Cartagena", "ES", "Europe/Madrid", "es", "Cartagena", "cartagena"),
]

# Two focus groups per territory by the third week of June 2021 (days illustrative).
_ECCIPA_FOCUS_GROUP_DAYS = {
    "kreis-offenbach": ("06-08", "06-16"),
    "ravenna": ("06-09", "06-17"),
    "cartagena": ("06-10", "06-18"),
}
# Multiplier events near the end of the project (dates illustrative).
_ECCIPA_MULTIPLIER_DAYS = {"kreis-offenbach": "2023-04-20", "ravenna": "2023-05-04", "cartagena": "2023-05-11"}
# The seed lists activities and products, not work packages.
_WORK_PACKAGE_NOTE = (
    "Work-package structure illustrative: the seed lists activities and products, not work packages, "
    "so the numbers, titles and dates are chosen to group them."
)

ECCIPA = {
    "slug": "eccipa",
    "acronym": "ECCIPA",
    "title": "ECCIPA – training public administration staff for the integration of third-country nationals",
    "title_de": "ECCIPA – Qualifizierung von Verwaltungsmitarbeiter*innen für die Integration von Drittstaatsangehörigen",
    "summary_de": (
        "Das ECCIPA-Projekt zielt darauf ab, einen Beitrag zur Implementierung von flexibleren Dienstleistungen für die "
        "Integration von Drittstaatsangehörigen in den Städten zu leisten. Dies geschieht durch die Mitgestaltung und "
        "Durchführung eines innovativen und umfassenden Berufsbildungsprogramms für Verwaltungsmitarbeiter*innen, die "
        "Migrant*innen in drei europäischen Territorien aufnehmen und unterstützen: Landkreis Offenbach (Deutschland), "
        "Stadt Ravenna (Italien) und Stadt Cartagena (Spanien)."
    ),
    "programme": "AMIF",
    "grant_agreement": "",
    "start_date": D(2020, 12, 1),
    "end_date": D(2023, 5, 31),
    "total_budget": Decimal("760000.00"),
    "funder_contribution": Decimal("684000.00"),
    "declared_partners": 5,
    "declared_countries": 3,
    "summary": (
        "ECCIPA aims to contribute to more flexible services for the integration of third-country nationals in "
        "cities by co-designing and delivering an innovative and comprehensive vocational training programme. "
        "The programme equips administrative staff in the departments that receive and support migrants in "
        "three European territories: Landkreis Offenbach (Germany), the city of Ravenna (Italy) and the city of "
        "Cartagena (Spain). It is designed and delivered jointly by experienced organisations that contribute to "
        "the integration of migrants and by local authorities that want to improve how they work with migrants "
        "and to qualify their staff.\n\n"
        "Many projects focus on migrants' needs, while little has been done so far to organise management and "
        "to improve the competences of administrative staff in dealing with people of very different cultures "
        "and backgrounds. ECCIPA tries to close this gap with a capacity-building model tested in three pilot "
        "areas and replicable in any European city. The findings from the training programme lead to local "
        "strategies for the integration of third-country nationals. The 'ECCIPA manifesto' is a practical "
        "guide by the project partners for European cities to improve their staff's competences, so that "
        "they stand up for respect for diversity and equal opportunities for all.\n\n"
        "Target group: staff in public administration. Actors: public authorities, CSOs, migrants. "
        "Objectives: a positive attitude towards diversity and a pluralistic city identity; better intercultural "
        "competences; close cooperation of politically active actors; support in managing migration within a "
        "legal approach. Activities: needs analysis; exchange on integration strategies; training to improve "
        "professional skills. December 2020 to May 2023 (30 months).\n\n"
        "The first seven months were devoted to a comprehensive review of the needs of administrative staff. "
        "From March to June 2021 each partner city, supported by technical partners, carried out an in-depth "
        "qualitative needs review through desk research, interviews (10 in each territory: administrative "
        "staff, third-country nationals, NGOs, migrant associations and other key stakeholders) and focus "
        "groups. The needs-assessment phase closed with two focus groups in each territory, by the third week "
        "of June 2021, where the cities presented their findings to a panel of about 20 local stakeholders. "
        "Each territory then wrote its own needs review report, and selected city staff took part as trainees "
        "in a 12-month training programme, one of ECCIPA's main achievements."
    ),
    "illustrative_note": (
        "The funding programme (AMIF) is illustrative: the seed does not name it. The title describes the "
        "project in the seed's words; the seed does not spell out the acronym. The work packages, deliverable "
        "codes, due and submission dates are illustrative (the seed lists the products only). The days, times "
        "and format of the focus groups (two per territory by the third week of June 2021) and the dates of "
        "the multiplier events are illustrative. The budget (EUR 760,000, of which 90 % from the programme) is illustrative: the seed gives none."
    ),
    "participations": [
        {
            "organisation": "proarbeit",
            "role": "coordinator",
            "description": "Lead partner; territory Landkreis Offenbach",
        },
        {"organisation": "brianza", "role": "partner", "description": "Partner"},
        {"organisation": "cartagena", "role": "partner", "description": "Partner; territory Cartagena"},
        {"organisation": "accem", "role": "partner", "description": "NGO partner"},
        {
            "organisation": "ravenna",
            "role": "partner",
            "description": "Partner (listed as 'Stadt Ravenna'); territory Ravenna",
        },
    ],
    "communities": [
        {
            "slug": f"eccipa-{suffix}",
            "name": f"ECCIPA local stakeholder group {name}",
            "territory": name,
            "country": country,
            "visibility": "members",
            "membership_policy": "invitation",
            "description": (
                f"The panel of about 20 local stakeholders in {name} – administrative staff, NGOs, migrant "
                "associations and other key stakeholders – who validated ECCIPA's needs review in two focus "
                "groups in June 2021."
            ),
        }
        for suffix, name, country, _tz, _lang, _city, _lead in ECCIPA_TERRITORIES
    ],
    "work_packages": [
        {
            "number": 1,
            "title": "Project management and coordination",
            "lead_organisation": "proarbeit",
            "start_date": D(2020, 12, 1),
            "end_date": D(2023, 5, 31),
            "description": "Coordination by the lead partner.",
            "illustrative_note": _WORK_PACKAGE_NOTE,
        },
        {
            "number": 2,
            "title": "Needs analysis",
            "start_date": D(2020, 12, 1),
            "end_date": D(2021, 7, 31),
            "description": "Needs review in each territory: desk research, interviews and focus groups.",
            "illustrative_note": _WORK_PACKAGE_NOTE,
        },
        {
            "number": 3,
            "title": "Training to improve professional skills",
            "start_date": D(2021, 7, 1),
            "end_date": D(2022, 12, 31),
            "description": "The ECCIPA toolkit and the 12-month training programme for city staff.",
            "illustrative_note": _WORK_PACKAGE_NOTE,
        },
        {
            "number": 4,
            "title": "Exchange on integration strategies and the ECCIPA manifesto",
            "start_date": D(2022, 1, 1),
            "end_date": D(2023, 5, 31),
            "description": "Local strategies for the integration of third-country nationals and the manifesto.",
            "illustrative_note": _WORK_PACKAGE_NOTE,
        },
        {
            "number": 5,
            "title": "Dissemination",
            "start_date": D(2020, 12, 1),
            "end_date": D(2023, 5, 31),
            "description": "Multiplier events and the collection of photos, videos and testimonials.",
            "illustrative_note": _WORK_PACKAGE_NOTE,
        },
    ],
    "deliverables": [
        *[
            {
                "code": f"D2.{i}",
                "title": f"Needs analysis – {territory}",
                "kind": "report",
                "work_package": 2,
                "lead_organisation": lead,
                "description": (
                    f"Needs review report for {territory}: the main strengths and weaknesses in integration, "
                    "based on desk research, 10 interviews and two focus groups."
                ),
                "due_date": D(2021, 7, 31),
                "submitted_on": D(2021, 7, 30),
                "status": "approved",
                "illustrative_note": (
                    "Code, work package, due and submission dates are illustrative; the lead organisation "
                    "is the partner of the territory."
                ),
            }
            for i, territory, lead in [
                (1, "Landkreis Offenbach", "proarbeit"),
                (2, "Ravenna", "ravenna"),
                (3, "Cartagena", "cartagena"),
            ]
        ],
        {
            "code": "D3.1",
            "title": "ECCIPA programme for the development of professional skills – toolkit",
            "kind": "toolkit",
            "work_package": 3,
            "description": "Toolkit for developing the professional skills of staff who work with migrants.",
            "due_date": D(2021, 12, 31),
            "submitted_on": D(2021, 12, 20),
            "status": "approved",
            "illustrative_note": "Code, work package, due and submission dates are illustrative.",
        },
        {
            "code": "D3.2",
            "title": "ECCIPA training programme",
            "kind": "training",
            "work_package": 3,
            "description": "12-month training for selected city staff as trainees.",
            "due_date": D(2022, 12, 31),
            "submitted_on": D(2022, 12, 22),
            "status": "approved",
            "illustrative_note": "Code, work package, due and submission dates are illustrative.",
        },
        {
            "code": "D4.1",
            "title": "ECCIPA manifesto",
            "kind": "manifesto",
            "work_package": 4,
            "lead_organisation": "proarbeit",
            "description": (
                "Practical guide by the project partners for European cities to improve their staff's "
                "competences for respect for diversity and equal opportunities for all."
            ),
            "due_date": D(2023, 5, 31),
            "submitted_on": D(2023, 5, 26),
            "status": "submitted",
            "illustrative_note": "Code, work package, lead organisation, due and submission dates are illustrative.",
        },
        {
            "code": "D5.1",
            "title": "Multiplier events",
            "kind": "event",
            "work_package": 5,
            "description": "One multiplier event in each territory near the end of the project.",
            "due_date": D(2023, 5, 31),
            "submitted_on": D(2023, 5, 31),
            "status": "submitted",
            "illustrative_note": "Code, work package, due and submission dates are illustrative.",
        },
        {
            "code": "D5.2",
            "title": "Collection of photos, videos and testimonials",
            "kind": "other",
            "work_package": 5,
            "description": "Photos, videos and testimonials that can be reused to prepare further training.",
            "due_date": D(2023, 5, 31),
            "submitted_on": D(2023, 5, 31),
            "status": "submitted",
            "illustrative_note": "Code, work package, due and submission dates are illustrative.",
        },
    ],
    "meetings": [
        *[
            {
                "title": f"Needs review focus group {n} – {name}",
                "kind": "focus_group",
                "community": f"eccipa-{suffix}",
                "start": f"2021-{day} 10:00",
                "end": f"2021-{day} 12:30",
                "timezone": tz,
                "format": "online",
                "city": city,
                "country": country,
                "language": lang,
                "audience": "members",
                "reported_attendance": 20,
                "description": (
                    f"The partners in {name} present the results of the needs review to a selected panel of "
                    "about 20 local stakeholders to validate the data collected."
                ),
                "illustrative_note": (
                    "Day, times and format are illustrative (the seed: two focus groups per territory by the "
                    "third week of June 2021); the attendance is the panel size the seed gives (about 20)."
                ),
            }
            for suffix, name, country, tz, lang, city, _lead in ECCIPA_TERRITORIES
            for n, day in enumerate(_ECCIPA_FOCUS_GROUP_DAYS[suffix], start=1)
        ],
        *[
            {
                # Open to the public, as the seed presents them: outside the members-only stakeholder
                # groups, whose meetings only their members may see.
                "title": f"ECCIPA multiplier event – {name}",
                "kind": "multiplier",
                "start": f"{_ECCIPA_MULTIPLIER_DAYS[suffix]} 10:00",
                "end": f"{_ECCIPA_MULTIPLIER_DAYS[suffix]} 14:00",
                "timezone": tz,
                "format": "in_person",
                "city": city,
                "country": country,
                "language": lang,
                "audience": "public",
                "description": f"Presenting ECCIPA's training programme, toolkit and manifesto in {name}.",
                "illustrative_note": "Date, times and place are illustrative (the seed lists multiplier events as a product).",
            }
            for suffix, name, country, tz, lang, city, _lead in ECCIPA_TERRITORIES
        ],
    ],
}
