"""The change history of one project, newest first, filtered by kind of row or by meeting."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from auditlog.models import LogEntry
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView

from audit.changes import ChangeAction
from audit.selectors import project_change_types, project_changes
from events.models import Meeting
from portal.access import project_or_404
from projects.permissions import can_view_project_changes

PAGE_SIZE = 50
ACTION_LABELS = {
    ChangeAction.CREATE: _("created"),
    ChangeAction.UPDATE: _("changed"),
    ChangeAction.DELETE: _("deleted"),
}
# Keys of the log that are not fields of the row (reports/services/workflow.py's steps).
EXTRA_LABELS = {"comment": _("comment")}


@dataclass(frozen=True)
class FieldChange:
    label: str
    old: Any
    new: Any


@dataclass(frozen=True)
class ChangeRow:
    entry: LogEntry
    kind: str
    action: str
    fields: list[FieldChange]


def _field_label(model: type | None, name: str) -> str:
    if model is not None:
        try:
            return str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            pass
    return str(EXTRA_LABELS.get(name, name.replace("_", " ")))


def _shown(model: type | None, name: str, value: Any) -> Any:
    """A logged value as people read it: a choice's label, a date or time in the page's format.

    The log keeps raw values (codes, ISO times) so it stays exact; this is only their display.
    """
    if model is None or value in (None, ""):
        return value
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, str) and isinstance(field, models.DateTimeField):
        moment = parse_datetime(value)
        return date_format(timezone.localtime(moment), "DATETIME_FORMAT") if moment else value
    if isinstance(value, str) and isinstance(field, models.DateField):
        day = parse_date(value)
        return date_format(day, "DATE_FORMAT") if day else value
    return value


def change_row(entry: LogEntry) -> ChangeRow:
    """One entry as the page shows it: the kind of row, the action and each field old → new."""
    model = entry.content_type.model_class()
    kind = str(model._meta.verbose_name) if model is not None else entry.content_type.model
    changes = entry.changes if isinstance(entry.changes, dict) else {}
    fields = [
        FieldChange(
            label=_field_label(model, name), old=_shown(model, name, values[0]), new=_shown(model, name, values[1])
        )
        for name, values in changes.items()
        if isinstance(values, list | tuple) and len(values) == 2
    ]
    return ChangeRow(entry=entry, kind=kind, action=str(ACTION_LABELS.get(entry.action, entry.action)), fields=fields)


def _int_or_none(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 19 else None


class ProjectChangesView(LoginRequiredMixin, TemplateView):
    """Who changed what in the project: its coordinators (404 for people who may not see the
    project, 403 for those who may see it but not this, as portal/access.py says)."""

    template_name = "changelog/project.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        project = project_or_404(self.request, kwargs["slug"], allowed=can_view_project_changes)
        meeting = None
        if "meeting" in self.request.GET:
            meeting_id = _int_or_none(self.request.GET.get("meeting"))
            meeting = Meeting.objects.filter(project=project, pk=meeting_id).first() if meeting_id else None
            if meeting is None:
                raise Http404
        type_ids = project_change_types(project_id=project.pk)
        # Content types come from Django's cache; labelled as the models name themselves.
        content_types = [ContentType.objects.get_for_id(pk) for pk in type_ids]
        kinds = sorted(
            (
                (content_type.pk, str(content_type.model_class()._meta.verbose_name_plural))
                for content_type in content_types
                if content_type.model_class() is not None
            ),
            key=lambda kind: kind[1].lower(),
        )
        chosen_type = _int_or_none(self.request.GET.get("type"))
        if chosen_type not in {pk for pk, _label in kinds}:
            chosen_type = None
        entries = project_changes(
            project_id=project.pk, content_type_id=chosen_type, meeting_id=meeting.pk if meeting else None
        )
        page = Paginator(entries, PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            **kwargs,
            project=project,
            meeting=meeting,
            kinds=kinds,
            chosen_type=chosen_type,
            page=page,
            rows=[change_row(entry) for entry in page.object_list],
        )
