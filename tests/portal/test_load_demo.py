"""``manage.py load_demo``: idempotent, faithful to the seeds, no real personal data."""

import datetime as dt
import io
import re
import types
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from events.models import Community, Meeting, Membership
from events.selectors.visibility import visible_meetings
from partners.models import Contact, Organisation
from portal.demo import data as demo_data
from portal.demo.loader import load_demo
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
from reports.models import ProgressReport, ReportingPeriod, WorkPackageNarrative
from reports.services.rendering import report_html

PROJECT_APPS = ["partners", "projects", "events", "reports", "portal"]
BERLIN = ZoneInfo("Europe/Berlin")
EMAIL_RE = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")


def run(*args, **options) -> str:
    out = io.StringIO()
    call_command("load_demo", *args, stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


def project_models():
    for label in PROJECT_APPS:
        yield from apps.get_app_config(label).get_models()
    # The demo accounts' verified addresses (allauth) are demo data too.
    yield apps.get_model("account", "EmailAddress")
    # And the demo staff's second factors (allauth.mfa): their authenticator app and recovery codes.
    yield apps.get_model("mfa", "Authenticator")


def snapshot() -> dict[str, list[dict]]:
    """Every row of every project model, every column."""
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in project_models()}


def serialized() -> str:
    return "\n".join(serializers.serialize("json", model._default_manager.order_by("pk")) for model in project_models())


def roles(project: Project) -> dict[str, str]:
    return {p.organisation.name: p.role for p in project.participations.select_related("organisation")}


# --- idempotency ------------------------------------------------------------------------


@pytest.mark.django_db
def test_second_run_changes_no_row_and_creates_none(settings):
    settings.PORTAL_DEMO_ACCOUNTS = True  # users, memberships and project roles are in the snapshot too
    first = run()
    assert "Demo data loaded." in first
    before = snapshot()
    assert sum(len(rows) for rows in before.values()) > 100

    second = run()

    assert snapshot() == before
    assert before["portal.User"] and before["events.Membership"] and before["projects.ProjectRole"]
    total = next(line for line in second.splitlines() if line.startswith("total"))
    created, updated, unchanged = (int(n) for n in total.split()[1:])
    assert (created, updated) == (0, 0)
    assert unchanged == sum(len(rows) for rows in before.values())
    assert "nothing changed" in second


@pytest.mark.django_db
def test_load_result_counts_per_model():
    first = load_demo()
    assert first.created > 0 and first.updated == 0 and first.unchanged == 0
    assert first.counts["projects.Project"] == {"created": 5, "updated": 0, "unchanged": 0}

    second = load_demo()
    assert not second.changed_anything
    assert second.unchanged == first.created
    assert all(row["created"] == row["updated"] == 0 for row in second.counts.values())


@pytest.mark.django_db
def test_a_changed_row_is_restored_and_only_it_is_saved():
    load_demo()
    epi = Project.objects.get(slug="epi")
    untouched = {p.slug: p.updated_at for p in Project.objects.exclude(slug="epi")}
    Project.objects.filter(pk=epi.pk).update(title="Edited by hand", declared_partners=99)
    stamp_after_edit = Project.objects.get(pk=epi.pk).updated_at

    result = load_demo()

    assert result.counts["projects.Project"] == {"created": 0, "updated": 1, "unchanged": 4}
    assert result.updated == 1 and result.created == 0
    epi.refresh_from_db()
    assert epi.title == "European Pact for Integration"
    assert epi.declared_partners == 12
    assert epi.updated_at > stamp_after_edit  # an update still tells the truth
    assert {p.slug: p.updated_at for p in Project.objects.exclude(slug="epi")} == untouched


@pytest.mark.django_db
def test_edited_illustrative_notes_are_restored():
    load_demo()
    alda = Organisation.objects.get(short_name="ALDA")
    wp = WorkPackage.objects.get(project__slug="eccipa", number=2)
    news = Update.objects.get(project__slug="values")
    expected = (alda.illustrative_note, wp.illustrative_note, news.illustrative_note)
    for obj in (alda, wp, news):
        type(obj).objects.filter(pk=obj.pk).update(illustrative_note="")

    result = load_demo()

    for model in (Organisation, WorkPackage, Update):
        assert result.counts[model._meta.label]["updated"] == 1
    assert result.updated == 3 and result.created == 0
    for obj in (alda, wp, news):
        obj.refresh_from_db()
    assert (alda.illustrative_note, wp.illustrative_note, news.illustrative_note) == expected


@pytest.mark.django_db
def test_a_changed_password_is_reset_but_a_correct_one_is_not_rehashed():
    load_demo(with_accounts=True)
    User = get_user_model()
    hashes = dict(User.objects.values_list("email", "password"))
    member = User.objects.get(email="member@example.org")
    member.set_password("something else")
    member.save()

    result = load_demo(with_accounts=True)

    accounts = len(demo_data.DEMO_ACCOUNTS)
    assert result.counts["portal.User"] == {"created": 0, "updated": 1, "unchanged": accounts - 1}
    member.refresh_from_db()
    assert member.check_password("demo-portal")
    for email, password in User.objects.exclude(pk=member.pk).values_list("email", "password"):
        assert password == hashes[email]


@pytest.mark.django_db
def test_everything_or_nothing():
    broken = types.SimpleNamespace(**{k: getattr(demo_data, k) for k in dir(demo_data) if k.isupper()})
    broken.PROJECTS = [*demo_data.PROJECTS, {**demo_data.EPI, "slug": "broken", "end_date": dt.date(2019, 1, 1)}]

    with pytest.raises(ValidationError):
        load_demo(data=broken)

    assert all(not rows for rows in snapshot().values())


# --- faithful to the seeds --------------------------------------------------------------


@pytest.mark.django_db
def test_epic_up_coordinator_and_declared_consortium():
    run()
    epic = Project.objects.get(slug="epic-up")
    assert epic.acronym == "EPIC UP"
    assert epic.programme.short_name == "AMIF"
    assert roles(epic) == {"European Association for Local Democracy": "coordinator"}
    assert (epic.declared_partners, epic.declared_associated_partners, epic.declared_countries) == (12, 13, 8)
    # Running in the demo (today is in November 2026).
    assert epic.status_on(dt.date(2026, 11, 22)) == Project.Status.RUNNING
    assert epic.illustrative_note


@pytest.mark.django_db
def test_epi_partners_roles_dates_and_grant():
    run()
    epi = Project.objects.get(slug="epi")
    assert (epi.start_date, epi.end_date) == (dt.date(2020, 1, 1), dt.date(2022, 6, 30))
    assert epi.grant_agreement == "863614"
    assert epi.programme.name == "Asylum, Migration and Integration Fund"
    assert epi.declared_partners == 12

    participations = epi.participations.select_related("organisation")
    # The seed's twelve "Projektpartner"; Pro Arbeit, Dietzenbach's technical partner, comes on top.
    listed = [p for p in participations if p.organisation.short_name != "Pro Arbeit"]
    assert len(listed) == 12
    by_role = {}
    for p in listed:
        by_role.setdefault(p.role, set()).add(p.organisation.short_name or p.organisation.name)
    assert by_role["coordinator"] == {"PATRIR"}
    assert by_role["technical"] == {
        "Comunità Brianza",
        "Association of Intercultural Cities",
        "Creative Ideas",
        "Tree Agency",
    }
    assert by_role["partner"] == {
        "ADLE Cartagena",
        "Cluj-Napoca",
        "Dietzenbach",
        "Linköping",
        "Lublin",
        "Ravenna",
        "Riga",
    }
    countries = {p.organisation.country.code for p in listed}
    assert countries == {"ES", "RO", "DE", "SE", "PL", "IT", "LV", "EE"}

    coordinator = epi.participations.get(role="coordinator")
    assert "illustrative" in coordinator.description
    assert "PATRIR" in epi.illustrative_note

    pro_arbeit = epi.participations.get(organisation__short_name="Pro Arbeit")
    assert pro_arbeit.role == Participation.Role.TECHNICAL
    assert "Dietzenbach" in pro_arbeit.description and "RoOF" in pro_arbeit.description
    assert "48%" in epi.summary and "10,000" in epi.summary
    assert Community.objects.filter(project=epi, description__contains="15-to-under-25").exists()


# The consortium figures every list shows: declared where the seed declares them, with what is
# recorded here when that differs.
EPIC_UP_FIGURES = "12 partners + 13 associated partners, 8 countries"
EPIC_UP_RECORDED = "(1 partner, 0 associated partners, 1 country recorded here)"
EPI_FIGURES = "12 partners, 8 countries (13 partners recorded here)"


@pytest.mark.django_db
def test_seed_facts_of_the_consortia():
    run()
    epic = Project.objects.get(slug="epic-up")
    epi = Project.objects.get(slug="epi")
    # EPIC UP: "12 partner organizations and 13 associated partners from 8 EU countries".
    assert (epic.declared_partners, epic.declared_associated_partners, epic.declared_countries) == (12, 13, 8)
    # EPI: "7 europäischen Städten und 5 technischen Partnern" from eight countries.
    assert (epi.declared_partners, epi.declared_associated_partners, epi.declared_countries) == (12, None, 8)
    # "Für Dietzenbach übernimmt diese Funktion [technischer Partner] die Pro Arbeit".
    pro_arbeit = epi.participations.get(organisation__short_name="Pro Arbeit")
    assert (pro_arbeit.role, "Dietzenbach" in pro_arbeit.description) == (Participation.Role.TECHNICAL, True)
    # "... ist neben weiteren Bereichen der Pro Arbeit das RoOF Mitglied im Expertengremium."
    assert "RoOF" in pro_arbeit.description
    assert "RoOF" in Community.objects.get(slug="epi-dietzenbach-expert-panel").description
    # No advisory board is left in EPI: the seed names none.
    assert not epi.participations.filter(role=Participation.Role.ADVISORY).exists()


@pytest.mark.django_db
def test_declared_and_recorded_figures_on_every_list(client):
    load_demo(with_accounts=True)
    home = client.get(reverse("home")).content.decode()
    assert f"{EPIC_UP_FIGURES} {EPIC_UP_RECORDED}" in home
    catalogue = client.get(reverse("catalogue:list")).content.decode()
    assert f"{EPIC_UP_FIGURES} {EPIC_UP_RECORDED}" in catalogue
    # The catalogue and the project page agree on EPI: 12 declared, 13 listed on the page.
    assert EPI_FIGURES in catalogue
    page = client.get(reverse("catalogue:detail", args=["epi"])).content.decode()
    assert EPI_FIGURES in page and "Pro Arbeit" in page
    assert (
        f"{EPIC_UP_FIGURES} {EPIC_UP_RECORDED}"
        in client.get(reverse("catalogue:detail", args=["epic-up"])).content.decode()
    )
    client.force_login(get_user_model().objects.get(email="funder@example.org"))
    dashboard = client.get(reverse("workspace:dashboard")).content.decode()
    assert f"{EPIC_UP_FIGURES} {EPIC_UP_RECORDED}" in dashboard and EPI_FIGURES in dashboard
    workspace = client.get(reverse("workspace:project", args=["epic-up"])).content.decode()
    assert f"{EPIC_UP_FIGURES} {EPIC_UP_RECORDED}" in workspace
    german = client.get(reverse("catalogue:list"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert (
        "12 Partner + 13 assoziierte Partner, 8 Länder (hier erfasst: 1 Partner, 0 assoziierte Partner, 1 Land)"
        in german
    )


@pytest.mark.django_db
def test_the_report_states_the_declared_figures_and_invents_none():
    run()
    eccipa = Project.objects.get(slug="eccipa")
    # A version after the demo's submitted ones.
    report = ProgressReport.objects.create(
        project=eccipa, period_start=dt.date(2021, 4, 1), period_end=dt.date(2021, 6, 30), language="de", version=9
    )
    html = report_html(report=report, generated_at=dt.datetime(2021, 7, 1, tzinfo=BERLIN))
    # ECCIPA declares 5 partners from 3 countries and no associated partners: none are invented.
    assert "5 Partner, 3 Länder" in html
    assert "assoziierte" not in html


@pytest.mark.django_db
def test_events_the_seeds_describe_as_public_are_public(client):
    run()
    anonymous = set(visible_meetings(AnonymousUser()))
    # ECCIPA's multiplier events: public, outside the members-only stakeholder groups.
    multipliers = list(Meeting.objects.filter(project__slug="eccipa", kind="multiplier"))
    assert len(multipliers) == 3
    assert all(m.audience == Meeting.Audience.PUBLIC and m.community is None for m in multipliers)
    assert set(multipliers) <= anonymous
    # VALUES' final event: public, and on the project page the public reads.
    final = Meeting.objects.get(project__slug="values", title="VALUES final event")
    assert final.audience == Meeting.Audience.PUBLIC and final in anonymous
    assert "VALUES final event" in client.get(reverse("catalogue:detail", args=["values"])).content.decode()
    assert "ECCIPA multiplier event" in client.get(reverse("catalogue:detail", args=["eccipa"])).content.decode()


@pytest.mark.django_db
def test_eccipa_partners_dates_deliverables_and_meetings():
    run()
    eccipa = Project.objects.get(slug="eccipa")
    assert (eccipa.start_date, eccipa.end_date) == (dt.date(2020, 12, 1), dt.date(2023, 5, 31))
    assert eccipa.duration_months == 30
    assert roles(eccipa) == {
        "Pro Arbeit Kreis Offenbach AöR": "coordinator",
        "Consorzio Comunità Brianza": "partner",
        "Agencia de Desarrollo Local y Empleo de Cartagena": "partner",
        "ACCEM": "partner",
        "Comune di Ravenna": "partner",
    }
    assert "AMIF" in eccipa.illustrative_note

    deliverables = eccipa.deliverables.all()
    assert {d.kind for d in deliverables} >= {"report", "toolkit", "training", "manifesto", "event", "other"}
    assert deliverables.filter(title__startswith="Needs analysis").count() == 3
    assert deliverables.filter(
        title="ECCIPA programme for the development of professional skills – toolkit", kind="toolkit"
    ).exists()
    assert {d.status for d in deliverables} <= {"approved", "submitted"}
    assert all(d.illustrative_note and d.work_package_id for d in deliverables)

    focus_groups = eccipa.meetings.filter(kind=Meeting.Kind.FOCUS_GROUP)
    assert focus_groups.count() == 6
    for meeting in focus_groups:
        local = meeting.starts_at.astimezone(ZoneInfo(meeting.timezone))
        assert (local.year, local.month) == (2021, 6) and local.day <= 20  # by the third week of June
        assert meeting.reported_attendance == 20
        assert meeting.community.project_id == eccipa.pk
    assert {m.community.territory for m in focus_groups} == {"Kreis Offenbach", "Ravenna", "Cartagena"}
    assert {m.timezone for m in focus_groups} == {"Europe/Berlin", "Europe/Rome", "Europe/Madrid"}
    assert eccipa.meetings.filter(kind=Meeting.Kind.MULTIPLIER).count() == 3
    assert eccipa.communities.count() == 3


@pytest.mark.django_db
def test_values_partners_meetings_and_toolkit():
    run()
    values = Project.objects.get(slug="values")
    assert values.title == "Volunteering Activities to Leverage Urban and European Social integration of migrants"
    assert values.declared_partners == 19
    assert roles(values) == {
        "EUROCITIES": "coordinator",
        "MigrationWork": "partner",
        "European Volunteer Centre": "partner",
        "Landeshauptstadt Düsseldorf": "partner",
        "City of Oslo": "partner",
        "City of Amsterdam": "partner",
        "City of Thessaloniki": "partner",
    }
    assert "AMIF" in values.illustrative_note

    visit = values.meetings.get(kind=Meeting.Kind.STUDY_VISIT)
    assert visit.format == Meeting.Format.ONLINE
    assert visit.starts_at.astimezone(BERLIN).date() == dt.date(2021, 3, 2)
    assert visit.ends_at.astimezone(BERLIN).date() == dt.date(2021, 3, 4)
    assert "cooperation with volunteers" in visit.title
    assert visit.community.slug == "values-duesseldorf-cop"
    final = values.meetings.get(kind=Meeting.Kind.CONFERENCE)
    assert final.format == Meeting.Format.ONLINE and final.illustrative_note

    toolkit = values.deliverables.get(kind=Deliverable.Kind.TOOLKIT)
    assert toolkit.url == "https://fr.zone-secure.net/187382/.Eurocities_VALUES_project_digital_toolkit/"
    assert toolkit.status == Deliverable.Status.APPROVED
    assert values.deliverables.filter(url__contains="indd.adobe.com").exists()
    news = values.updates.get()
    assert news.kind == Update.Kind.NEWS and "Welcome Points" in news.body and "Miriam Koch" in news.body


@pytest.mark.django_db
def test_teilhabe_municipalities_meetings_and_press_without_coordinator():
    run()
    teilhabe = Project.objects.get(slug="teilhabe-neue-ankunftsquartiere")
    assert teilhabe.programme.short_name == "Stiftung Mercator"
    assert teilhabe.programme.funder.name == "Stiftung Mercator"
    assert teilhabe.declared_partners == 12
    assert set(roles(teilhabe).values()) == {"partner"}
    assert {p.organisation.short_name for p in teilhabe.participations.select_related("organisation")} == {
        "Offenbach",
        "Saalfeld",
        "Duisburg",
        "Dresden",
        "Bremerhaven",
    }
    assert not teilhabe.participations.filter(role="coordinator").exists()
    assert "coordinator" in teilhabe.illustrative_note and "inferred" in teilhabe.illustrative_note

    def local_days(title_part):
        meeting = teilhabe.meetings.get(title__contains=title_part)
        return meeting.starts_at.astimezone(BERLIN).date(), meeting.ends_at.astimezone(BERLIN).date()

    assert local_days("Duisburg") == (dt.date(2024, 6, 5), dt.date(2024, 6, 6))
    assert local_days("Dresden") == (dt.date(2025, 2, 17), dt.date(2025, 2, 18))
    assert local_days("Bremerhaven") == (dt.date(2025, 9, 29), dt.date(2025, 9, 30))
    berlin = teilhabe.meetings.get(title__contains="Berlin")
    assert berlin.starts_at.astimezone(BERLIN).date().replace(day=1) == dt.date(2024, 3, 1)
    assert berlin.community.name == "Transferbeirat"
    assert teilhabe.meetings.filter(title__contains="Wir mischen die Quartiere auf").exists()

    board = Community.objects.get(project=teilhabe, name="Transferbeirat")
    assert (board.visibility, board.membership_policy) == ("members", "invitation")

    press = teilhabe.updates.filter(kind=Update.Kind.PRESS)
    assert press.count() == 3
    assert press.filter(source="Berliner Morgenpost", body__contains="Heike Hanhörster").exists()
    assert press.filter(source__contains="AufRuhr", body__contains="Saalfeld-Beulwitz").exists()
    assert press.filter(title__contains="Wir mischen die Quartiere auf").exists()
    assert teilhabe.updates.filter(kind=Update.Kind.NEWS).count() >= 3


@pytest.mark.django_db
def test_kick_off_meeting_in_oberhausen():
    run()
    kick_off = Meeting.objects.get(project__slug="epic-up", kind=Meeting.Kind.KICK_OFF)
    assert kick_off.timezone == "Europe/Berlin"
    assert kick_off.starts_at.astimezone(BERLIN).date() == dt.date(2025, 2, 6)
    assert kick_off.city == "Oberhausen"
    assert "Leerstand" in kick_off.venue and "kitev" in kick_off.venue
    assert kick_off.reported_attendance == 30
    assert kick_off.community == Community.objects.get(slug="epic-up-oberhausen-cop")
    for item in (
        "Speed-dating",
        "Presentation of the EPIC UP project",
        "work well in Oberhausen",
        "can be improved",
        "Refugees' Kitchen",
    ):
        assert item in kick_off.agenda
    # Venue and caterer are places, not participants.
    assert not Organisation.objects.filter(name__icontains="kitev").exists()
    assert not Organisation.objects.filter(name__icontains="Refugees").exists()

    news = Update.objects.get(project__slug="epic-up")
    assert news.kind == Update.Kind.NEWS and news.published_on == dt.date(2025, 2, 7)
    assert "On February 6th, 2025" in news.body


@pytest.mark.django_db
def test_upcoming_oberhausen_cop_meetings():
    run()
    upcoming = Meeting.objects.filter(
        community__slug="epic-up-oberhausen-cop", starts_at__gte=dt.datetime(2027, 1, 1, tzinfo=BERLIN)
    )
    assert upcoming.count() >= 2
    for meeting in upcoming:
        assert meeting.starts_at.astimezone(BERLIN).year == 2027
        assert meeting.capacity and meeting.audience in ("public", "members")
        assert meeting.registration_opens_at < meeting.registration_closes_at <= meeting.starts_at
        assert meeting.status == Meeting.Status.SCHEDULED and meeting.illustrative_note


@pytest.mark.django_db
def test_the_same_organisation_is_one_row_across_projects():
    run()
    for name in [
        "Comune di Ravenna",
        "Agencia de Desarrollo Local y Empleo de Cartagena",
        "Consorzio Comunità Brianza",
        "Pro Arbeit Kreis Offenbach AöR",
    ]:
        organisation = Organisation.objects.get(name=name)
        assert set(organisation.participations.values_list("project__slug", flat=True)) == {"epi", "eccipa"}
    assert not Organisation.objects.filter(name__icontains="Stadt Ravenna").exists()
    assert Organisation.objects.filter(name__icontains="Ravenna").count() == 1
    assert Organisation.objects.filter(name__icontains="Cartagena").count() == 1


@pytest.mark.django_db
def test_funders_and_programmes():
    run()
    eu = Organisation.objects.get(name="European Union")
    assert eu.kind == "funder" and eu.country.code == "EU"
    amif = FundingProgramme.objects.get(short_name="AMIF")
    assert amif.name == "Asylum, Migration and Integration Fund" and amif.funder == eu
    mercator = Organisation.objects.get(name="Stiftung Mercator")
    assert (mercator.kind, mercator.country.code, mercator.city) == ("funder", "DE", "Essen")


@pytest.mark.django_db
def test_a_country_or_city_from_general_knowledge_is_marked():
    run()
    for short_name in [
        "EU",
        "Stiftung Mercator",
        "ALDA",
        "EUROCITIES",
        "CEV",
        "MigrationWork",
        "Pro Arbeit",
        "Oslo",
        "Amsterdam",
        "Thessaloniki",
    ]:
        organisation = Organisation.objects.get(short_name=short_name)
        assert "general knowledge" in organisation.illustrative_note, short_name
    assert "Brussels" in Organisation.objects.get(short_name="EU").illustrative_note
    # The seeds give these countries and cities ("Stadtverwaltung Cluj-Napoca/Rumänien").
    for name in ["PATRIR", "Kreisstadt Dietzenbach", "City of Cluj-Napoca", "Comune di Ravenna", "ACCEM"]:
        assert Organisation.objects.get(name=name).illustrative_note == "", name


@pytest.mark.django_db
def test_eccipa_work_packages_are_marked_in_their_note_not_their_description():
    run()
    work_packages = WorkPackage.objects.filter(project__slug="eccipa")
    assert work_packages.count() == 5
    for wp in work_packages:
        assert "illustrative" in wp.illustrative_note
        assert wp.description and "illustrative" not in wp.description


@pytest.mark.django_db
def test_illustrative_publication_dates_are_marked_on_the_update():
    run()
    # EPIC UP's news item is dated in its seed (07.02.2025).
    assert Update.objects.get(project__slug="epic-up").illustrative_note == ""
    undated = Update.objects.filter(project__slug__in=["values", "teilhabe-neue-ankunftsquartiere"])
    assert undated.count() == 9
    for update in undated:
        assert "publication date is illustrative" in update.illustrative_note, update.title
    # No longer said in the projects' notes.
    for slug in ["values", "teilhabe-neue-ankunftsquartiere"]:
        assert "news" not in Project.objects.get(slug=slug).illustrative_note


# --- personal data ----------------------------------------------------------------------


@pytest.mark.django_db
def test_no_real_contact_data_and_only_example_org_addresses():
    run(with_accounts=True)
    User = get_user_model()
    emails = [*User.objects.values_list("email", flat=True), *Contact.objects.values_list("email", flat=True)]
    assert emails and all(email.endswith("@example.org") for email in emails)

    # Password hashes and timestamps are random digits and letters; they would match the
    # phone-number fragments below by chance, so they are left out of the scan.
    dump = re.sub(r'"(password|last_login|date_joined|[a-z_]*_at)": "[^"]*"', "", serialized())
    assert set(EMAIL_RE.findall(dump)) == {"example.org"}
    for real in ["proarbeit-kreis-of.de", "Böcker", "Boecker", "Bieber"]:
        assert real not in dump
    for phone_fragment in ["8058", "6074"]:
        assert not re.search(rf"(?<![\w.:-]){phone_fragment}(?![\w])", dump)
    assert not Contact.objects.exclude(phone="").exists()


# --- demo accounts ----------------------------------------------------------------------


AMIF = {"epic-up", "epi", "values", "eccipa"}
# Every demo account: (project roles as (project slug, role, partner organisation),
# community memberships as (community slug, role), staff?). Each role is held in two
# projects, so that cross-project checks can be tried in the browser.
DEMO_ROLES: dict[str, tuple[set[tuple[str, str, str | None]], set[tuple[str, str]], bool]] = {
    "admin@example.org": (set(), set(), True),
    "coordinator@example.org": ({("eccipa", "coordinator", None)}, set(), True),
    "coordinator.epicup@example.org": ({("epic-up", "coordinator", None)}, set(), True),
    "partner@example.org": ({("eccipa", "partner_staff", "Consorzio Comunità Brianza")}, set(), False),
    "partner.epi@example.org": ({("epi", "partner_staff", "Comune di Ravenna")}, set(), False),
    "funder@example.org": ({(slug, "funder_officer", None) for slug in AMIF}, set(), False),
    "funder.mercator@example.org": ({("teilhabe-neue-ankunftsquartiere", "funder_officer", None)}, set(), False),
    "facilitator@example.org": (
        set(),
        {("epic-up-oberhausen-cop", "facilitator"), ("values-duesseldorf-cop", "facilitator")},
        False,
    ),
    "member@example.org": (set(), {("epic-up-oberhausen-cop", "member")}, False),
    "member.ravenna@example.org": (set(), {("eccipa-ravenna", "member")}, False),
}


@pytest.mark.django_db
def test_demo_accounts_created_when_the_setting_allows(settings):
    settings.PORTAL_DEMO_ACCOUNTS = True
    out = run()
    User = get_user_model()

    admin = User.objects.get(email="admin@example.org")
    assert admin.is_superuser and admin.is_staff
    coordinator = User.objects.get(email="coordinator@example.org")
    assert coordinator.is_staff and not coordinator.is_superuser
    assert coordinator.organisation.name == "Pro Arbeit Kreis Offenbach AöR"
    funder = User.objects.get(email="funder@example.org")
    assert funder.organisation.name == "European Union" and not funder.is_staff
    member = User.objects.get(email="member@example.org")
    assert not member.is_staff

    assert set(User.objects.values_list("email", flat=True)) == set(DEMO_ROLES)
    for user in User.objects.all():
        assert user.check_password("demo-portal")
        assert user.get_full_name() and user.preferred_language in ("de", "en")
        assert user.email.endswith("@example.org")
        assert user.email in out
        assert user.is_superuser == (user.email == "admin@example.org")

    membership = Membership.objects.get(user=member)
    assert membership.community.slug == "epic-up-oberhausen-cop"
    assert (membership.role, membership.status) == ("member", "active")
    assert membership.joined_at is not None
    assert "Demo logins (password: demo-portal)" in out
    assert "coordinator of ECCIPA" in out


@pytest.mark.django_db
def test_roles_of_each_demo_account():
    load_demo(with_accounts=True)
    User = get_user_model()

    for email, (project_roles, memberships, staff) in DEMO_ROLES.items():
        user = User.objects.get(email=email)
        assert user.is_staff == staff, email
        held = {
            (role.project.slug, role.role, role.organisation.name if role.organisation_id else None)
            for role in user.project_roles.select_related("project", "organisation")
        }
        assert held == project_roles, email
        joined = set(user.memberships.filter(status="active").values_list("community__slug", "role"))
        assert joined == memberships, email
        assert not user.memberships.exclude(status="active").exists()


@pytest.mark.django_db
def test_the_amif_funder_follows_every_amif_project_and_partners_work_for_a_partner():
    load_demo(with_accounts=True)
    amif = set(Project.objects.filter(programme__short_name="AMIF").values_list("slug", flat=True))
    assert amif == AMIF
    assert (
        set(ProjectRole.objects.filter(user__email="funder@example.org").values_list("project__slug", flat=True))
        == amif
    )
    for role in ProjectRole.objects.filter(role=ProjectRole.Role.PARTNER_STAFF):
        assert Participation.objects.filter(project=role.project, organisation=role.organisation).exists()
    # Each role in two projects: one person's project is the other's "somebody else's".
    for kind in ProjectRole.Role.values:
        assert ProjectRole.objects.filter(role=kind).values("project").distinct().count() >= 2, kind


@pytest.mark.django_db
def test_an_amif_project_added_by_hand_gets_no_demo_role():
    load_demo(with_accounts=True)
    amif = FundingProgramme.objects.get(short_name="AMIF")
    Project.objects.create(
        acronym="LOCAL",
        slug="local",
        title="Added by hand",
        programme=amif,
        start_date=dt.date(2026, 1, 1),
        end_date=dt.date(2027, 12, 31),
    )

    result = load_demo(with_accounts=True)

    assert not result.changed_anything
    assert not ProjectRole.objects.filter(project__slug="local").exists()


@pytest.mark.django_db
def test_demo_coordinators_see_their_own_project_in_the_admin(client):
    load_demo(with_accounts=True)
    User = get_user_model()
    for email, slug in [("coordinator@example.org", "eccipa"), ("coordinator.epicup@example.org", "epic-up")]:
        client.force_login(User.objects.get(email=email))
        response = client.get(reverse("admin:projects_project_changelist"))
        assert [project.slug for project in response.context["cl"].result_list] == [slug]


@pytest.mark.django_db
def test_no_demo_accounts_when_the_setting_forbids(settings):
    settings.PORTAL_DEMO_ACCOUNTS = False
    out = run()
    assert not get_user_model().objects.exists()
    assert not Membership.objects.exists()
    assert not ProjectRole.objects.exists()
    assert "Demo accounts skipped" in out
    assert "demo-portal" not in out


@pytest.mark.django_db
def test_with_accounts_flag_overrides_the_setting(settings):
    settings.PORTAL_DEMO_ACCOUNTS = False
    out = run("--with-accounts")
    User = get_user_model()
    assert set(User.objects.values_list("email", flat=True)) == set(DEMO_ROLES)
    assert User.objects.get(email="admin@example.org").check_password("demo-portal")
    assert "Demo logins" in out


# --- validation -------------------------------------------------------------------------


@pytest.mark.django_db
def test_every_loaded_object_passes_model_validation():
    run(with_accounts=True)
    checked = 0
    for model in project_models():
        if model._meta.label == "mfa.Authenticator":
            continue  # allauth writes these itself; its model allows no blank last_used_at in forms
        for obj in model._default_manager.all():
            obj.full_clean()
            checked += 1
    assert checked > 100


@pytest.mark.django_db
def test_meetings_are_aware_and_in_known_time_zones():
    run()
    for meeting in Meeting.objects.all():
        assert meeting.starts_at.tzinfo is not None
        assert meeting.ends_at >= meeting.starts_at
        ZoneInfo(meeting.timezone)


@pytest.mark.django_db
def test_demo_accounts_can_sign_in_without_a_confirmation_mail(client, settings, mailoutbox):
    settings.PORTAL_DEMO_ACCOUNTS = True
    call_command("load_demo", stdout=io.StringIO())
    response = client.post(reverse("account_login"), {"login": "member@example.org", "password": "demo-portal"})
    assert response.status_code == 302
    assert response["Location"] != reverse("account_email_verification_sent")
    assert mailoutbox == []
    assert client.get(reverse("workspace:dashboard")).status_code == 200


# --- The reporting plan and the Q2 2021 report of ECCIPA ----------------------------------------


@pytest.mark.django_db
def test_programmes_say_whether_they_spend_eu_money():
    run()
    # AMIF is an EU fund; Stiftung Mercator a private foundation.
    assert FundingProgramme.objects.get(short_name="AMIF").eu_funded is True
    assert FundingProgramme.objects.get(short_name="Stiftung Mercator").eu_funded is False


@pytest.mark.django_db
def test_eccipa_indicators_from_the_seed_and_marked_where_invented():
    run()
    indicators = {i.code: i for i in Indicator.objects.filter(project__slug="eccipa")}
    # "10 Interviews in jedem Gebiet", three territories; the seed gives the target, so no mark.
    assert (indicators["O1"].target, indicators["O1"].source, indicators["O1"].illustrative_note) == (30, "manual", "")
    assert indicators["O1"].work_package.title == "Needs analysis"
    # The counted ones: meetings held, participants, participants by sector, deliverables delivered.
    assert {i.source for i in indicators.values() if i.is_computed} == {
        "meetings_held",
        "participants",
        "participants_by_sector",
        "deliverables_delivered",
    }
    # Eight products in the seed's list.
    assert indicators["O4"].target == 8 and indicators["O4"].source == "deliverables_delivered"
    # The number of trainees and of local strategies: not in the seed, so marked.
    assert indicators["R2"].illustrative_note and indicators["R3"].illustrative_note
    assert {i.kind for i in indicators.values()} == {"output", "result"}
    assert all(i.name and i.name_de for i in indicators.values())


@pytest.mark.django_db
def test_eccipa_budget_lines_per_partner_are_illustrative_and_add_up():
    run()
    eccipa = Project.objects.get(slug="eccipa")
    lines = list(BudgetLine.objects.filter(project=eccipa).select_related("organisation"))
    partners = {p.organisation_id for p in eccipa.participations.all()}
    assert {line.organisation_id for line in lines} == partners
    assert all(line.illustrative_note and line.currency == "EUR" for line in lines)
    assert sum(line.planned for line in lines) == eccipa.total_budget


@pytest.mark.django_db
def test_eccipa_q2_2021_period_with_the_needs_review_narrative_submitted_to_the_funder(settings):
    settings.PORTAL_DEMO_ACCOUNTS = True
    run()
    period = ReportingPeriod.objects.get(
        project__slug="eccipa", period_start=dt.date(2021, 4, 1), period_end=dt.date(2021, 6, 30)
    )
    # Submitted by the demo coordinator through the workflow: one version per language,
    # finished, hashed and frozen, for funder@example.org to acknowledge or return.
    assert period.status == ReportingPeriod.Status.SUBMITTED
    [step] = period.steps.all()
    assert (step.action, step.actor.email) == ("submitted", "coordinator@example.org")
    versions = ProgressReport.objects.filter(submitted_in=step)
    assert sorted(versions.values_list("language", flat=True)) == ["de", "en"]
    assert all(v.status == "done" and len(v.sha256) == 64 for v in versions)
    [narrative] = period.narratives.select_related("work_package")
    assert narrative.work_package.title == "Needs analysis"
    # The seed's figures, in both languages.
    assert "10 interviews in each territory" in narrative.activities
    assert "10 Interviews in jedem Gebiet" in narrative.activities_de
    assert "about 20 local stakeholders" in narrative.activities and "third week of June 2021" in narrative.activities
    assert all(getattr(narrative, name) and getattr(narrative, f"{name}_de") for name in narrative.TEXTS)
    assert "12-month training" in period.next_period_plan and "12-monatige" in period.next_period_plan_de
    values = {v.indicator.code: v.value for v in period.indicator_values.select_related("indicator")}
    assert values == {"O1": 30, "R2": 0, "R3": 0}
    spends = list(period.budget_spends.select_related("budget_line"))
    assert spends and all(s.budget_line.illustrative_note for s in spends)


@pytest.mark.django_db
def test_a_submitted_period_is_left_alone_by_a_second_run():
    run()
    period = ReportingPeriod.objects.get(project__slug="eccipa", period_start=dt.date(2021, 4, 1))
    ReportingPeriod.objects.filter(pk=period.pk).update(status=ReportingPeriod.Status.SUBMITTED)
    WorkPackageNarrative.objects.filter(period=period).update(risks="Edited before submitting.")
    result = load_demo()
    assert not result.changed_anything
    period.refresh_from_db()
    assert period.status == ReportingPeriod.Status.SUBMITTED
    assert period.narratives.get().risks == "Edited before submitting."
