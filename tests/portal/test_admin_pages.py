"""The Django admin: every page renders, changelists keep a constant number of queries,
and the consortium inline keeps a project to one coordinator.

The models under test come from the admin registry itself, so a model registered later
is tested without anybody remembering to add it here; it only needs a builder in
BUILDERS, and the tests say so when it has none. That includes the admins of installed
packages (allauth's e-mail addresses, axes' login records), which the platform admin uses.
What a coordinator sees of all this is tested in test_admin_scoping.py.
"""

import datetime as dt
import itertools
import uuid
from collections.abc import Callable
from urllib.parse import urlencode

import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django import forms
from django.apps import apps
from django.contrib import admin, messages
from django.contrib.auth.models import Group
from django.contrib.messages import get_messages
from django.db.models import Model
from django.http import HttpRequest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audit.changes import ChangeAction, change_record
from audit.models import AccessKind, PersonalDataAccess
from events.models import Community, Meeting, Registration
from outbox.models import Message, SentMark
from partners.models import Contact, Organisation
from portal.accounts.api_tokens import api_token_create
from portal.models import Invitation, LegalText, PrivacyAcceptance, PrivacyNotice
from projects.models import Deliverable, DeliverableStatusChange, Participation, Project, ProjectRole
from tests.factories import (
    BudgetLineFactory,
    BudgetSpendFactory,
    CommunityFactory,
    ContactFactory,
    DeliverableFactory,
    FundingProgrammeFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    MeetingFactory,
    MembershipFactory,
    OrganisationFactory,
    ParticipationFactory,
    ProgressReportFactory,
    ProjectFactory,
    ProjectRoleFactory,
    RegistrationFactory,
    ReportingStepFactory,
    UpdateFactory,
    UserFactory,
    WorkPackageFactory,
    WorkPackageNarrativeFactory,
)
from tests.query_counts import assert_no_more_queries, queries

pytestmark = pytest.mark.django_db

OUR_APPS = {"audit", "partners", "projects", "events", "reports", "portal"}
ADMIN_MODELS = sorted(admin.site._registry, key=lambda model: model._meta.label)
OUR_ADMIN_MODELS = [model for model in ADMIN_MODELS if model._meta.app_label in OUR_APPS]
COORDINATOR = Participation.Role.COORDINATOR

_group_numbers = itertools.count(1)
_numbers = itertools.count(1)


# --- One object per model --------------------------------------------------------------
# Every optional foreign key is filled, so a changelist column that follows one without
# list_select_related shows up as a query per row.


def _project() -> Project:
    project = ProjectFactory()
    ParticipationFactory(project=project, role=COORDINATOR)
    ParticipationFactory(project=project)
    return project


def _deliverable() -> Deliverable:
    project = ProjectFactory()
    work_package = WorkPackageFactory(project=project, lead_organisation=OrganisationFactory())
    return DeliverableFactory(project=project, work_package=work_package, lead_organisation=OrganisationFactory())


def _meeting() -> Meeting:
    project = ProjectFactory()
    return MeetingFactory(project=project, community=CommunityFactory(project=project))


def _email_address() -> EmailAddress:
    user = UserFactory()
    return EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


def _authenticator():
    from tests.two_factor import enrol

    user = UserFactory()
    enrol(user)
    return user.authenticator_set.get(type="totp")


def _login_record(model: type[Model], **values) -> Model:
    """A row as django-axes writes it for a failed login at the admin."""
    return model.objects.create(
        user_agent="Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0",
        ip_address=f"192.0.2.{next(_numbers) % 250 + 1}",
        username="anna@example.org",
        http_accept="text/html",
        path_info="/admin/login/",
        **values,
    )


def _invitation() -> Invitation:
    project = ProjectFactory()
    return Invitation.objects.create(
        email=f"invitee{next(_numbers)}@example.org",
        project=project,
        role=ProjectRole.Role.PARTNER_STAFF,
        organisation=ParticipationFactory(project=project).organisation,
        invited_by=UserFactory(),
    )


def _change_entry() -> Model:
    meeting = _meeting()
    return change_record(
        actor=UserFactory(),
        instance=meeting,
        action=ChangeAction.UPDATE,
        before={"title": "Old"},
        after={"title": meeting.title},
        project_id=meeting.project_id,
    )


def _api_token() -> Model:
    token, _secret = api_token_create(user=UserFactory(), name=f"Script {next(_numbers)}", scopes=["read"])
    return token


BUILDERS: dict[str, Callable[[], Model]] = {
    "auditlog.LogEntry": _change_entry,
    "account.EmailAddress": _email_address,
    "mfa.Authenticator": lambda: _authenticator(),
    "auth.Group": lambda: Group.objects.create(name=f"Editors {next(_group_numbers)}"),
    "axes.AccessAttempt": lambda: _login_record(
        AccessAttempt, get_data="", post_data="username=anna%40example.org", failures_since_start=2
    ),
    "axes.AccessFailureLog": lambda: _login_record(AccessFailureLog, locked_out=False),
    "axes.AccessLog": lambda: _login_record(AccessLog),
    "audit.PersonalDataAccess": lambda: _personal_data_access(),
    "events.Community": CommunityFactory,
    "events.Meeting": _meeting,
    "events.Membership": MembershipFactory,
    "events.Registration": lambda: RegistrationFactory(meeting=_meeting()),
    "events.CalendarFeedToken": lambda: _calendar_feed_token(),
    "partners.Contact": ContactFactory,
    "partners.Organisation": OrganisationFactory,
    "portal.Invitation": _invitation,
    "portal.ApiToken": _api_token,
    "portal.LegalText": lambda: LegalText.objects.create(kind=LegalText.Kind.IMPRINT, text="Operator Ltd."),
    "portal.PrivacyNotice": lambda: PrivacyNotice.objects.create(version=f"2027-{next(_numbers)}", text="Operator"),
    "portal.PrivacyAcceptance": lambda: PrivacyAcceptance.objects.create(
        user=UserFactory(), version="2027-01", occasion=PrivacyAcceptance.Occasion.SIGN_IN
    ),
    "outbox.Message": lambda: Message.objects.create(
        task="events.send_registration_notice", args=[1, "confirmed"], status="dead", attempts=8, last_error="refused"
    ),
    "outbox.SentMark": lambda: SentMark.objects.create(key=f"events:membership:1:requested:{uuid.uuid4().hex}:2"),
    "portal.User": lambda: UserFactory(organisation=OrganisationFactory()),
    "projects.Deliverable": _deliverable,
    "projects.DeliverableStatusChange": lambda: DeliverableStatusChange.objects.create(
        deliverable=_deliverable(), status=Deliverable.Status.IN_PROGRESS
    ),
    "projects.FundingProgramme": FundingProgrammeFactory,
    "projects.Participation": ParticipationFactory,
    "projects.Project": _project,
    "projects.ProjectRole": lambda: ProjectRoleFactory(partner_staff=True, granted_by=UserFactory()),
    "projects.Update": UpdateFactory,
    "projects.WorkPackage": lambda: WorkPackageFactory(lead_organisation=OrganisationFactory()),
    "reports.ProgressReport": lambda: ProgressReportFactory(done=True),
    "reports.ReportDownload": lambda: _report_download(),
    "reports.ReportingPeriod": lambda: ReportingStepFactory().period,
    "reports.ReportingStep": ReportingStepFactory,
    "reports.WorkPackageNarrative": WorkPackageNarrativeFactory,
    "reports.IndicatorValue": IndicatorValueFactory,
    "reports.BudgetSpend": BudgetSpendFactory,
    "projects.Indicator": lambda: IndicatorFactory(work_package=WorkPackageFactory()),
    "projects.BudgetLine": BudgetLineFactory,
}


def _report_download():
    from reports.models import ReportDownload

    report = ProgressReportFactory(done=True)
    return ReportDownload.objects.create(
        project=report.project,
        report=report,
        version=report.version,
        user=UserFactory(),
        kind=ReportDownload.Kind.REPORT,
        outcome=ReportDownload.Outcome.SERVED,
    )


def _personal_data_access() -> PersonalDataAccess:
    meeting = _meeting()
    return PersonalDataAccess.objects.create(
        viewer=UserFactory(),
        kind=AccessKind.REGISTRATION_PAGE,
        project_id=meeting.project_id,
        meeting_id=meeting.pk,
        subject=UserFactory(),
        people=1,
    )


def _calendar_feed_token():
    from events.services.calendar_feeds import calendar_feed_token_create

    return calendar_feed_token_create(user=UserFactory())


def build(model: type[Model]) -> Model:
    label = model._meta.label
    assert label in BUILDERS, f"{label} is registered in the admin: add a builder for it to BUILDERS."
    return BUILDERS[label]()


def admin_url(model: type[Model], view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser(email="admin@example.org", password="not-used-here")


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def test_every_model_of_the_portal_is_registered():
    unregistered = [
        model._meta.label
        for app in sorted(OUR_APPS)
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry
    ]
    assert not unregistered


# --- Every page renders ------------------------------------------------------------------


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_changelist_renders(superuser_client, model):
    build(model)
    response = superuser_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


def _request_as(user) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user
    return request


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_add_page_renders(superuser, superuser_client, model):
    # axes' login records are written by axes alone: their admins refuse additions.
    can_add = admin.site._registry[model].has_add_permission(_request_as(superuser))
    response = superuser_client.get(admin_url(model, "add"))
    assert response.status_code == (200 if can_add else 403)


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_change_history_and_delete_pages_render(superuser, superuser_client, model):
    obj = build(model)
    # The access log of personal data and the change log (auditlog) are deleted by their retention jobs only:
    # their admins refuse deletions.
    can_delete = admin.site._registry[model].has_delete_permission(_request_as(superuser), obj)
    for view in ("change", "history", "delete"):
        response = superuser_client.get(admin_url(model, view, obj.pk))
        assert response.status_code == (200 if can_delete or view != "delete" else 403), view


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_search_renders(superuser, superuser_client, model):
    obj = build(model)
    search_fields = admin.site._registry[model].get_search_fields(_request_as(superuser))
    assert search_fields, f"{model._meta.label} has no search"
    for term in (str(obj).split()[0], "no such thing"):
        response = superuser_client.get(admin_url(model, "changelist"), {"q": term})
        assert response.status_code == 200, term


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_every_list_filter_choice_renders(superuser_client, model):
    obj = build(model)
    url = admin_url(model, "changelist")
    changelist = superuser_client.get(url).context["cl"]
    query_strings = [choice["query_string"] for spec in changelist.filter_specs for choice in spec.choices(changelist)]
    assert len(query_strings) >= len(changelist.filter_specs)
    date_field = admin.site._registry[model].date_hierarchy
    if date_field:
        day = getattr(obj, date_field)
        if isinstance(day, dt.datetime):
            day = timezone.localtime(day)
        query_strings.append("?" + urlencode({f"{date_field}__year": day.year, f"{date_field}__month": day.month}))
    for query_string in query_strings:
        response = superuser_client.get(url + query_string)
        # An invalid lookup would redirect to ?e=1 instead.
        assert response.status_code == 200, query_string


# --- What the issue asks of each admin ------------------------------------------------------


@pytest.mark.parametrize("model", OUR_ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_admin_has_columns_search_and_filters(model):
    model_admin = admin.site._registry[model]
    assert model_admin.list_display != ("__str__",)
    assert model_admin.search_fields
    assert model_admin.list_filter


def _foreign_keys(model: type[Model], names: set[str] | None = None) -> list[str]:
    return [
        field.name
        for field in model._meta.get_fields()
        if field.many_to_one and field.concrete and field.editable and (names is None or field.name in names)
    ]


@pytest.mark.parametrize("model", OUR_ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_foreign_keys_use_autocomplete(model):
    """A plain select would load every organisation, project or user into each page."""
    model_admin = admin.site._registry[model]
    missing = [
        name
        for name in _foreign_keys(model)
        if name not in model_admin.autocomplete_fields and name not in model_admin.readonly_fields
    ]
    for inline in model_admin.inlines:
        shown = set(inline.fields) if inline.fields else None
        missing += [
            f"{inline.__name__}.{name}"
            for name in _foreign_keys(inline.model, shown)
            if inline.model._meta.get_field(name).related_model is not model
            and name not in inline.autocomplete_fields
            and name not in inline.readonly_fields
            # Limited to the parent project's few rows (projects.admin.ProjectChoicesInline).
            and name not in getattr(inline, "project_choice_fields", {})
        ]
        assert inline.show_change_link, inline.__name__
    assert not missing


@pytest.mark.parametrize("model", OUR_ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_change_form_shows_every_editable_field(superuser, model):
    """Fieldsets list fields one by one; a field added to a model must not vanish from the admin.

    Our models only: installed packages choose what their admins show (axes keeps the
    session hash of a login out of sight, and rightly so).
    """
    obj = build(model)
    model_admin = admin.site._registry[model]
    request = _request_as(superuser)
    shown = set(model_admin.get_form(request, obj).base_fields) | set(model_admin.get_readonly_fields(request, obj))
    editable = {
        field.name for field in model._meta.get_fields() if field.concrete and field.editable and not field.primary_key
    }
    assert editable <= shown, editable - shown


# --- Constant queries -------------------------------------------------------------------


@pytest.mark.parametrize("model", ADMIN_MODELS, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_rows(superuser_client, model):
    url = admin_url(model, "changelist")
    build(model)
    # Warms per-process caches (content types, ...) that only the first request fills.
    superuser_client.get(url)

    with queries() as one_row:
        assert superuser_client.get(url).status_code == 200
    for _ in range(19):
        build(model)
    with queries() as twenty_rows:
        response = superuser_client.get(url)

    assert response.context["cl"].result_count >= 20
    assert_no_more_queries(one_row, twenty_rows)


# --- Project columns and filters -------------------------------------------------------


def test_project_columns_come_from_annotations(superuser_client):
    project = ProjectFactory(acronym="EPIC-UP")
    ParticipationFactory(project=project, role=COORDINATOR, organisation=OrganisationFactory(short_name="Ravenna"))
    ParticipationFactory.create_batch(2, project=project)
    ProjectFactory(acronym="NO-PARTNERS")

    response = superuser_client.get(admin_url(Project, "changelist"))

    rows = {row.acronym: row for row in response.context["cl"].result_list}
    assert (rows["EPIC-UP"].partner_count, rows["EPIC-UP"].coordinator_name) == (3, "Ravenna")
    assert (rows["NO-PARTNERS"].partner_count, rows["NO-PARTNERS"].coordinator_name) == (0, None)
    assert "36 months" in response.content.decode()


def test_project_status_filter(superuser_client):
    today = timezone.localdate()
    year = dt.timedelta(days=365)
    ProjectFactory(acronym="PLANNED", start_date=today + year, end_date=today + 2 * year)
    ProjectFactory(acronym="RUNNING", start_date=today - year, end_date=today + year)
    ProjectFactory(acronym="CLOSED", start_date=today - 2 * year, end_date=today - year)

    for status in Project.Status.values:
        response = superuser_client.get(admin_url(Project, "changelist"), {"status": status})
        assert [row.acronym for row in response.context["cl"].result_list] == [status.upper()]


def test_project_search_by_partner_lists_each_project_once(superuser_client):
    project = ProjectFactory()
    ParticipationFactory(project=project, organisation=OrganisationFactory(name="Stadt Ravenna Nord"))
    ParticipationFactory(project=project, organisation=OrganisationFactory(name="Stadt Ravenna Süd"))

    response = superuser_client.get(admin_url(Project, "changelist"), {"q": "Ravenna"})

    assert list(response.context["cl"].result_list) == [project]


def test_deliverable_late_filter_and_columns(superuser_client):
    project = ProjectFactory(start_date=dt.date(2025, 1, 1))
    late = DeliverableFactory(project=project, code="D1.1", due_date=timezone.localdate() - dt.timedelta(days=1))
    DeliverableFactory(project=project, code="D1.2", due_date=timezone.localdate() + dt.timedelta(days=30))
    DeliverableFactory(project=project, code="D1.3", due_date=dt.date(2025, 6, 30), submitted=True)
    url = admin_url(Deliverable, "changelist")

    def codes(late: str) -> set[str]:
        response = superuser_client.get(url, {"late": late})
        return {row.code for row in response.context["cl"].result_list}

    assert codes("yes") == {late.code}
    assert codes("no") == {"D1.2", "D1.3"}
    assert "M6" in superuser_client.get(url).content.decode()


def test_meeting_counts_confirmed_and_waitlisted(superuser_client):
    meeting = MeetingFactory()
    RegistrationFactory.create_batch(3, meeting=meeting)
    RegistrationFactory.create_batch(2, meeting=meeting, waitlisted=True)
    RegistrationFactory(meeting=meeting, cancelled=True)

    response = superuser_client.get(admin_url(Meeting, "changelist"))

    (row,) = response.context["cl"].result_list
    assert (row.confirmed_count, row.waitlisted_count) == (3, 2)


def test_registration_filter_by_project(superuser_client):
    registration = RegistrationFactory()
    RegistrationFactory()

    response = superuser_client.get(
        admin_url(Registration, "changelist"),
        {"meeting__project__id__exact": registration.meeting.project_id},
    )

    assert list(response.context["cl"].result_list) == [registration]


# --- Posting change pages as the browser would ----------------------------------------------


def _form_values(form: forms.BaseForm) -> dict[str, str | list[str]]:
    """What the browser sends for ``form`` when nobody touches it."""
    data: dict[str, str | list[str]] = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        if isinstance(field, forms.BooleanField):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(field.widget, forms.MultiWidget):
            for index, part in enumerate(field.widget.decompress(value)):
                data[f"{bound.html_name}_{index}"] = "" if part is None else str(part)
        elif isinstance(value, list | tuple):
            data[bound.html_name] = [str(item) for item in value]
        else:
            data[bound.html_name] = "" if value is None else str(value)
    return data


def _resubmitted(response) -> dict[str, str | list[str]]:
    """The POST body a change page sends back when nothing is touched."""
    data = _form_values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        for form in (inline.formset.management_form, *inline.formset.forms):
            data |= _form_values(form)
    return data


def _inline_formset(response, model: type[Model]) -> forms.BaseFormSet:
    (formset,) = [
        inline.formset for inline in response.context["inline_admin_formsets"] if inline.formset.model is model
    ]
    return formset


def _add_inline_row(response, data: dict, model: type[Model], values: dict[str, str]) -> None:
    """Fill in the next empty row of the ``model`` inline, as "Add another" would."""
    formset = _inline_formset(response, model)
    index = int(data[f"{formset.prefix}-TOTAL_FORMS"])
    for key, value in _form_values(formset.empty_form).items():
        data[key.replace("__prefix__", str(index))] = value
    for name, value in values.items():
        data[f"{formset.prefix}-{index}-{name}"] = value
    data[f"{formset.prefix}-TOTAL_FORMS"] = str(index + 1)


# --- The consortium formset --------------------------------------------------------------


def _participation_row(data: dict, participation: Participation) -> str:
    """The form prefix ("participations-1") of the row that edits ``participation``."""
    for key, value in data.items():
        if key.startswith("participations-") and key.endswith("-id") and value == str(participation.pk):
            return key.removesuffix("-id")
    raise AssertionError(f"{participation} is not on the page")


def _change_roles(client, project: Project, roles: dict[Participation, str]):
    url = admin_url(Project, "change", project.pk)
    data = _resubmitted(client.get(url))
    for participation, role in roles.items():
        data[f"{_participation_row(data, participation)}-role"] = role
    return client.post(url, data)


def _warnings(response) -> list[str]:
    return [str(m.message) for m in get_messages(response.wsgi_request) if m.level == messages.WARNING]


def test_unchanged_project_with_a_coordinator_saves_without_warning(superuser_client):
    project = _project()

    response = _change_roles(superuser_client, project, {})

    assert response.status_code == 302
    assert _warnings(response) == []


def test_two_coordinators_are_refused_with_a_clear_error(superuser_client):
    project = ProjectFactory()
    coordinator = ParticipationFactory(project=project, role=COORDINATOR)
    partner = ParticipationFactory(project=project, organisation=OrganisationFactory(short_name="Second"))

    response = _change_roles(superuser_client, project, {partner: COORDINATOR})

    assert response.status_code == 200
    formset = _inline_formset(response, Participation)
    (error,) = formset.non_form_errors()
    assert "only one coordinator" in error and "Second" in error
    assert list(project.participations.filter(role=COORDINATOR)) == [coordinator]


def test_two_new_coordinators_on_the_add_page_are_refused(superuser_client):
    url = admin_url(Project, "add")
    page = superuser_client.get(url)
    data = _resubmitted(page) | {
        "acronym": "NEW",
        "slug": "new",
        "title": "A new project",
        "programme": str(FundingProgrammeFactory().pk),
        "start_date": "2026-01-01",
        "end_date": "2028-12-31",
    }
    for organisation in OrganisationFactory.create_batch(2):
        _add_inline_row(page, data, Participation, {"organisation": str(organisation.pk), "role": COORDINATOR})

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "only one coordinator" in str(_inline_formset(response, Participation).non_form_errors())
    assert not Project.objects.filter(slug="new").exists()


def test_no_coordinator_is_accepted_with_a_warning(superuser_client):
    project = ProjectFactory()
    coordinator = ParticipationFactory(project=project, role=COORDINATOR)

    response = _change_roles(superuser_client, project, {coordinator: Participation.Role.PARTNER})

    assert response.status_code == 302
    assert not project.participations.filter(role=COORDINATOR).exists()
    assert _warnings(response) == ["This project has no coordinator on record."]


def test_coordinator_role_moves_to_another_partner_in_one_save(superuser_client):
    """The new coordinator sorts before the old one ("associated" < "coordinator"), so a
    naive save would briefly make two coordinators and hit the database constraint."""
    project = ProjectFactory()
    old = ParticipationFactory(project=project, role=COORDINATOR)
    new = ParticipationFactory(project=project, role=Participation.Role.ASSOCIATED)

    response = _change_roles(superuser_client, project, {old: Participation.Role.PARTNER, new: COORDINATOR})

    assert response.status_code == 302
    assert list(project.participations.filter(role=COORDINATOR)) == [new]
    assert _warnings(response) == []


# --- Other inlines whose rules the single form cannot see ------------------------------------


def test_contact_inline_refuses_an_email_twice_whatever_its_case(superuser_client):
    organisation = OrganisationFactory()
    ContactFactory(organisation=organisation, email="anna.schmidt@example.org")
    url = admin_url(Organisation, "change", organisation.pk)
    page = superuser_client.get(url)
    data = _resubmitted(page)
    _add_inline_row(page, data, Contact, {"name": "Anna Schmidt", "email": "Anna.Schmidt@example.org"})

    response = superuser_client.post(url, data)

    assert response.status_code == 200
    assert "is given for more than one contact" in str(_inline_formset(response, Contact).non_form_errors())
    assert organisation.contacts.count() == 1


@pytest.mark.parametrize(
    ("earlier", "accepted"),
    [(Registration.Status.CONFIRMED, False), (Registration.Status.CANCELLED, True)],
)
def test_registration_inline_allows_one_active_registration_per_person(superuser_client, earlier, accepted):
    meeting = MeetingFactory()
    person = UserFactory()
    RegistrationFactory(meeting=meeting, user=person, cancelled=earlier == Registration.Status.CANCELLED)
    url = admin_url(Meeting, "change", meeting.pk)
    page = superuser_client.get(url)
    data = _resubmitted(page)
    _add_inline_row(page, data, Registration, {"user": str(person.pk), "status": "confirmed"})

    response = superuser_client.post(url, data)

    assert response.status_code == (302 if accepted else 200)
    assert meeting.registrations.filter(user=person).count() == (2 if accepted else 1)
    if not accepted:
        errors = str(_inline_formset(response, Registration).non_form_errors())
        assert "registered more than once" in errors


def test_meeting_added_inside_a_community_belongs_to_the_communitys_project(superuser_client):
    community = CommunityFactory()
    url = admin_url(Community, "change", community.pk)
    page = superuser_client.get(url)
    data = _resubmitted(page)
    _add_inline_row(
        page,
        data,
        Meeting,
        {
            "title": "Second CoP meeting",
            "kind": Meeting.Kind.COP_MEETING,
            "starts_at_0": "2026-05-14",
            "starts_at_1": "10:00",
            "ends_at_0": "2026-05-14",
            "ends_at_1": "13:00",
        },
    )

    response = superuser_client.post(url, data)

    assert response.status_code == 302
    meeting = Meeting.objects.get(title="Second CoP meeting")
    assert (meeting.community, meeting.project) == (community, community.project)


# --- Users, who have no username -----------------------------------------------------------


def test_add_user_by_email(superuser_client, django_user_model):
    organisation = OrganisationFactory()
    response = superuser_client.post(
        reverse("admin:portal_user_add"),
        {
            "email": "Giulia.Rossi@Example.ORG",
            "first_name": "Giulia",
            "last_name": "Rossi",
            "preferred_language": "en",
            "organisation": organisation.pk,
            "organisation_name": "",
            "usable_password": "true",
            "password1": "a-long-Passphrase-42",
            "password2": "a-long-Passphrase-42",
        },
    )

    assert response.status_code == 302
    user = django_user_model.objects.get(email="giulia.rossi@example.org")
    assert user.check_password("a-long-Passphrase-42")
    assert (user.organisation, user.is_staff) == (organisation, False)


def test_add_user_refuses_an_address_that_differs_only_in_case(superuser_client):
    UserFactory(email="anna@example.org")

    response = superuser_client.post(
        reverse("admin:portal_user_add"),
        {"email": "ANNA@example.org", "preferred_language": "de", "usable_password": "false"},
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["email"]


# --- Deliverable status history ------------------------------------------------------------


def test_the_deliverable_page_and_the_project_inline_record_status_changes(superuser, superuser_client):
    deliverable = DeliverableFactory(code="D1.1", due_date=dt.date(2021, 6, 30))
    url = admin_url(Deliverable, "change", deliverable.pk)
    data = _resubmitted(superuser_client.get(url)) | {"status": "submitted", "submitted_on": "2021-06-20"}
    assert superuser_client.post(url, data).status_code == 302

    url = admin_url(Project, "change", deliverable.project.pk)
    response = superuser_client.get(url)
    data = _resubmitted(response)
    data[f"{_inline_formset(response, Deliverable).prefix}-0-status"] = "approved"
    assert superuser_client.post(url, data).status_code == 302

    midnight = dt.datetime.combine(dt.date(2021, 6, 20), dt.time.min, tzinfo=timezone.get_default_timezone())
    submitted, approved = DeliverableStatusChange.objects.filter(deliverable=deliverable).order_by("changed_at")
    assert (submitted.status, submitted.changed_at, submitted.changed_by) == ("submitted", midnight, superuser)
    assert (approved.status, approved.changed_by) == ("approved", superuser) and approved.changed_at > midnight
