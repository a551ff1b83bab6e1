"""Reads of projects: querysets with their related rows fetched up front."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext, ngettext

from partners.models import Organisation

from .models import (
    Deliverable,
    DeliverableStatusChange,
    Participation,
    ParticipationRole,
    Project,
    ProjectQuerySet,
    ProjectRole,
    Update,
)
from .permissions import Role, is_platform_admin, managed_project_ids, project_ids_with_role, roles_by_project

# Who counts as what in a consortium's figures. Advisory boards advise the project but are
# not in its consortium, so they count nowhere (nor do their countries).
PARTNER_ROLES = (ParticipationRole.COORDINATOR, ParticipationRole.PARTNER, ParticipationRole.TECHNICAL)
ASSOCIATED_ROLES = (ParticipationRole.ASSOCIATED,)
CONSORTIUM_ROLES = PARTNER_ROLES + ASSOCIATED_ROLES


def visible_projects(user) -> ProjectQuerySet:
    """The projects a user may see: the same answer as permissions.can_view_project, as a queryset."""
    queryset = Project.objects.select_related("programme")
    if is_platform_admin(user):
        return queryset
    return queryset.filter(Q(is_public=True) | Q(pk__in=list(roles_by_project(user))))


def visible_organisations(user, *, placed_only: bool = False) -> QuerySet[Organisation]:
    """The organisations a user may see: the one visibility rule for every list of organisations.

    An organisation is visible when it takes part in a project the user may see. One that
    works only in private projects must not reveal that it exists to anyone outside them
    (search, profile choices, the admin's pickers). One in no project at all reveals no
    project, and a coordinator must be able to pick an organisation just added to the
    directory, so it is visible too unless ``placed_only`` (the public directory and search
    list only organisations with a page, and the page needs a visible project).
    """
    visible_ids = visible_projects(user).order_by().values("pk")
    in_visible = Exists(Participation.objects.filter(organisation=OuterRef("pk"), project__in=visible_ids))
    if placed_only:
        return Organisation.objects.filter(in_visible)
    unplaced = ~Exists(Participation.objects.filter(organisation=OuterRef("pk")))
    return Organisation.objects.filter(in_visible | unplaced)


def visible_deliverables(user) -> QuerySet[Deliverable]:
    """The deliverables a user may see: the same answer as permissions.can_view_deliverable, as a queryset."""
    queryset = Deliverable.objects.select_related("project", "work_package", "lead_organisation")
    if is_platform_admin(user):
        return queryset
    # Sensitive ones go to the consortium and the funder, as in EU grants.
    figures = project_ids_with_role(user, Role.COORDINATOR, Role.PARTNER_STAFF, Role.FUNDER_OFFICER)
    return queryset.filter(
        Q(dissemination=Deliverable.Dissemination.PUBLIC, project__is_public=True) | Q(project_id__in=figures)
    )


def visible_updates(user) -> QuerySet[Update]:
    """The news a user may see: the same answer as permissions.can_view_update, as a queryset."""
    queryset = Update.objects.select_related("project")
    if is_platform_admin(user):
        return queryset
    internal = project_ids_with_role(user, Role.COORDINATOR, Role.PARTNER_STAFF)
    return queryset.filter(Q(is_public=True, project__is_public=True) | Q(project_id__in=internal))


def managed_projects(user) -> ProjectQuerySet:
    """The projects a user coordinates (all of them for the platform admin)."""
    queryset = Project.objects.select_related("programme")
    if is_platform_admin(user):
        return queryset
    return queryset.filter(pk__in=managed_project_ids(user))


# --- Consortium figures -----------------------------------------------------------------


def _consortium_figure(roles: tuple[str, ...], expression: Count) -> Coalesce:
    """One figure over the participations with ``roles`` of the outer project, as a subquery.

    A subquery rather than Count() over the outer query's joins: list filters join
    participations too, and counting over those joins would count the filtered rows (or
    multiply them) instead of the whole consortium.
    """
    counted = (
        Participation.objects.filter(project=OuterRef("pk"), role__in=roles)
        .order_by()
        .values("project")
        .annotate(figure=expression)
        .values("figure")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def with_consortium_figures(projects: ProjectQuerySet) -> ProjectQuerySet:
    """The projects with their recorded consortium figures, read in the same query as the rows.

    Read them with :meth:`ConsortiumFigures.of` (templates: ``{{ project|consortium_figures }}``).
    """
    return projects.annotate(
        recorded_partners=_consortium_figure(PARTNER_ROLES, Count("pk")),
        recorded_associated=_consortium_figure(ASSOCIATED_ROLES, Count("pk")),
        recorded_countries=_consortium_figure(CONSORTIUM_ROLES, Count("organisation__country", distinct=True)),
    )


def _partners(count: int) -> str:
    return ngettext("%(count)d partner", "%(count)d partners", count) % {"count": count}


def _associated(count: int) -> str:
    return ngettext("%(count)d associated partner", "%(count)d associated partners", count) % {"count": count}


def _countries(count: int) -> str:
    return ngettext("%(count)d country", "%(count)d countries", count) % {"count": count}


@dataclass(frozen=True)
class ConsortiumFigures:
    """A project's consortium in figures: what is recorded here, and what the project declares.

    Projects do not always name every partner in public (EPIC UP declares 12 partners and 13
    associated partners from 8 countries, and names its coordinator only), so wherever the
    portal shows the size of a consortium it shows the declared figure and says how much of
    it is recorded here: one text, written in :meth:`__str__`, for every page and the report.
    """

    partners: int
    associated: int
    countries: int
    declared_partners: int | None = None
    declared_associated: int | None = None
    declared_countries: int | None = None

    @classmethod
    def of(cls, project: Project) -> ConsortiumFigures:
        """The figures of a project read through :func:`with_consortium_figures`."""
        return cls(
            partners=project.recorded_partners,
            associated=project.recorded_associated,
            countries=project.recorded_countries,
            declared_partners=project.declared_partners,
            declared_associated=project.declared_associated_partners,
            declared_countries=project.declared_countries,
        )

    @classmethod
    def from_participations(cls, project: Project, participations: Iterable[Participation]) -> ConsortiumFigures:
        """The figures counted from participations already read (with their organisations)."""
        rows = [p for p in participations if p.role in CONSORTIUM_ROLES]
        return cls(
            partners=sum(p.role in PARTNER_ROLES for p in rows),
            associated=sum(p.role in ASSOCIATED_ROLES for p in rows),
            countries=len({p.organisation.country.code for p in rows}),
            declared_partners=project.declared_partners,
            declared_associated=project.declared_associated_partners,
            declared_countries=project.declared_countries,
        )

    @property
    def shown_partners(self) -> int:
        return self.partners if self.declared_partners is None else self.declared_partners

    @property
    def shown_associated(self) -> int:
        return self.associated if self.declared_associated is None else self.declared_associated

    @property
    def shown_countries(self) -> int:
        return self.countries if self.declared_countries is None else self.declared_countries

    @property
    def recorded_differences(self) -> list[str]:
        """The recorded figures that differ from the declared ones, as texts ("1 partner")."""
        pairs = [
            (self.declared_partners, self.partners, _partners),
            (self.declared_associated, self.associated, _associated),
            (self.declared_countries, self.countries, _countries),
        ]
        return [text(recorded) for declared, recorded, text in pairs if declared is not None and declared != recorded]

    @property
    def declared_text(self) -> str:
        """The consortium's size as shown: "12 partners + 13 associated partners, 8 countries"."""
        partners = _partners(self.shown_partners)
        if self.shown_associated:
            partners = gettext("%(partners)s + %(associated)s") % {
                "partners": partners,
                "associated": _associated(self.shown_associated),
            }
        return gettext("%(partners)s, %(countries)s") % {
            "partners": partners,
            "countries": _countries(self.shown_countries),
        }

    def __str__(self) -> str:
        differences = self.recorded_differences
        if not differences:
            return self.declared_text
        return gettext("%(figures)s (%(recorded)s recorded here)") % {
            "figures": self.declared_text,
            "recorded": ", ".join(differences),
        }


def deliverable_statuses_as_of(deliverables: Iterable[Deliverable], moment: dt.datetime) -> dict[int, str]:
    """{deliverable id: its status just before ``moment``}, from the status history, in one query.

    A progress report passes the end of its period (midnight after its last day), so a
    deliverable handed in after the period is still open in that report, however late it
    is regenerated. Before its first recorded change a deliverable was planned. A
    deliverable with no history at all (a row written outside the services, such as a
    fixture) is read as the migration that started the history read every existing one:
    delivered from its submission date, otherwise in its current status.
    """
    deliverables = list(deliverables)
    statuses: dict[int, str] = {}
    recorded: set[int] = set()
    changes = (
        DeliverableStatusChange.objects.filter(deliverable__in=[d.pk for d in deliverables])
        .order_by("deliverable_id", "changed_at", "id")
        .values_list("deliverable_id", "status", "changed_at")
    )
    for deliverable_id, status, changed_at in changes:
        recorded.add(deliverable_id)
        if changed_at < moment:
            statuses[deliverable_id] = status  # the last one before the moment wins
    zone = timezone.get_default_timezone()
    for deliverable in deliverables:
        if deliverable.pk in recorded:
            statuses.setdefault(deliverable.pk, Deliverable.Status.PLANNED)
        elif deliverable.is_delivered and deliverable.submitted_on:
            submitted_at = dt.datetime.combine(deliverable.submitted_on, dt.time.min, tzinfo=zone)
            statuses[deliverable.pk] = deliverable.status if submitted_at < moment else Deliverable.Status.PLANNED
        else:
            statuses[deliverable.pk] = deliverable.status
    return statuses


def projects_solely_coordinated_by(user, *, today: dt.date | None = None) -> list[Project]:
    """Projects not yet closed (planned or running) whose only coordinator is ``user``.

    Such a person hands the project over before erasing their account: a project without
    a coordinator could no longer be managed or reported on. One query.
    """
    today = today or timezone.localdate()
    coordinator = ProjectRole.Role.COORDINATOR
    others = ProjectRole.objects.filter(project=OuterRef("pk"), role=coordinator).exclude(user=user)
    return list(
        Project.objects.filter(end_date__gte=today, roles__user=user, roles__role=coordinator)
        .exclude(Exists(others))
        .distinct()
        .order_by("start_date", "pk")
    )


def consortium_order() -> Case:
    """A participation's place as grants list a consortium: coordinator first, then the roles in
    their declared order (annotate with it, then order by it and the organisation's name)."""
    return Case(
        *[When(role=value, then=Value(index)) for index, value in enumerate(Participation.Role.values)],
        default=Value(len(Participation.Role.values)),
        output_field=IntegerField(),
    )
