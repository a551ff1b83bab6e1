"""Idempotent loading of the demo data.

Each row is looked up by its natural key, its fields are compared with the data, and
it is saved only when something differs (``save(update_fields=...)``), so a second run
changes no value, not even an ``auto_now`` timestamp, and adds no row. Every row that
is written passes ``full_clean()`` first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone

from events.models import Community, Meeting, Membership, Registration
from events.services.memberships import MembershipRecord, membership_record
from partners.models import Contact, Organisation
from portal.accounts.services import user_activate_totp
from projects.models import (
    BudgetLine,
    Deliverable,
    DeliverableStatusChange,
    FundingProgramme,
    Indicator,
    Participation,
    Project,
    ProjectRole,
    Update,
    WorkPackage,
)
from projects.services import deliverable_status_record, project_role_change, project_role_grant
from reports.models import (
    BudgetSpend,
    IndicatorValue,
    ProgressReport,
    ReportingPeriod,
    ReportingStep,
    WorkPackageNarrative,
)

from . import data as demo_data
from .data.common import Bilingual

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"

# The order of the summary: lowest layer first, as in INSTALLED_APPS.
SUMMARY_ORDER = [
    "partners.Organisation",
    "partners.Contact",
    "projects.FundingProgramme",
    "projects.Project",
    "projects.Participation",
    "projects.WorkPackage",
    "projects.Deliverable",
    "projects.DeliverableStatusChange",
    "projects.Update",
    "projects.Indicator",
    "projects.BudgetLine",
    "events.Community",
    "events.Meeting",
    "events.Membership",
    "events.Registration",
    "portal.User",
    "projects.ProjectRole",
    "reports.ReportingPeriod",
    "reports.WorkPackageNarrative",
    "reports.IndicatorValue",
    "reports.BudgetSpend",
    "reports.ReportingStep",
    "reports.ProgressReport",
]


@dataclass
class Account:
    email: str
    label: str


@dataclass
class LoadResult:
    """What a run did: per model label, how many rows were created, updated or unchanged."""

    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    accounts: list[Account] = field(default_factory=list)
    accounts_loaded: bool = False
    password: str = demo_data.DEMO_PASSWORD

    def add(self, model: type[models.Model], outcome: str) -> None:
        row = self.counts.setdefault(model._meta.label, {CREATED: 0, UPDATED: 0, UNCHANGED: 0})
        row[outcome] += 1

    def rows(self) -> list[tuple[str, dict[str, int]]]:
        """(model label, counts) in summary order."""
        rank = {label: i for i, label in enumerate(SUMMARY_ORDER)}
        return sorted(self.counts.items(), key=lambda item: (rank.get(item[0], len(rank)), item[0]))

    def total(self, outcome: str) -> int:
        return sum(row[outcome] for row in self.counts.values())

    @property
    def created(self) -> int:
        return self.total(CREATED)

    @property
    def updated(self) -> int:
        return self.total(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.total(UNCHANGED)

    @property
    def changed_anything(self) -> bool:
        return bool(self.created or self.updated)


# --------------------------------------------------------------------------------------
# The upsert helper
# --------------------------------------------------------------------------------------


def _comparable(model_field: models.Field, value: Any) -> Any:
    """A value in the form the database stores, so that 'DE' equals Country('DE'),
    Decimal('1.0') equals Decimal('1.00') and aware datetimes compare as instants."""
    if model_field.is_relation:
        return value.pk if isinstance(value, models.Model) else value
    if value is None:
        return None
    return model_field.get_prep_value(model_field.to_python(value))


def changed_fields(obj: models.Model, values: Mapping[str, Any]) -> list[str]:
    """The names of the fields whose stored value differs from ``values``."""
    changed = []
    for name, new in values.items():
        model_field = obj._meta.get_field(name)
        current = getattr(obj, model_field.attname)
        if _comparable(model_field, current) != _comparable(model_field, new):
            changed.append(name)
    return changed


def _auto_now_fields(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def upsert(
    model: type[models.Model],
    lookup: Mapping[str, Any],
    values: Mapping[str, Any],
    result: LoadResult,
) -> models.Model:
    """Create or update one row, found by its natural key ``lookup``.

    ``lookup`` may use query lookups (``name__iexact``); its plain entries are also
    used when the row is created. The row is saved only when a value in ``values``
    differs, and then only those fields (plus ``auto_now`` ones, so ``updated_at``
    tells the truth).
    """
    manager = model._default_manager
    try:
        obj = manager.get(**lookup)
    except model.DoesNotExist:
        create_kwargs = {k: v for k, v in lookup.items() if "__" not in k}
        create_kwargs.update(values)
        obj = model(**create_kwargs)
        obj.full_clean()
        obj.save(force_insert=True)
        result.add(model, CREATED)
        return obj

    changed = changed_fields(obj, values)
    if not changed:
        result.add(model, UNCHANGED)
        return obj
    for name in changed:
        setattr(obj, name, values[name])
    obj.full_clean()
    obj.save(update_fields=[*changed, *(f for f in _auto_now_fields(model) if f not in changed)])
    result.add(model, UPDATED)
    return obj


def upsert_user(email: str, password: str, values: Mapping[str, Any], result: LoadResult):
    """Like :func:`upsert` for a user; the password is set only on creation or when
    ``check_password`` fails (``set_password`` salts anew, which would be a change)."""
    User = get_user_model()
    email = User.objects.normalize_email(email).lower()
    try:
        user = User.objects.get(email__iexact=email)
    except User.DoesNotExist:
        user = User(email=email, **values)
        user.set_password(password)
        user.full_clean()
        user.save(force_insert=True)
        result.add(User, CREATED)
        return user

    changed = changed_fields(user, values)
    for name in changed:
        setattr(user, name, values[name])
    if not user.check_password(password):
        user.set_password(password)
        changed.append("password")
    if changed:
        user.full_clean()
        user.save(update_fields=changed)
        result.add(User, UPDATED)
    else:
        result.add(User, UNCHANGED)
    return user


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


def texts(row: Mapping, name: str) -> dict[str, str]:
    """``name`` and ``name_de`` from a row that gives a ``Bilingual`` pair or plain strings."""
    value = row.get(name, "")
    if isinstance(value, Bilingual):
        return {name: value.english, f"{name}_de": value.german}
    return {name: value, f"{name}_de": row.get(f"{name}_de", "")}


def aware(local: str | None, tz: str) -> dt.datetime | None:
    """'YYYY-MM-DD HH:MM' wall-clock time in ``tz`` as an aware datetime."""
    if local is None:
        return None
    return dt.datetime.strptime(local, "%Y-%m-%d %H:%M").replace(tzinfo=ZoneInfo(tz))


class _Loader:
    def __init__(self, result: LoadResult):
        self.result = result
        self.organisations: dict[str, Organisation] = {}
        self.programmes: dict[str, FundingProgramme] = {}
        self.communities: dict[str, Community] = {}
        self.projects: dict[str, Project] = {}

    # Partners ----------------------------------------------------------------------

    def load_organisations(self, organisations: Mapping[str, Mapping]) -> None:
        # "EU" is a country here: settings.COUNTRIES_OVERRIDE defines it.
        for handle, row in organisations.items():
            values = {
                "name": row["name"],
                "short_name": row.get("short_name", ""),
                "kind": row["kind"],
                "country": row["country"],
                "city": row.get("city", ""),
                "website": row.get("website", ""),
                "description": row.get("description", ""),
                "illustrative_note": row.get("illustrative_note", ""),
            }
            self.organisations[handle] = upsert(
                Organisation, {"name__iexact": row["name"], "country": row["country"]}, values, self.result
            )

    def org(self, handle: str | None) -> Organisation | None:
        return self.organisations[handle] if handle else None

    def load_contacts(self, contacts: Iterable[Mapping]) -> None:
        for row in contacts:
            organisation = self.org(row["organisation"])
            upsert(
                Contact,
                {"organisation": organisation, "email__iexact": row["email"]},
                {
                    "email": row["email"],
                    "name": row["name"],
                    "position": row.get("position", ""),
                    "phone": row.get("phone", ""),
                },
                self.result,
            )

    # Projects ----------------------------------------------------------------------

    def load_programmes(self, programmes: Iterable[Mapping]) -> None:
        for row in programmes:
            self.programmes[row["short_name"]] = upsert(
                FundingProgramme,
                {"short_name": row["short_name"]},
                {
                    "name": row["name"],
                    "funder": self.org(row["funder"]),
                    "website": row.get("website", ""),
                    "description": row.get("description", ""),
                    "eu_funded": row.get("eu_funded", False),
                },
                self.result,
            )

    def load_project(self, row: Mapping) -> Project:
        project = upsert(
            Project,
            {"slug": row["slug"]},
            {
                "acronym": row["acronym"],
                **texts(row, "title"),
                **texts(row, "summary"),
                "programme": self.programmes[row["programme"]],
                "grant_agreement": row.get("grant_agreement", ""),
                "start_date": row["start_date"],
                "end_date": row["end_date"],
                "total_budget": row.get("total_budget"),
                "funder_contribution": row.get("funder_contribution"),
                "website": row.get("website", ""),
                "is_public": row.get("is_public", True),
                "declared_partners": row.get("declared_partners"),
                "declared_associated_partners": row.get("declared_associated_partners"),
                "declared_countries": row.get("declared_countries"),
                "illustrative_note": row.get("illustrative_note", ""),
            },
            self.result,
        )
        self.projects[row["slug"]] = project
        # Coordinator first: a project has one, and the database refuses a second.
        participations = sorted(row.get("participations", []), key=lambda p: p["role"] != "coordinator")
        for p in participations:
            upsert(
                Participation,
                {"project": project, "organisation": self.org(p["organisation"])},
                {
                    "role": p["role"],
                    "description": p.get("description", ""),
                    "contribution": p.get("contribution"),
                    "joined_on": p.get("joined_on"),
                    "left_on": p.get("left_on"),
                },
                self.result,
            )
        for c in row.get("communities", []):
            self.communities[c["slug"]] = upsert(
                Community,
                {"slug": c["slug"]},
                {
                    "project": project,
                    "name": c["name"],
                    "territory": c["territory"],
                    "country": c["country"],
                    **texts(c, "description"),
                    "visibility": c.get("visibility", Community.Visibility.PUBLIC),
                    "membership_policy": c.get("membership_policy", Community.Policy.APPROVAL),
                },
                self.result,
            )
        work_packages = {}
        for wp in row.get("work_packages", []):
            work_packages[wp["number"]] = upsert(
                WorkPackage,
                {"project": project, "number": wp["number"]},
                {
                    "title": wp["title"],
                    "description": wp.get("description", ""),
                    "lead_organisation": self.org(wp.get("lead_organisation")),
                    "start_date": wp.get("start_date"),
                    "end_date": wp.get("end_date"),
                    "illustrative_note": wp.get("illustrative_note", ""),
                },
                self.result,
            )
        for d in row.get("deliverables", []):
            deliverable = upsert(
                Deliverable,
                {"project": project, "code": d["code"]},
                {
                    "work_package": work_packages[d["work_package"]] if d.get("work_package") else None,
                    "title": d["title"],
                    "description": d.get("description", ""),
                    "kind": d["kind"],
                    "dissemination": d.get("dissemination", Deliverable.Dissemination.PUBLIC),
                    "due_date": d["due_date"],
                    "submitted_on": d.get("submitted_on"),
                    "lead_organisation": self.org(d.get("lead_organisation")),
                    "url": d.get("url", ""),
                    "status": d["status"],
                    "illustrative_note": d.get("illustrative_note", ""),
                },
                self.result,
            )
            # A seed's delivered deliverable is delivered from its submission date (the service's rule).
            kept = deliverable.status_changes.count()
            if deliverable_status_record(deliverable=deliverable):
                self.result.add(DeliverableStatusChange, CREATED)
            for _ in range(kept):
                self.result.add(DeliverableStatusChange, UNCHANGED)
        for m in row.get("meetings", []):
            tz = m["timezone"]
            upsert(
                Meeting,
                {"project": project, "title": m["title"]},
                {
                    "community": self.communities[m["community"]] if m.get("community") else None,
                    "kind": m["kind"],
                    **texts(m, "description"),
                    "agenda": m.get("agenda", ""),
                    "starts_at": aware(m["start"], tz),
                    "ends_at": aware(m["end"], tz),
                    "timezone": tz,
                    "format": m.get("format", Meeting.Format.IN_PERSON),
                    "venue": m.get("venue", ""),
                    "address": m.get("address", ""),
                    "city": m.get("city", ""),
                    "country": m.get("country", ""),
                    "online_link": m.get("online_link", ""),
                    "language": m.get("language", "de"),
                    "capacity": m.get("capacity"),
                    "registration_opens_at": aware(m.get("registration_opens"), tz),
                    "registration_closes_at": aware(m.get("registration_closes"), tz),
                    "audience": m.get("audience", Meeting.Audience.PUBLIC),
                    "status": m.get("status", Meeting.Status.SCHEDULED),
                    "reported_attendance": m.get("reported_attendance"),
                    "illustrative_note": m.get("illustrative_note", ""),
                },
                self.result,
            )
        for u in row.get("updates", []):
            upsert(
                Update,
                {"project": project, "title": u["title"]},
                {
                    "kind": u["kind"],
                    "title_de": u.get("title_de", ""),
                    **texts(u, "body"),
                    "published_on": u["published_on"],
                    "link": u.get("link", ""),
                    "source": u.get("source", ""),
                    "is_public": u.get("is_public", True),
                    "illustrative_note": u.get("illustrative_note", ""),
                },
                self.result,
            )
        self.load_plan(project, row, work_packages)
        return project

    # The reporting plan and reporting periods ----------------------------------------

    def load_plan(self, project: Project, row: Mapping, work_packages: Mapping[int, WorkPackage]) -> None:
        indicators = {}
        for i in row.get("indicators", []):
            indicators[i["code"]] = upsert(
                Indicator,
                {"project": project, "code": i["code"]},
                {
                    "work_package": work_packages[i["work_package"]] if i.get("work_package") else None,
                    "kind": i["kind"],
                    **texts(i, "name"),
                    **texts(i, "unit"),
                    "baseline": i.get("baseline", 0),
                    "target": i["target"],
                    "source": i["source"],
                    "illustrative_note": i.get("illustrative_note", ""),
                },
                self.result,
            )
        budget_lines = {}
        for b in row.get("budget_lines", []):
            budget_lines[b["organisation"], b["category"]] = upsert(
                BudgetLine,
                {"project": project, "organisation": self.org(b["organisation"]), "category": b["category"]},
                {
                    "planned": b["planned"],
                    "currency": b.get("currency", "EUR"),
                    "illustrative_note": b.get("illustrative_note", ""),
                },
                self.result,
            )
        for p in row.get("reporting_periods", []):
            self.load_reporting_period(project, p, work_packages, indicators, budget_lines)

    def load_reporting_period(
        self,
        project: Project,
        row: Mapping,
        work_packages: Mapping[int, WorkPackage],
        indicators: Mapping[str, Indicator],
        budget_lines: Mapping[tuple[str, str], BudgetLine],
    ) -> None:
        """A period is created in draft and its status then left alone: moving it on is the
        workflow's (and the demo's) business, and a second run must not pull it back.
        Its texts and figures are restored only while the report is the coordinator's."""
        period = ReportingPeriod.objects.filter(
            project=project, period_start=row["period_start"], period_end=row["period_end"]
        ).first()
        if period is not None and not period.is_editable:
            # Submitted: its texts and figures are what the funder received; left as they are.
            self.result.add(ReportingPeriod, UNCHANGED)
            for model, key in ((WorkPackageNarrative, "narratives"), (IndicatorValue, "indicator_values")):
                for _row in row.get(key, []):
                    self.result.add(model, UNCHANGED)
            for _row in row.get("budget_spends", []):
                self.result.add(BudgetSpend, UNCHANGED)
            # And what the demo's submission made of it (portal/demo/reports.py): its steps
            # and the versions the funder received.
            for _step in period.steps.all():
                self.result.add(ReportingStep, UNCHANGED)
            for _version in ProgressReport.objects.filter(submitted_in__period=period):
                self.result.add(ProgressReport, UNCHANGED)
            return
        before = self.result.created + self.result.updated
        period = upsert(
            ReportingPeriod,
            {"project": project, "period_start": row["period_start"], "period_end": row["period_end"]},
            texts(row, "next_period_plan"),
            self.result,
        )
        for n in row.get("narratives", []):
            upsert(
                WorkPackageNarrative,
                {"period": period, "work_package": work_packages[n["work_package"]]},
                {name: value for text in WorkPackageNarrative.TEXTS for name, value in texts(n, text).items()},
                self.result,
            )
        for v in row.get("indicator_values", []):
            upsert(
                IndicatorValue,
                {"period": period, "indicator": indicators[v["indicator"]]},
                {"value": v["value"], "comment": v.get("comment", "")},
                self.result,
            )
        for s in row.get("budget_spends", []):
            upsert(
                BudgetSpend,
                {"period": period, "budget_line": budget_lines[s["organisation"], s["category"]]},
                {"amount": s["amount"]},
                self.result,
            )
        if self.result.created + self.result.updated != before:
            # Written content makes any version rendered before it out of date, as the
            # reporting services do; an unchanged run leaves the timestamp alone.
            period.content_changed_at = timezone.now()
            period.save(update_fields=["content_changed_at"])

    # Accounts ----------------------------------------------------------------------

    def load_accounts(self, accounts: Iterable[Mapping], password: str, totp_secret: str) -> None:
        for row in accounts:
            user = upsert_user(
                row["email"],
                password,
                {
                    "first_name": row.get("first_name", ""),
                    "last_name": row.get("last_name", ""),
                    "preferred_language": row.get("preferred_language", "de"),
                    "is_active": True,
                    "is_staff": row.get("is_staff", False),
                    "is_superuser": row.get("is_superuser", False),
                    "organisation": self.org(row.get("organisation")),
                    "organisation_name": row.get("organisation_name", ""),
                },
                self.result,
            )
            # Sign-in requires a verified address; the demo accounts' addresses count as verified.
            upsert(EmailAddress, {"user": user, "email": user.email}, {"verified": True, "primary": True}, self.result)
            for m in row.get("memberships", []):
                self.load_membership(user, m)
            for r in row.get("registrations", []):
                self.load_registration(user, r)
            for r in row.get("roles", []):
                for project in self.projects_of(r):
                    self.load_role(user, project, r["role"], self.org(r.get("organisation")))
            if _is_staff(row):
                self.load_two_factor(user, totp_secret)
            self.result.accounts.append(Account(email=user.email, label=row["label"]))

    def load_two_factor(self, user: Any, secret: str) -> None:
        """Staff sign in with two factors (portal/accounts/two_factor.py): the demo's published
        secret, and recovery codes. An app set up by hand on a demo account is replaced."""
        held = {authenticator.type: authenticator for authenticator in Authenticator.objects.filter(user=user)}
        totp = held.get(Authenticator.Type.TOTP)
        has_codes = Authenticator.Type.RECOVERY_CODES in held
        if totp is not None and decrypt(totp.data["secret"]) == secret and has_codes:
            self.result.add(Authenticator, UNCHANGED)
            self.result.add(Authenticator, UNCHANGED)
            return
        user_activate_totp(user=user, secret=secret)
        self.result.add(Authenticator, UPDATED if totp is not None else CREATED)
        self.result.add(Authenticator, UNCHANGED if has_codes else CREATED)

    # Memberships and roles are written by their domain services (events, projects), the
    # one write path for those rows; the loader only decides whether anything changed.

    def load_membership(self, user: Any, row: Mapping) -> None:
        tz = row["timezone"]
        record = MembershipRecord(
            community=self.communities[row["community"]],
            user=user,
            role=row["role"],
            status=row["status"],
            requested_at=aware(row["requested"], tz),
            joined_at=aware(row.get("joined"), tz),
            left_at=aware(row.get("left"), tz),
        )
        membership = Membership.objects.filter(community=record.community, user=user).first()
        if membership is None:
            outcome = CREATED
        else:
            stated = {
                name: getattr(record, name) for name in ("role", "status", "requested_at", "joined_at", "left_at")
            }
            outcome = UPDATED if changed_fields(membership, stated) else UNCHANGED
        if outcome != UNCHANGED:
            membership_record(record=record, recorded_by=None, membership=membership)
        self.result.add(Membership, outcome)

    def load_role(self, user: Any, project: Project, role: str, organisation: Organisation | None) -> None:
        held = ProjectRole.objects.filter(user=user, project=project, role=role).first()
        if held is None:
            project_role_grant(project=project, user=user, role=role, organisation=organisation, granted_by=None)
            outcome = CREATED
        elif changed_fields(held, {"organisation": organisation}):
            project_role_change(
                project_role=held, project=project, user=user, role=role, organisation=organisation, changed_by=None
            )
            outcome = UPDATED
        else:
            outcome = UNCHANGED
        self.result.add(ProjectRole, outcome)

    def load_registration(self, user: Any, row: Mapping) -> None:
        """A demo registration, created once and then left alone: cancelling it, or a
        promotion from the waiting list, is what the demo is for, and a second run must
        not undo it (nor put a promoted person back in line)."""
        tz = row["timezone"]
        meeting = Meeting.objects.get(project=self.projects[row["project"]], title=row["meeting"])
        if Registration.objects.filter(meeting=meeting, user=user).exists():
            self.result.add(Registration, UNCHANGED)
            return
        registered = aware(row["registered"], tz)
        registration = Registration(
            meeting=meeting,
            user=user,
            status=row["status"],
            created_at=registered,
            queued_at=registered,
            sector=row.get("sector", Registration.Sector.OTHER),
            consent_to_list=row.get("consent_to_list", False),
        )
        registration.full_clean()
        registration.save(force_insert=True)
        self.result.add(Registration, CREATED)

    def projects_of(self, role: Mapping) -> list[Project]:
        """The demo projects a role is for: one by its slug, or every one of a programme.

        Only the projects loaded from the data, so that a project somebody added by hand
        to the same programme gets no demo role (and a second run still changes nothing).
        """
        if "project" in role:
            return [self.projects[role["project"]]]
        programme = self.programmes[role["programme"]]
        return [project for project in self.projects.values() if project.programme_id == programme.pk]


def _is_staff(row: Mapping) -> bool:
    """Who must sign in with two factors: staff, superusers and coordinators (as needs_two_factor)."""
    coordinator = any(role["role"] == "coordinator" for role in row.get("roles", []))
    return bool(row.get("is_staff") or row.get("is_superuser") or coordinator)


def accounts_enabled() -> bool:
    return bool(getattr(settings, "PORTAL_DEMO_ACCOUNTS", False))


@transaction.atomic
def load_demo(*, with_accounts: bool = False, data=demo_data) -> LoadResult:
    """Load the five seed projects; demo accounts too, with their project roles and
    community memberships, when the settings allow them (``PORTAL_DEMO_ACCOUNTS``) or
    ``with_accounts`` asks for them. All or nothing."""
    result = LoadResult(password=data.DEMO_PASSWORD)
    loader = _Loader(result)
    loader.load_organisations(data.ORGANISATIONS)
    loader.load_programmes(data.PROGRAMMES)
    for project in data.PROJECTS:
        loader.load_project(project)
    loader.load_contacts(data.CONTACTS)
    if with_accounts or accounts_enabled():
        loader.load_accounts(data.DEMO_ACCOUNTS, data.DEMO_PASSWORD, data.DEMO_TOTP_SECRET)
        result.accounts_loaded = True
    return result
