"""factory_boy factories for every model of the portal.

The values are fixed and realistic (EU cities, integration NGOs, AMIF/ESF+ style
programmes), so a failing test shows the same data on every run. Every factory builds
a valid row by default; traits give the common other states, e.g.
``DeliverableFactory(submitted=True)``, ``RegistrationFactory(cancelled=True)``,
``ProgressReportFactory(done=True)``.

The factories save with ``Model.objects.create()``: no ``full_clean()``, so only the
database decides what is stored. Related rows that must belong to the same project
(a deliverable's work package, a meeting's community) are left empty by default; pass
them explicitly.
"""

import datetime as dt
import hashlib
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone
from factory.django import DjangoModelFactory

from events.models import Community, Meeting, Membership, Registration
from partners.models import Contact, Organisation
from projects.models import (
    BudgetLine,
    Deliverable,
    FundingProgramme,
    Indicator,
    Participation,
    Project,
    ProjectRole,
    Update,
    WorkPackage,
)
from reports.models import (
    BudgetSpend,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportingStep,
    WorkPackageNarrative,
)

CITIES = [
    ("Berlin", "DE"),
    ("Ravenna", "IT"),
    ("Valencia", "ES"),
    ("Lyon", "FR"),
    ("Gent", "BE"),
    ("Malmö", "SE"),
    ("Thessaloniki", "GR"),
    ("Rotterdam", "NL"),
    ("Graz", "AT"),
    ("Wrocław", "PL"),
]
GERMAN_CITIES = ["Berlin", "Hamburg", "München", "Köln", "Leipzig", "Offenbach", "Dietzenbach"]
ORGANISATION_NAMES = [
    "Integrationsnetzwerk",
    "Refugee Welcome Centre",
    "Migrant Women's Association",
    "Job Centre",
    "Intercultural Mediation Service",
    "Diaspora Forum",
    "Welcome Desk",
    "Language and Work Initiative",
]
PEOPLE = [
    ("Anna", "Schmidt"),
    ("Giulia", "Rossi"),
    ("Carlos", "García"),
    ("Claire", "Dubois"),
    ("Pieter", "Janssens"),
    ("Elin", "Lindqvist"),
    ("Nikos", "Papadopoulos"),
    ("Fatima", "El Amrani"),
    ("Ahmad", "Karimi"),
    ("Olena", "Kovalenko"),
]


def aware(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """A fixed, time-zone-aware moment in the portal's time zone (settings.TIME_ZONE)."""
    return timezone.make_aware(dt.datetime(year, month, day, hour, minute))


def end_of_project_month(start: dt.date, month: int) -> dt.date:
    """The last day of project month ``month`` (M1 is the month the project starts)."""
    years, month0 = divmod(start.month - 1 + month, 12)
    return dt.date(start.year + years, month0 + 1, 1) - dt.timedelta(days=1)


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.django.Password("pw")
    first_name = factory.Sequence(lambda n: PEOPLE[n % len(PEOPLE)][0])
    last_name = factory.Sequence(lambda n: PEOPLE[n % len(PEOPLE)][1])
    preferred_language = "de"


class OrganisationFactory(DjangoModelFactory):
    """A German NGO; the number in the name keeps (name, country) unique."""

    class Meta:
        model = Organisation

    name = factory.Sequence(
        lambda n: f"{ORGANISATION_NAMES[n % len(ORGANISATION_NAMES)]} {GERMAN_CITIES[n % len(GERMAN_CITIES)]} {n}"
    )
    short_name = ""
    kind = Organisation.Kind.NGO
    country = "DE"
    city = factory.Sequence(lambda n: GERMAN_CITIES[n % len(GERMAN_CITIES)])
    website = factory.Sequence(lambda n: f"https://org{n}.example.org/")


class ContactFactory(DjangoModelFactory):
    class Meta:
        model = Contact

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: " ".join(PEOPLE[n % len(PEOPLE)]))
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    position = "Project officer"
    phone = "+49 30 1234567"


class FundingProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = FundingProgramme

    name = "Asylum, Migration and Integration Fund"
    short_name = factory.Sequence(lambda n: f"AMIF-{n}")
    funder = factory.SubFactory(
        OrganisationFactory,
        name=factory.Sequence(lambda n: f"European Commission DG HOME {n}"),
        kind=Organisation.Kind.FUNDER,
        country="BE",
        city="Brussels",
    )
    website = "https://home-affairs.ec.europa.eu/funding/asylum-migration-and-integration-funds_en"


class ProjectFactory(DjangoModelFactory):
    """A three-year project, 2025-01-01 to 2027-12-31, EUR 500,000 of which 450,000 funded."""

    class Meta:
        model = Project

    acronym = factory.Sequence(lambda n: f"INCLUDE-{n}")
    slug = factory.Sequence(lambda n: f"include-{n}")
    title = factory.Sequence(
        lambda n: f"Inclusive local partnerships for the labour-market integration of migrants {n}"
    )
    summary = "Municipalities, job centres and migrant organisations build Communities of Practice."
    programme = factory.SubFactory(FundingProgrammeFactory)
    grant_agreement = factory.Sequence(lambda n: f"101{n:06d}")
    start_date = dt.date(2025, 1, 1)
    end_date = dt.date(2027, 12, 31)
    total_budget = Decimal("500000.00")
    funder_contribution = Decimal("450000.00")
    is_public = True


class ParticipationFactory(DjangoModelFactory):
    class Meta:
        model = Participation

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Participation.Role.PARTNER
    contribution = Decimal("45000.00")
    joined_on = factory.SelfAttribute("project.start_date")
    left_on = None


class ProjectRoleFactory(DjangoModelFactory):
    """A coordinator by default; ``partner_staff=True`` adds a participating organisation."""

    class Meta:
        model = ProjectRole

    class Params:
        partner_staff = factory.Trait(
            role=ProjectRole.Role.PARTNER_STAFF,
            organisation=factory.LazyAttribute(lambda o: ParticipationFactory(project=o.project).organisation),
        )
        funder_officer = factory.Trait(role=ProjectRole.Role.FUNDER_OFFICER)

    user = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    role = ProjectRole.Role.COORDINATOR
    organisation = None


class WorkPackageFactory(DjangoModelFactory):
    """Numbered 1, 2, 3 … over the test run; pass ``number`` when it matters."""

    class Meta:
        model = WorkPackage

    project = factory.SubFactory(ProjectFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = "Communities of Practice"
    description = "Set up and facilitate local Communities of Practice."
    lead_organisation = None
    start_date = factory.SelfAttribute("project.start_date")
    end_date = factory.SelfAttribute("project.end_date")


class DeliverableFactory(DjangoModelFactory):
    """A planned report due at the end of the project's sixth month (M6)."""

    class Meta:
        model = Deliverable

    class Params:
        submitted = factory.Trait(status=Deliverable.Status.SUBMITTED, submitted_on=factory.SelfAttribute("due_date"))
        approved = factory.Trait(status=Deliverable.Status.APPROVED, submitted_on=factory.SelfAttribute("due_date"))

    project = factory.SubFactory(ProjectFactory)
    work_package = None
    code = factory.Sequence(lambda n: f"D2.{n + 1}")
    title = "Mapping of local integration services"
    kind = Deliverable.Kind.REPORT
    dissemination = Deliverable.Dissemination.PUBLIC
    due_date = factory.LazyAttribute(lambda o: end_of_project_month(o.project.start_date, 6))
    submitted_on = None
    status = Deliverable.Status.PLANNED


class UpdateFactory(DjangoModelFactory):
    class Meta:
        model = Update

    project = factory.SubFactory(ProjectFactory)
    kind = Update.Kind.NEWS
    title = factory.Sequence(lambda n: f"Kick-off meeting of the consortium in Ravenna ({n})")
    body = "Twelve partners from eight countries met to start the project."
    published_on = dt.date(2025, 2, 14)
    is_public = True


class CommunityFactory(DjangoModelFactory):
    class Meta:
        model = Community

    project = factory.SubFactory(ProjectFactory)
    name = factory.Sequence(lambda n: f"Community of Practice {CITIES[n % len(CITIES)][0]} {n}")
    slug = factory.Sequence(lambda n: f"cop-{n}")
    territory = factory.Sequence(lambda n: CITIES[n % len(CITIES)][0])
    country = factory.Sequence(lambda n: CITIES[n % len(CITIES)][1])
    description = "Local stakeholders who meet every quarter."
    visibility = Community.Visibility.PUBLIC
    membership_policy = Community.Policy.APPROVAL


class MembershipFactory(DjangoModelFactory):
    """An active member; ``pending=True`` and ``left=True`` give the other states."""

    class Meta:
        model = Membership

    class Params:
        pending = factory.Trait(status=Membership.Status.PENDING, joined_at=None)
        left = factory.Trait(status=Membership.Status.LEFT, left_at=aware(2025, 12, 31, 17))

    community = factory.SubFactory(CommunityFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
    status = Membership.Status.ACTIVE
    requested_at = aware(2025, 2, 3, 9)
    joined_at = aware(2025, 2, 5, 14)
    left_at = None


class MeetingFactory(DjangoModelFactory):
    """A three-hour in-person CoP meeting in Berlin on 2025-05-14, open to the public."""

    class Meta:
        model = Meeting

    project = factory.SubFactory(ProjectFactory)
    community = None
    kind = Meeting.Kind.COP_MEETING
    title = factory.Sequence(lambda n: f"CoP meeting: access to the labour market ({n})")
    starts_at = aware(2025, 5, 14, 10)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    timezone = "Europe/Berlin"
    format = Meeting.Format.IN_PERSON
    venue = "Nachbarschaftshaus Urbanstraße"
    address = "Urbanstraße 21, 10961 Berlin"
    city = "Berlin"
    country = "DE"
    language = "de"
    capacity = 30
    registration_opens_at = None
    registration_closes_at = None
    audience = Meeting.Audience.PUBLIC
    status = Meeting.Status.SCHEDULED


class RegistrationFactory(DjangoModelFactory):
    """A confirmed registration made a week before the meeting."""

    class Meta:
        model = Registration

    class Params:
        waitlisted = factory.Trait(status=Registration.Status.WAITLISTED)
        cancelled = factory.Trait(
            status=Registration.Status.CANCELLED,
            cancelled_at=factory.LazyAttribute(lambda o: o.meeting.starts_at - dt.timedelta(days=1)),
        )
        checked_in = factory.Trait(checked_in_at=factory.SelfAttribute("meeting.starts_at"))

    meeting = factory.SubFactory(MeetingFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.CONFIRMED
    created_at = factory.LazyAttribute(lambda o: o.meeting.starts_at - dt.timedelta(days=7))
    cancelled_at = None
    sector = Registration.Sector.CIVIL_SOCIETY
    access_needs = ""
    access_needs_consent_at = factory.LazyAttribute(lambda o: o.created_at if o.access_needs else None)
    interpretation_language = ""
    consent_to_list = False
    checked_in_at = None


class ProgressReportFactory(DjangoModelFactory):
    """A queued English report on the project's first half-year, version 1."""

    class Meta:
        model = ProgressReport

    class Params:
        done = factory.Trait(
            status=ProgressReport.Status.DONE,
            file=factory.LazyAttribute(
                lambda o: f"reports/{o.project.slug}-{o.period_end}-{o.language}-v{o.version}.pdf"
            ),
            sha256=factory.LazyAttribute(lambda o: hashlib.sha256(o.file.encode()).hexdigest()),
            started_at=aware(2025, 7, 1, 11, 58),
            finished_at=aware(2025, 7, 1, 12),
        )
        failed = factory.Trait(
            status=ProgressReport.Status.FAILED,
            error_message="WeasyPrint could not render the report.",
            started_at=aware(2025, 7, 1, 11, 58),
            finished_at=aware(2025, 7, 1, 12),
        )
        # Submitted to the funder (the only versions funder officers see): a "submitted" step
        # of the report's reporting period, which is created if need be.
        submitted = factory.Trait(submitted_in=factory.LazyAttribute(lambda o: _submission_step(o)))

    project = factory.SubFactory(ProjectFactory)
    period_start = factory.SelfAttribute("project.start_date")
    period_end = factory.LazyAttribute(lambda o: end_of_project_month(o.period_start, 6))
    language = ProgressReport.Language.ENGLISH
    version = 1
    status = ProgressReport.Status.QUEUED
    file = ""
    sha256 = ""
    error_message = ""
    requested_by = factory.SubFactory(UserFactory)


def _submission_step(report: object) -> ReportingStep:
    period, _created = ReportingPeriod.objects.get_or_create(
        project=report.project,
        period_start=report.period_start,
        period_end=report.period_end,
        defaults={"status": ReportingPeriod.Status.SUBMITTED},
    )
    return ReportingStepFactory(period=period, actor=None)


class IndicatorFactory(DjangoModelFactory):
    """A manual output indicator: 40 participants against a baseline of 0."""

    class Meta:
        model = Indicator

    project = factory.SubFactory(ProjectFactory)
    code = factory.Sequence(lambda n: f"O{n + 1}")
    kind = Indicator.Kind.OUTPUT
    name = "People trained in participatory methods"
    name_de = "In partizipativen Methoden geschulte Personen"
    unit = "people"
    unit_de = "Personen"
    baseline = Decimal("0")
    target = Decimal("40")
    source = Indicator.Source.MANUAL


class BudgetLineFactory(DjangoModelFactory):
    """Staff costs of a partner that takes part in the project (its participation is created)."""

    class Meta:
        model = BudgetLine

    project = factory.SubFactory(ProjectFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    category = BudgetLine.Category.STAFF
    planned = Decimal("100000.00")
    currency = "EUR"

    @factory.post_generation
    def participation(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and not Participation.objects.filter(project=self.project, organisation=self.organisation).exists():
            ParticipationFactory(project=self.project, organisation=self.organisation)


class ReportingPeriodFactory(DjangoModelFactory):
    """The project's first half-year, in draft."""

    class Meta:
        model = ReportingPeriod

    project = factory.SubFactory(ProjectFactory)
    period_start = factory.SelfAttribute("project.start_date")
    period_end = factory.LazyAttribute(lambda o: end_of_project_month(o.period_start, 6))
    status = ReportingPeriod.Status.DRAFT


class ReportingStepFactory(DjangoModelFactory):
    class Meta:
        model = ReportingStep

    period = factory.SubFactory(ReportingPeriodFactory)
    action = ReportingStep.Action.SUBMITTED
    actor = factory.SubFactory(UserFactory)
    comment = ""


class WorkPackageNarrativeFactory(DjangoModelFactory):
    class Meta:
        model = WorkPackageNarrative

    period = factory.SubFactory(ReportingPeriodFactory)
    work_package = factory.SubFactory(WorkPackageFactory, project=factory.SelfAttribute("..period.project"))
    activities = "Two meetings of the local Community of Practice."
    activities_de = "Zwei Treffen der lokalen Community of Practice."
    results = "A shared needs analysis."
    deviations = ""
    risks = "Low turnout in summer; mitigated by meeting online."


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    period = factory.SubFactory(ReportingPeriodFactory)
    indicator = factory.SubFactory(IndicatorFactory, project=factory.SelfAttribute("..period.project"))
    value = Decimal("12")


class BudgetSpendFactory(DjangoModelFactory):
    class Meta:
        model = BudgetSpend

    period = factory.SubFactory(ReportingPeriodFactory)
    budget_line = factory.SubFactory(BudgetLineFactory, project=factory.SelfAttribute("..period.project"))
    amount = Decimal("25000.00")
