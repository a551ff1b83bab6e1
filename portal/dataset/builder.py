"""Build a large, deterministic, realistic dataset with bulk inserts.

``build_dataset(scale, seed)`` creates, at scale 1, about 50 projects, 500 organisations,
5,000 users, 200 communities of practice, 5,000 meetings and 100,000 registrations, plus
the consortia, roles, work packages, deliverables, updates and memberships around them.
Same seed, same data: every choice comes from one ``random.Random(seed)`` and every date
from a fixed reference day, never from the clock.

Speed over per-row checks: rows go in with ``bulk_create`` in batches (no ``save()``, no
``full_clean()``), so the database constraints alone decide what is valid — the dataset
tests run it against them. All users share one password hash, computed once. Project
roles and memberships, whose every write goes through their domain app, go in through
its bulk services (project_roles_bulk_create, memberships_bulk_create).
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import models, transaction
from django.db.models.functions import Lower
from django.utils.text import slugify

from events.models import Community, Meeting, Membership, Registration
from events.services.memberships import MembershipRecord, memberships_bulk_create
from partners.models import Organisation
from projects.models import (
    Deliverable,
    DeliverableQuerySet,
    FundingProgramme,
    Participation,
    Project,
    ProjectRole,
    Update,
    WorkPackage,
)
from projects.services import RoleGrant, project_roles_bulk_create

from . import vocabulary as words

BATCH_SIZE = 5000
# Fixed "today" of the dataset: decides which deliverables are submitted and who checked in.
REFERENCE_DAY = dt.date(2026, 1, 1)
PASSWORD = "dataset-load-test"

# Volumes at scale 1; per-project figures stay constant, so every scale looks alike.
PROJECTS = 50
ORGANISATIONS = 500
USERS = 5000
COMMUNITIES_PER_PROJECT = 4
MEETINGS_PER_PROJECT = 100
REGISTRATIONS_PER_MEETING = (5, 35)  # mean 20 → 100,000 at scale 1
PARTICIPATIONS_PER_PROJECT = (5, 15)
MEMBERS_PER_COMMUNITY = (10, 40)


class DatasetExists(Exception):
    """Generated rows are already there; the caller should flush first."""


@dataclass
class Volumes:
    projects: int
    organisations: int
    users: int

    @classmethod
    def for_scale(cls, scale: float) -> Volumes:
        if scale <= 0:
            raise ValueError("The scale must be positive.")
        return cls(
            projects=max(1, round(PROJECTS * scale)),
            # Enough organisations for the largest consortium, enough users for the fullest meeting.
            organisations=max(PARTICIPATIONS_PER_PROJECT[1] + 1, round(ORGANISATIONS * scale)),
            users=max(REGISTRATIONS_PER_MEETING[1] + MEMBERS_PER_COMMUNITY[1], round(USERS * scale)),
        )


@dataclass
class BuildReport:
    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        yield
        self.timings[name] = time.perf_counter() - started

    @property
    def seconds(self) -> float:
        return sum(self.timings.values())


def generated_querysets() -> list[tuple[str, models.QuerySet]]:
    """The generated rows, in the order they can be deleted (cascades take the rest)."""
    user_model = get_user_model()
    return [
        ("projects", Project.objects.filter(slug__startswith=words.MARK)),
        ("users", user_model.objects.filter(email__startswith=words.MARK, email__endswith="@example.org")),
        ("programmes", FundingProgramme.objects.filter(short_name__startswith=words.PROGRAMME_PREFIX)),
        ("organisations", Organisation.objects.filter(illustrative_note=words.NOTE)),
    ]


def dataset_exists() -> bool:
    return any(queryset.exists() for _, queryset in generated_querysets())


@transaction.atomic
def flush_dataset() -> dict[str, int]:
    """Delete the generated rows and nothing else; returns deleted rows per model label."""
    deleted: dict[str, int] = {}
    for _, queryset in generated_querysets():
        _, per_model = queryset.delete()
        for label, count in per_model.items():
            deleted[label] = deleted.get(label, 0) + count
    return deleted


def _bulk(model: type[models.Model], rows: Sequence[models.Model], report: BuildReport) -> list[models.Model]:
    created = model.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    _count(model._meta.label, created, report)
    return created


def _count(label: str, created: Sequence[models.Model], report: BuildReport) -> None:
    report.counts[label] = report.counts.get(label, 0) + len(created)


def _aware(day: dt.date, hour: int, zone: ZoneInfo) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)


def _add_months(day: dt.date, months: int) -> dt.date:
    years, month0 = divmod(day.month - 1 + months, 12)
    return dt.date(day.year + years, month0 + 1, 1)


class _Builder:
    def __init__(self, scale: float, seed: int) -> None:
        self.rng = random.Random(seed)
        self.volumes = Volumes.for_scale(scale)
        self.report = BuildReport()
        self.zones = {zone: ZoneInfo(zone) for _, _, zone in words.CITIES}

    # -- partners --------------------------------------------------------------------

    def organisations(self) -> None:
        rng = self.rng
        taken = {
            (name, country)
            for name, country in Organisation.objects.annotate(lname=Lower("name")).values_list("lname", "country")
        }
        rows = []

        def add(name: str, kind: str, city: str, country: str) -> None:
            base, n = name, 1
            while (name.lower(), country) in taken:
                n += 1
                name = f"{base} {n}"
            taken.add((name.lower(), country))
            rows.append(
                Organisation(
                    name=name,
                    kind=kind,
                    city=city,
                    country=country,
                    illustrative_note=words.NOTE,
                    website=f"https://{words.MARK}org{len(rows) + 1:05d}.example.org/",
                    description=f"{name}: {rng.choice(words.TOPICS_EN)}, {rng.choice(words.TOPICS_DE)}.",
                )
            )

        # The funder of the generated programmes comes first, so it is always there.
        add("European Commission – DG Migration and Home Affairs", Organisation.Kind.FUNDER, "Brussels", "BE")
        while len(rows) < self.volumes.organisations:
            pattern, kind = rng.choice(words.ORGANISATION_PATTERNS)
            city, country, _ = rng.choice(words.CITIES)
            add(pattern.format(city=city), kind, city, country)
        self.orgs = _bulk(Organisation, rows, self.report)
        self.programmes = _bulk(
            FundingProgramme,
            [FundingProgramme(short_name=short, name=name, funder=self.orgs[0]) for short, name in words.PROGRAMMES],
            self.report,
        )

    # -- people ----------------------------------------------------------------------

    def users(self) -> None:
        rng = self.rng
        password = make_password(PASSWORD)  # once: hashing per user would take minutes
        sectors = [value for value, _ in Registration.Sector.choices]
        rows = []
        for i in range(1, self.volumes.users + 1):
            organisation = rng.choice(self.orgs) if rng.random() < 0.6 else None
            rows.append(
                get_user_model()(
                    email=f"{words.MARK}user{i:06d}@example.org",
                    password=password,
                    first_name=rng.choice(words.FIRST_NAMES),
                    last_name=rng.choice(words.LAST_NAMES),
                    preferred_language="de" if rng.random() < 0.55 else "en",
                    organisation=organisation,
                    sector=rng.choice(sectors),
                    is_active=True,
                )
            )
        self.people = _bulk(get_user_model(), rows, self.report)

    # -- projects --------------------------------------------------------------------

    def projects(self) -> None:
        rng = self.rng
        rows = []
        for i in range(1, self.volumes.projects + 1):
            acronym = f"{rng.choice(words.ACRONYM_PARTS)}-{rng.choice(words.ACRONYM_SUFFIXES)}"
            city, _, _ = rng.choice(words.CITIES)
            topic = rng.randrange(len(words.TOPICS_EN))
            start = _add_months(dt.date(2022, 1, 1), rng.randrange(0, 54))
            end = _add_months(start, rng.choice([24, 30, 36, 48])) - dt.timedelta(days=1)
            budget = Decimal(rng.randrange(400, 3000) * 1000)
            rows.append(
                Project(
                    acronym=acronym,
                    slug=f"{words.MARK}{slugify(acronym)}-{i:04d}",
                    title=f"{acronym}: {words.TOPICS_EN[topic].capitalize()} in {city} and beyond",
                    summary=(
                        f"The project strengthens {words.TOPICS_EN[topic]} of migrants and refugees in {city} "
                        f"and partner cities through local communities of practice. "
                        f"Das Projekt stärkt {words.TOPICS_DE[topic]} in {city} und verbindet Kommunen, "
                        f"Jobcenter und Vereine mit den Akteuren des lokalen Arbeitsmarktes."
                    ),
                    programme=rng.choice(self.programmes),
                    grant_agreement=f"101{rng.randrange(10**6):06d}",
                    start_date=start,
                    end_date=end,
                    total_budget=budget,
                    funder_contribution=(budget * Decimal(rng.choice([80, 85, 90, 95])) / 100).quantize(
                        Decimal("1.00")
                    ),
                    website=f"https://{words.MARK}project{i:04d}.example.org/",
                    is_public=rng.random() < 0.8,
                    illustrative_note=words.NOTE,
                )
            )
        self.project_rows = _bulk(Project, rows, self.report)

    def consortia(self) -> None:
        rng = self.rng
        participations, roles, packages = [], [], []
        self.partners: dict[int, list[Organisation]] = {}
        other_roles = [Participation.Role.PARTNER] * 6 + [
            Participation.Role.ASSOCIATED,
            Participation.Role.ASSOCIATED,
            Participation.Role.TECHNICAL,
            Participation.Role.ADVISORY,
        ]
        candidates = self.orgs[1:]  # not the funder
        for project in self.project_rows:
            size = min(rng.randint(*PARTICIPATIONS_PER_PROJECT), len(candidates))
            members = rng.sample(candidates, size)
            self.partners[project.pk] = members
            share = (project.funder_contribution / size).quantize(Decimal("1.00"))
            for n, organisation in enumerate(members):
                participations.append(
                    Participation(
                        project=project,
                        organisation=organisation,
                        joined_on=project.start_date,
                        # Exactly one coordinator per project: the first partner drawn.
                        role=Participation.Role.COORDINATOR if n == 0 else rng.choice(other_roles),
                        contribution=share,
                    )
                )
            staff = rng.sample(self.people, 4)
            roles.append(RoleGrant(user=staff[0], project=project, role=ProjectRole.Role.COORDINATOR))
            for person in staff[1:3]:
                roles.append(
                    RoleGrant(
                        user=person,
                        project=project,
                        role=ProjectRole.Role.PARTNER_STAFF,
                        organisation=rng.choice(members),
                    )
                )
            roles.append(RoleGrant(user=staff[3], project=project, role=ProjectRole.Role.FUNDER_OFFICER))
            for number, title in enumerate(rng.sample(words.WORK_PACKAGE_TITLES, rng.randint(5, 8)), start=1):
                packages.append(
                    WorkPackage(
                        project=project,
                        number=number,
                        title=title,
                        lead_organisation=rng.choice(members),
                        start_date=project.start_date,
                        end_date=project.end_date,
                        illustrative_note=words.NOTE,
                    )
                )
        _bulk(Participation, participations, self.report)
        _count(ProjectRole._meta.label, project_roles_bulk_create(grants=roles, batch_size=BATCH_SIZE), self.report)
        self.packages = _bulk(WorkPackage, packages, self.report)

    def outputs(self) -> None:
        rng = self.rng
        by_project = {project.pk: project for project in self.project_rows}
        deliverables, updates = [], []
        for package in self.packages:
            project = by_project[package.project_id]
            span = (project.end_date - project.start_date).days
            for n in range(1, rng.randint(2, 4) + 1):
                due = project.start_date + dt.timedelta(days=rng.randrange(60, span))
                done = due < REFERENCE_DAY
                status = rng.choice(Deliverable.DELIVERED) if done else rng.choice(DeliverableQuerySet.OPEN)
                deliverables.append(
                    Deliverable(
                        project=project,
                        work_package=package,
                        code=f"D{package.number}.{n}",
                        title=rng.choice(words.DELIVERABLE_TITLES),
                        kind=rng.choice(Deliverable.Kind.values),
                        dissemination="sensitive" if rng.random() < 0.15 else "public",
                        due_date=due,
                        submitted_on=due if done else None,
                        status=status,
                        lead_organisation=package.lead_organisation,
                        illustrative_note=words.NOTE,
                    )
                )
        for project in self.project_rows:
            city = rng.choice(words.CITIES)[0]
            for n in range(rng.randint(6, 12)):
                german = rng.random() < 0.5
                title = rng.choice(words.UPDATE_TITLES_DE if german else words.UPDATE_TITLES_EN).format(city=city)
                updates.append(
                    Update(
                        project=project,
                        title=title,
                        body=title + ".",
                        kind=Update.Kind.PRESS if "Press" in title else Update.Kind.NEWS,
                        # One a month: distinct days keep (project, title, day) unique.
                        published_on=project.start_date + dt.timedelta(days=30 * n + 3),
                        is_public=rng.random() < 0.9,
                        illustrative_note=words.NOTE,
                    )
                )
        _bulk(Deliverable, deliverables, self.report)
        _bulk(Update, updates, self.report)

    # -- events ----------------------------------------------------------------------

    def communities(self) -> None:
        rng = self.rng
        rows = []
        for p, project in enumerate(self.project_rows, start=1):
            for n, (city, country, _) in enumerate(rng.sample(words.CITIES, COMMUNITIES_PER_PROJECT), start=1):
                topic = rng.randrange(len(words.TOPICS_EN))
                rows.append(
                    Community(
                        project=project,
                        name=f"CoP {city} – {words.TOPICS_DE[topic]}",
                        slug=f"{words.MARK}{p:04d}-{n}-{slugify(city)}",
                        territory=city,
                        country=country,
                        description=f"Local stakeholders in {city} working on {words.TOPICS_EN[topic]}.",
                        visibility="members" if rng.random() < 0.25 else "public",
                        membership_policy=rng.choice(Community.Policy.values),
                    )
                )
        self.community_rows = _bulk(Community, rows, self.report)

    def memberships(self) -> None:
        rng = self.rng
        rows = []
        for community in self.community_rows:
            joined = _aware(REFERENCE_DAY - dt.timedelta(days=rng.randrange(30, 700)), 10, ZoneInfo("UTC"))
            for n, person in enumerate(rng.sample(self.people, rng.randint(*MEMBERS_PER_COMMUNITY))):
                draw = rng.random()
                status = "active" if draw < 0.8 else ("pending" if draw < 0.9 else "left")
                rows.append(
                    MembershipRecord(
                        community=community,
                        user=person,
                        role=Membership.Role.FACILITATOR if n < 2 else Membership.Role.MEMBER,
                        status=status,
                        requested_at=joined - dt.timedelta(days=3),
                        joined_at=joined if status != "pending" else None,
                        left_at=joined + dt.timedelta(days=120) if status == "left" else None,
                    )
                )
        _count(Membership._meta.label, memberships_bulk_create(records=rows, batch_size=BATCH_SIZE), self.report)

    def meetings(self) -> None:
        rng = self.rng
        communities: dict[int, list[Community]] = {}
        for community in self.community_rows:
            communities.setdefault(community.project_id, []).append(community)
        kinds = list(words.MEETING_KIND_TITLES)
        rows = []
        for project in self.project_rows:
            span = (project.end_date - project.start_date).days
            for n in range(MEETINGS_PER_PROJECT):
                community = rng.choice(communities[project.pk]) if rng.random() < 0.7 else None
                city, country, zone = (
                    next(c for c in words.CITIES if c[0] == community.territory)
                    if community
                    else rng.choice(words.CITIES)
                )
                kind = "cop_meeting" if community and rng.random() < 0.6 else rng.choice(kinds)
                # Strictly increasing days keep (project, title, starts_at) unique.
                day = project.start_date + dt.timedelta(days=n * span // MEETINGS_PER_PROJECT)
                starts = _aware(day, rng.choice([9, 10, 14, 16, 18]), self.zones[zone])
                meeting_format = rng.choice(["in_person", "in_person", "online", "hybrid"])
                audience = "public"
                draw = rng.random()
                if draw < 0.15:
                    audience = "partners"
                elif draw < 0.3 and community:
                    audience = "members"
                rows.append(
                    Meeting(
                        project=project,
                        community=community,
                        kind=kind,
                        title=f"{words.MEETING_KIND_TITLES[kind]} {city}: {rng.choice(words.TOPICS_EN)}",
                        description=f"{rng.choice(words.TOPICS_DE)} – Austausch in {city}.",
                        starts_at=starts,
                        ends_at=starts + dt.timedelta(hours=rng.choice([2, 3, 4, 8])),
                        timezone=zone,
                        format=meeting_format,
                        city=city,
                        country=country,
                        venue="" if meeting_format == "online" else f"Community centre {city}",
                        online_link=f"https://meet.example.org/{words.MARK}{project.pk}-{n}"
                        if meeting_format != "in_person"
                        else "",
                        language=rng.choice(["de", "en", "it", "es", "fr", "nl"]),
                        capacity=rng.choice([None, 20, 30, 50, 80, 150]),
                        registration_opens_at=starts - dt.timedelta(days=30),
                        registration_closes_at=starts - dt.timedelta(days=1),
                        audience=audience,
                        status="cancelled" if rng.random() < 0.03 else "scheduled",
                        illustrative_note=words.NOTE,
                    )
                )
        self.meeting_rows = _bulk(Meeting, rows, self.report)

    def registrations(self) -> None:
        rng = self.rng
        sectors = Registration.Sector.values
        reference = _aware(REFERENCE_DAY, 0, ZoneInfo("UTC"))
        rows: list[Registration] = []
        for meeting in self.meeting_rows:
            # Distinct people per meeting, so the "one active registration" constraint holds.
            for person in rng.sample(self.people, rng.randint(*REGISTRATIONS_PER_MEETING)):
                draw = rng.random()
                status = "confirmed" if draw < 0.8 else ("waitlisted" if draw < 0.88 else "cancelled")
                created = meeting.starts_at - dt.timedelta(days=rng.randint(2, 29))
                checked_in = status == "confirmed" and meeting.starts_at < reference and rng.random() < 0.75
                rows.append(
                    Registration(
                        meeting=meeting,
                        user=person,
                        status=status,
                        created_at=created,
                        cancelled_at=created + dt.timedelta(days=1) if status == "cancelled" else None,
                        sector=rng.choice(sectors),
                        consent_to_list=rng.random() < 0.4,
                        checked_in_at=meeting.starts_at if checked_in else None,
                    )
                )
            # Insert as we go: 100,000 unsaved objects would only cost memory.
            if len(rows) >= BATCH_SIZE * 4:
                _bulk(Registration, rows, self.report)
                rows = []
        _bulk(Registration, rows, self.report)


def build_dataset(scale: float = 1.0, seed: int = 1) -> BuildReport:
    """Create the dataset in one transaction; refuses when generated rows already exist."""
    builder = _Builder(scale, seed)
    report = builder.report
    with transaction.atomic():
        if dataset_exists():
            raise DatasetExists("Generated data already exists; flush it first.")
        for step in (
            builder.organisations,
            builder.users,
            builder.projects,
            builder.consortia,
            builder.outputs,
            builder.communities,
            builder.memberships,
            builder.meetings,
            builder.registrations,
        ):
            with report.step(step.__name__):
                step()
    return report
