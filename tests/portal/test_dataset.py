"""manage.py make_dataset: proportions, determinism, database constraints, flushing."""

import time
from collections import Counter

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import Count, Q

from events.models import Community, Meeting, Membership, Registration
from partners.models import Organisation
from portal.dataset import vocabulary
from portal.dataset.builder import build_dataset, flush_dataset
from projects.models import Deliverable, Participation, Project, ProjectRole, Update, WorkPackage
from tests.factories import OrganisationFactory, ProjectFactory, RegistrationFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=False)

SCALE = 0.04  # 2 projects, 200 meetings, ~4,000 registrations


def snapshot() -> dict:
    """What two runs with the same seed must agree on."""
    generated = Project.objects.filter(slug__startswith=vocabulary.MARK)
    return {
        "organisations": list(
            Organisation.objects.filter(illustrative_note=vocabulary.NOTE)
            .order_by("name", "country")
            .values_list("name", "country", "kind", "city")
        ),
        "projects": list(generated.order_by("slug").values_list("slug", "title", "is_public", "start_date")),
        "communities": list(
            Community.objects.filter(project__in=generated).order_by("slug").values_list("slug", "name")
        ),
        "meetings": list(
            Meeting.objects.filter(project__in=generated)
            .order_by("project__slug", "starts_at")
            .values_list("title", "starts_at", "audience")
        ),
        "users": list(
            get_user_model()
            .objects.filter(email__startswith=vocabulary.MARK)
            .order_by("email")
            .values_list("email", "first_name", "last_name")
        ),
        "registrations": Registration.objects.filter(meeting__project__in=generated).count(),
        "statuses": sorted(
            Counter(
                Registration.objects.filter(meeting__project__in=generated).values_list("status", flat=True)
            ).items()
        ),
        "participations": Participation.objects.filter(project__in=generated).count(),
        "deliverables": Deliverable.objects.filter(project__in=generated).count(),
    }


def test_small_scale_has_the_expected_proportions():
    report = build_dataset(scale=SCALE, seed=3)

    projects = Project.objects.filter(slug__startswith=vocabulary.MARK)
    assert projects.count() == 2
    assert Organisation.objects.filter(illustrative_note=vocabulary.NOTE).count() == 20
    assert get_user_model().objects.filter(email__startswith=vocabulary.MARK).count() == 200
    assert Community.objects.filter(project__in=projects).count() == 8
    assert Meeting.objects.filter(project__in=projects).count() == 200
    registrations = Registration.objects.filter(meeting__project__in=projects).count()
    assert 200 * 5 <= registrations <= 200 * 35
    assert report.counts["events.Registration"] == registrations
    for project in projects.annotate(
        partners=Count("participations", distinct=True),
        coordinators=Count("participations", filter=Q(participations__role="coordinator"), distinct=True),
    ):
        assert 5 <= project.partners <= 15
        assert project.coordinators == 1
    assert WorkPackage.objects.filter(project__in=projects).count() >= 10
    assert Deliverable.objects.filter(project__in=projects).count() >= 20
    assert Update.objects.filter(project__in=projects).count() >= 12
    assert Membership.objects.filter(community__project__in=projects).count() >= 8 * 10
    assert ProjectRole.objects.filter(project__in=projects, role="coordinator").count() == 2
    # All three registration states occur, and e-mails stay on the reserved domain.
    assert {"confirmed", "waitlisted", "cancelled"} <= set(Registration.objects.values_list("status", flat=True))
    assert (
        not get_user_model()
        .objects.filter(email__startswith=vocabulary.MARK)
        .exclude(email__endswith="@example.org")
        .exists()
    )


def test_same_seed_gives_the_same_data_and_another_seed_does_not():
    build_dataset(scale=SCALE, seed=11)
    first = snapshot()
    flush_dataset()
    build_dataset(scale=SCALE, seed=11)
    assert snapshot() == first
    flush_dataset()
    build_dataset(scale=SCALE, seed=12)
    assert snapshot()["meetings"] != first["meetings"]


def test_flush_removes_only_generated_rows():
    real_registration = RegistrationFactory()
    real_organisation = OrganisationFactory(name="Stadt Offenbach – Amt für Integration")
    real_project = ProjectFactory(slug="teilhabe")
    real_user = UserFactory(email="anna@example.org")

    call_command("make_dataset", scale=SCALE, seed=5)
    assert Project.objects.count() > 2

    call_command("make_dataset", scale=SCALE, seed=5, flush=True)  # flush, then build again
    flush_dataset()

    assert not Project.objects.filter(slug__startswith=vocabulary.MARK).exists()
    assert not Organisation.objects.filter(illustrative_note=vocabulary.NOTE).exists()
    assert not get_user_model().objects.filter(email__startswith=vocabulary.MARK).exists()
    assert Registration.objects.get() == real_registration
    for row in (real_organisation, real_project, real_user, real_registration.meeting):
        assert type(row).objects.filter(pk=row.pk).exists()


def test_a_second_run_without_flush_is_refused():
    call_command("make_dataset", scale=SCALE)
    with pytest.raises(CommandError, match="--flush"):
        call_command("make_dataset", scale=SCALE)


def test_production_settings_are_refused_without_force(settings):
    settings.PORTAL_ENV = "production"
    with pytest.raises(CommandError, match="--force"):
        call_command("make_dataset", scale=SCALE)
    assert not Project.objects.exists()


def test_timing_of_a_tenth_of_scale_one(capsys):
    """Not a benchmark, a guard: scale 0.1 (10,000 registrations) stays far below 12 s,
    i.e. scale 1 far below two minutes."""
    started = time.perf_counter()
    report = build_dataset(scale=0.1, seed=1)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(
            f"\nmake_dataset scale 0.1 on {connection.vendor}: {seconds:.1f}s, "
            f"{sum(report.counts.values())} rows; " + ", ".join(f"{k} {v:.1f}s" for k, v in report.timings.items())
        )
    assert report.counts["events.Meeting"] == 500
    assert seconds < 12
