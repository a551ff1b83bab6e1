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

# --- The reporting plan and the report on the needs review (Q2 2021) ---------------------------
#
# The seed gives the needs review's method and figures (10 interviews per territory, two focus
# groups per territory by the third week of June 2021, panels of about 20 local stakeholders,
# one needs review report per territory, the 12-month training, the products). Targets and
# values it gives are taken from it; every other number (the budget split, the spends, the
# targets of the training and the strategies) is illustrative and marked so.

_BUDGET_NOTE = (
    "Amount illustrative: the seed gives no budget. The lines split the illustrative total budget "
    "(EUR 760,000) among the five partners and the cost categories."
)
# (partner handle, cost category, planned amount in EUR): adds up to the total budget.
_ECCIPA_BUDGET = [
    ("proarbeit", "staff", "160000"),
    ("proarbeit", "travel", "14000"),
    ("proarbeit", "subcontracting", "20000"),
    ("proarbeit", "other", "26000"),
    ("proarbeit", "indirect", "15400"),
    ("brianza", "staff", "110000"),
    ("brianza", "travel", "12000"),
    ("brianza", "other", "14000"),
    ("brianza", "indirect", "9520"),
    ("cartagena", "staff", "95000"),
    ("cartagena", "travel", "10000"),
    ("cartagena", "other", "15000"),
    ("cartagena", "indirect", "8400"),
    ("accem", "staff", "105000"),
    ("accem", "travel", "12000"),
    ("accem", "other", "12000"),
    ("accem", "indirect", "9030"),
    ("ravenna", "staff", "90000"),
    ("ravenna", "travel", "10000"),
    ("ravenna", "other", "6000"),
    ("ravenna", "indirect", "6650"),
]

ECCIPA["indicators"] = [
    {
        "code": "O1",
        "kind": "output",
        "work_package": 2,
        "name": "Interviews in the needs review",
        "name_de": "Interviews in der Bedarfsanalyse",
        "unit": "interviews",
        "unit_de": "Interviews",
        "target": Decimal("30"),
        "source": "manual",
        # "Die Partner führen derzeit 10 Interviews in jedem Gebiet durch": 3 × 10.
        "illustrative_note": "",
    },
    {
        "code": "O2",
        "kind": "output",
        "work_package": 2,
        "name": "Meetings held: focus groups and multiplier events",
        "name_de": "Durchgeführte Treffen: Fokusgruppen und Multiplikationsveranstaltungen",
        "unit": "meetings",
        "unit_de": "Treffen",
        # Counted from the project's meetings: two focus groups per territory (the seed) and one
        # multiplier event per territory (the seed gives no number).
        "target": Decimal("9"),
        "source": "meetings_held",
        "illustrative_note": (
            "Target partly illustrative: six focus groups (two per territory, as the seed says) and one "
            "multiplier event per territory (the seed gives no number)."
        ),
    },
    {
        "code": "O3",
        "kind": "output",
        "name": "Participants in focus groups and multiplier events",
        "name_de": "Teilnehmende an Fokusgruppen und Multiplikationsveranstaltungen",
        "unit": "participants",
        "unit_de": "Teilnehmende",
        # Six panels of about 20 local stakeholders; the multiplier events' audience is not given.
        "target": Decimal("120"),
        "source": "participants",
        "illustrative_note": (
            "Target: the six focus-group panels of about 20 local stakeholders the seed gives; "
            "the multiplier events' audience is not counted in it."
        ),
    },
    {
        "code": "O4",
        "kind": "output",
        "name": "Products delivered",
        "name_de": "Gelieferte Produkte",
        "unit": "products",
        "unit_de": "Produkte",
        # The seed's products: 3 needs analyses, toolkit, training programme, manifesto,
        # multiplier events, collection of photos, videos and testimonials.
        "target": Decimal("8"),
        "source": "deliverables_delivered",
        "illustrative_note": "",
    },
    {
        "code": "R1",
        "kind": "result",
        "name": "Sectors represented among the participants (administration, migrants, civil society)",
        "name_de": "Unter den Teilnehmenden vertretene Sektoren (Verwaltung, Migrant*innen, Zivilgesellschaft)",
        "unit": "participants",
        "unit_de": "Teilnehmende",
        "target": Decimal("120"),
        "source": "participants_by_sector",
        "illustrative_note": "Target illustrative: the panel sizes the seed gives, split by sector by the portal.",
    },
    {
        "code": "R2",
        "kind": "result",
        "work_package": 3,
        "name": "City staff trained in the 12-month training programme",
        "name_de": "In der 12-monatigen Fortbildung qualifizierte städtische Mitarbeiter*innen",
        "unit": "staff members",
        "unit_de": "Mitarbeiter*innen",
        "target": Decimal("45"),
        "source": "manual",
        "illustrative_note": "Target illustrative (15 per territory): the seed gives no number of trainees.",
    },
    {
        "code": "R3",
        "kind": "result",
        "work_package": 4,
        "name": "Local strategies for the integration of third-country nationals",
        "name_de": "Lokale Strategien zur Integration von Drittstaatsangehörigen",
        "unit": "strategies",
        "unit_de": "Strategien",
        "target": Decimal("3"),
        "source": "manual",
        "illustrative_note": "Target illustrative (one per pilot territory): the seed gives no number.",
    },
]

ECCIPA["budget_lines"] = [
    {"organisation": handle, "category": category, "planned": Decimal(amount), "illustrative_note": _BUDGET_NOTE}
    for handle, category, amount in _ECCIPA_BUDGET
]

ECCIPA["reporting_periods"] = [
    {
        # The second quarter of 2021: the end of the needs review. Loaded as a draft, then
        # submitted to the funder by the demo coordinator through the reporting workflow
        # (portal/demo/reports.py), so funder@example.org can acknowledge or return it.
        "submit_as": "coordinator@example.org",
        "period_start": D(2021, 4, 1),
        "period_end": D(2021, 6, 30),
        "next_period_plan": (
            "Each territory writes its own needs review report, highlighting the main strengths and "
            "weaknesses in the field of integration. On this basis the partners start building a "
            "comprehensive training package for city staff, to be developed in the coming months, that "
            "aims to narrow their gaps in dealing with the integration of migrants in their cities. "
            "Depending on the needs identified in this first phase, selected city staff are chosen to take "
            "part as trainees in the 12-month training programme."
        ),
        "next_period_plan_de": (
            "Jedes Gebiet erstellt seinen eigenen Bedarfsüberprüfungsbericht, der die Hauptstärken und "
            "-schwächen im Bereich der Integration hervorhebt. Auf dieser Grundlage beginnen die Partner mit "
            "dem Aufbau eines umfassenden Schulungspakets für städtische Arbeitskräfte, das in den kommenden "
            "Monaten entwickelt wird und darauf abzielt, ihre Lücken im Umgang mit der Integration von "
            "Migranten in ihren Städten zu verringern. Je nach den Bedürfnissen, die sich in dieser ersten "
            "Phase herauskristallisiert haben, werden ausgewählte städtische Mitarbeiter als Praktikanten für "
            "die 12-monatige Fortbildungsmaßnahme ausgewählt."
        ),
        "narratives": [
            {
                "work_package": 2,
                "activities": (
                    "From March to June 2021 each partner city, supported by technical partners, carried out an "
                    "in-depth qualitative needs review: an internal review of its policies, strategies, attitudes "
                    "and behaviours regarding the integration of third-country nationals, with a focus on how the "
                    "city and its staff are organised to support this target group. Each city used (1) desk "
                    "research, (2) interviews and (3) focus groups. The partners conducted 10 interviews in each "
                    "territory, with (1) administrative staff, (2) third-country nationals and (3) NGOs, migrant "
                    "associations and other key stakeholders. The needs-assessment phase closed with two focus "
                    "groups in each territory, by the third week of June 2021, where the cities presented the "
                    "results of the review to a selected panel of about 20 local stakeholders to validate the data "
                    "collected."
                ),
                "activities_de": (
                    "Von März bis Juni 2021 hat jede Partnerstadt mit der Unterstützung von technischen Partnern "
                    "eine eingehende qualitative Bedarfsanalyse (Needs Review) durchgeführt: eine interne "
                    "Überprüfung ihrer Politiken, Strategien, Einstellungen und Verhaltensweisen in Bezug auf die "
                    "Integration von Drittstaatsangehörigen, mit einem besonderen Fokus darauf, wie die Stadt und "
                    "ihre Mitarbeiter organisiert sind, um diese Zielgruppe zu unterstützen. Jede Stadt arbeitete "
                    "mit (1.) Desk Research, (2.) Interviews und (3.) Fokusgruppen. Die Partner führten 10 "
                    "Interviews in jedem Gebiet durch, mit (1.) Verwaltungsmitarbeiter*innen, (2.) "
                    "Drittstaatsangehörigen und (3.) NGOs, Migrantenverbänden und anderen wichtigen "
                    "Interessenvertretern. Den Abschluss der Bedarfsermittlungsphase bildeten zwei "
                    "Fokusgruppentreffen in jedem Territorium bis zur dritten Juniwoche 2021, bei denen die Städte "
                    "das Ergebnis der Überprüfung einem ausgewählten Gremium von etwa 20 lokalen "
                    "Interessenvertretern zur Validierung der gesammelten Daten präsentierten."
                ),
                "results": (
                    "The needs review is complete in the three territories: 30 interviews and six focus groups, "
                    "whose panels of about 20 local stakeholders each validated the data collected. Each "
                    "territory now writes its own needs review report, highlighting the main strengths and "
                    "weaknesses in the field of integration; the reports pave the way for the training package "
                    "for city staff."
                ),
                "results_de": (
                    "Die Bedarfsanalyse ist in den drei Gebieten abgeschlossen: 30 Interviews und sechs "
                    "Fokusgruppen, deren Gremien von je etwa 20 lokalen Interessenvertretern die gesammelten "
                    "Daten validierten. Jedes Gebiet erstellt nun seinen eigenen Bedarfsüberprüfungsbericht, der "
                    "die Hauptstärken und -schwächen im Bereich der Integration hervorhebt und den Weg für das "
                    "Schulungspaket für städtische Arbeitskräfte ebnet."
                ),
                "deviations": "None: the focus groups closed the needs review by the third week of June 2021, as planned.",
                "deviations_de": (
                    "Keine: Die Fokusgruppen haben die Bedarfsanalyse wie geplant bis zur dritten Juniwoche 2021 "
                    "abgeschlossen."
                ),
                "risks": (
                    "The needs differ between the three territories, so a single training package might not "
                    "close every gap. Mitigation: each territory writes its own needs review report, and the "
                    "selection of trainees for the 12-month training follows the needs identified in this phase."
                ),
                "risks_de": (
                    "Die Bedürfnisse unterscheiden sich zwischen den drei Gebieten, sodass ein einziges "
                    "Schulungspaket nicht jede Lücke schließen könnte. Gegenmaßnahme: Jedes Gebiet erstellt "
                    "seinen eigenen Bedarfsüberprüfungsbericht, und die Auswahl der Teilnehmenden an der "
                    "12-monatigen Fortbildung richtet sich nach den in dieser Phase ermittelten Bedürfnissen."
                ),
            },
        ],
        "indicator_values": [
            {"indicator": "O1", "value": Decimal("30"), "comment": "10 interviews in each of the three territories."},
            {"indicator": "R2", "value": Decimal("0"), "comment": "The training starts after the needs review."},
            {"indicator": "R3", "value": Decimal("0"), "comment": "The strategies follow from the training."},
        ],
        # Illustrative amounts (the seed gives no budget), each partner's staff and other costs
        # of the quarter; no travel: the focus groups are recorded as online meetings.
        "budget_spends": [
            {"organisation": "proarbeit", "category": "staff", "amount": Decimal("16000")},
            {"organisation": "proarbeit", "category": "other", "amount": Decimal("2500")},
            {"organisation": "brianza", "category": "staff", "amount": Decimal("11000")},
            {"organisation": "cartagena", "category": "staff", "amount": Decimal("9500")},
            {"organisation": "cartagena", "category": "other", "amount": Decimal("1200")},
            {"organisation": "accem", "category": "staff", "amount": Decimal("10500")},
            {"organisation": "ravenna", "category": "staff", "amount": Decimal("9000")},
            {"organisation": "ravenna", "category": "other", "amount": Decimal("800")},
        ],
    },
]
