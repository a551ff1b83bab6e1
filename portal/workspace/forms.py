"""Forms of the workspace. They validate input; who may submit them is the view's question.

Plain Forms rather than ModelForms: a ModelForm writes its values into the instance
while validating, and writes belong to the services (projects/services.py,
events/services.py), which also run the model's own rules. The fields still come from
the models (``_model_field``), so labels, help texts, lengths and choices stay the
models' own, translated ones.

Date and time inputs are the browser's own (``type="date"``, ``type="datetime-local"``):
they work without JavaScript, and a browser without them shows a text box that takes
the same ISO format. Times are read and shown in the current time zone
(django.utils.timezone), never in a fixed one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.db.models import QuerySet
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from events.models import Community, Meeting
from events.services import CommunityDetails, MeetingDetails
from partners.models import Organisation
from portal.select_widget import QuickSelectsMixin
from portal.time_zones import user_time_zone_choices
from projects.models import Deliverable, Update, WorkPackage
from projects.services import DeliverablePlan, UpdateDetails
from projects.uploads import validate_document_upload

# Deliverables are reports and toolkits, not videos; larger files belong on the project's site.
MAX_DELIVERABLE_FILE_SIZE = 25 * 1024 * 1024
# The value format of <input type="datetime-local"> and <input type="date">.
DATETIME_LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
DATE_FORMAT = "%Y-%m-%d"


def _label(field: str) -> str:
    # The model's own (translated) name of the field, capitalised as a ModelForm would.
    return capfirst(Deliverable._meta.get_field(field).verbose_name)


def _model_field(model: type[models.Model], name: str, **kwargs: Any) -> forms.Field:
    """The form field a ModelForm would make for ``model.name``, with ``kwargs`` on top."""
    if isinstance(model._meta.get_field(name), models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model._meta.get_field(name).formfield(**kwargs)


def _datetime_input() -> forms.DateTimeInput:
    return forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL_FORMAT)


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format=DATE_FORMAT)


def _text_in(language: str, rows: int | None = None) -> forms.Widget:
    """A text input for one language of a bilingual text; ``lang`` tells browsers and
    screen readers which one, for spelling and pronunciation."""
    if rows:
        return forms.Textarea(attrs={"rows": rows, "lang": language})
    return forms.TextInput(attrs={"lang": language})


class FieldsetsMixin(QuickSelectsMixin):
    """Groups a form's fields into fieldsets with legends (templates/workspace/_form.html).

    ``GROUPS`` is ((legend, (field name, …)), …); fields in no group come last, without
    a legend. A form without groups is one group without a legend.
    """

    GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def fieldsets(self) -> list[tuple[str, list[forms.BoundField]]]:
        grouped, placed = [], set()
        for legend, names in self.GROUPS:
            fields = [self[name] for name in names if name in self.fields]
            placed.update(names)
            if fields:
                grouped.append((legend, fields))
        rest = [field for field in self if field.name not in placed]
        if rest:
            grouped.append(("", rest))
        return grouped


# The models' own messages for their one_language_given rules, so both say the same.
TITLE_IN_ONE_LANGUAGE = _("Give the title in English, in German or in both.")
NAME_IN_ONE_LANGUAGE = _("Give the name in English, in German or in both.")


def _one_language_given(form: forms.Form, name: str, message: str) -> None:
    """Said next to the field, as well as by the database's rule (one_language_given)."""
    cleaned = form.cleaned_data
    if name in cleaned and f"{name}_de" in cleaned and not cleaned[name] and not cleaned[f"{name}_de"]:
        form.add_error(name, forms.ValidationError(message, code="no_language_given"))


def _in_current_time_zone() -> str:
    return _("In your time zone (%(zone)s).") % {"zone": timezone.get_current_timezone_name()}


class DeliverableProgressForm(FieldsetsMixin, forms.Form):
    """Status, submission date, link, file and description of one deliverable."""

    status = forms.ChoiceField(label=_label("status"), choices=Deliverable.Status.choices)
    submitted_on = forms.DateField(
        label=_label("submitted_on"),
        required=False,
        widget=_date_input(),
        help_text=_("Needed once the deliverable is submitted or approved."),
    )
    url = forms.URLField(
        label=_label("url"),
        required=False,
        max_length=Deliverable._meta.get_field("url").max_length,
        assume_scheme="https",
        help_text=_("Where the deliverable is published, if it is."),
    )
    file = forms.FileField(label=_label("file"), required=False)
    remove_file = forms.BooleanField(label=_("Remove the current file"), required=False)
    description = forms.CharField(label=_label("description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args: Any, has_file: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not has_file:
            # Nothing to remove; an unused checkbox would only confuse.
            del self.fields["remove_file"]

    @classmethod
    def initial_for(cls, deliverable: Deliverable) -> dict[str, Any]:
        return {
            "status": deliverable.status,
            "submitted_on": deliverable.submitted_on,
            "url": deliverable.url,
            "description": deliverable.description,
        }

    def clean_submitted_on(self) -> Any:
        day = self.cleaned_data.get("submitted_on")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The submission date cannot be in the future."), code="future")
        return day

    def clean_file(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("file")
        if upload and upload.size > MAX_DELIVERABLE_FILE_SIZE:
            raise forms.ValidationError(
                _("The file is %(size)s; the limit is %(limit)s."),
                code="too_large",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(MAX_DELIVERABLE_FILE_SIZE)},
            )
        # The model checks this too (for the admin); checking here shows it next to the field at once.
        validate_document_upload(upload)
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        status, day = cleaned.get("status"), cleaned.get("submitted_on")
        # The database insists on a date exactly for submitted and approved deliverables;
        # saying so here, next to the field, beats an error page.
        if "submitted_on" in cleaned and status in Deliverable.DELIVERED and day is None:
            self.add_error(
                "submitted_on",
                forms.ValidationError(
                    _("A submitted or approved deliverable needs the date it was submitted."), code="date_missing"
                ),
            )
        elif status and status not in Deliverable.DELIVERED and day is not None:
            self.add_error(
                "submitted_on",
                forms.ValidationError(
                    _(
                        "Only a submitted or approved deliverable has a submission date: "
                        "clear the date or change the status."
                    ),
                    code="date_not_allowed",
                ),
            )
        if cleaned.get("file") and cleaned.get("remove_file"):
            self.add_error(
                "remove_file",
                forms.ValidationError(_("Upload a new file or remove the current one, not both."), code="both"),
            )
        return cleaned

    @property
    def new_file(self) -> UploadedFile | None:
        return self.cleaned_data.get("file") or None

    @property
    def remove_current_file(self) -> bool:
        return bool(self.cleaned_data.get("remove_file"))


# --- Deliverables: the plan, for coordinators ----------------------------------------------


class _ChoiceOfOrganisation(forms.ModelChoiceField):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.display_name


class DeliverablePlanForm(FieldsetsMixin, forms.Form):
    """Code, title, work package, lead, type, dissemination level and due date.

    A due date after the project's end is allowed (an extension may follow) but is most
    often a typing mistake: the form then says so and saves only once the coordinator
    ticks "Yes, due after the project ends". The checkbox appears only then.
    """

    PLAN_FIELDS = (
        "code",
        "title",
        "title_de",
        "work_package",
        "lead_organisation",
        "kind",
        "dissemination",
        "due_date",
    )
    # The plan as shown: the confirmation sits right after the due date.
    LAYOUT = (*PLAN_FIELDS, "confirm_due_after_end")
    GROUPS = ((_("Plan"), LAYOUT),)

    code = _model_field(Deliverable, "code")
    title = _model_field(Deliverable, "title", widget=_text_in("en"), help_text=TITLE_IN_ONE_LANGUAGE)
    title_de = _model_field(Deliverable, "title_de", widget=_text_in("de"))
    work_package = forms.ModelChoiceField(
        label=_label("work_package"), queryset=WorkPackage.objects.none(), required=False
    )
    lead_organisation = _ChoiceOfOrganisation(
        label=_label("lead_organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("One of the project's partners."),
    )
    kind = _model_field(Deliverable, "kind")
    dissemination = _model_field(Deliverable, "dissemination")
    due_date = _model_field(Deliverable, "due_date", widget=_date_input())
    confirm_due_after_end = forms.BooleanField(label=_("Yes, due after the project ends"), required=False)

    def __init__(
        self,
        *args: Any,
        work_packages: QuerySet[WorkPackage],
        organisations: QuerySet[Organisation],
        project_end: dt.date | None = None,
        current_due_date: dt.date | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # Only the project's own: a work package or lead from elsewhere is not a valid choice.
        self.fields["work_package"].queryset = work_packages
        self.fields["lead_organisation"].queryset = organisations
        self.project_end = project_end
        # A date already stored needs no second confirmation on every later save.
        self.current_due_date = current_due_date
        if not self._needs_confirmation(self._submitted_due_date()):
            del self.fields["confirm_due_after_end"]

    def _submitted_due_date(self) -> dt.date | None:
        if not self.is_bound:
            return None
        try:
            return self.fields["due_date"].clean(self.data.get(self.add_prefix("due_date")))
        except forms.ValidationError:
            return None

    def _needs_confirmation(self, due: dt.date | None) -> bool:
        return bool(due and self.project_end and due > self.project_end and due != self.current_due_date)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _one_language_given(self, "title", TITLE_IN_ONE_LANGUAGE)
        due = cleaned.get("due_date")
        if self._needs_confirmation(due) and not cleaned.get("confirm_due_after_end"):
            self.add_error(
                "due_date",
                forms.ValidationError(
                    _(
                        "The due date is after the project ends (%(end)s). If that is right, tick "
                        "“Yes, due after the project ends” and save again."
                    ),
                    code="due_after_project_end",
                    params={"end": formats.date_format(self.project_end)},
                ),
            )
        return cleaned

    @classmethod
    def plan_initial(cls, deliverable: Deliverable) -> dict[str, Any]:
        return {name: getattr(deliverable, name) for name in cls.PLAN_FIELDS}

    @property
    def plan(self) -> DeliverablePlan:
        return DeliverablePlan(**{name: self.cleaned_data[name] for name in self.PLAN_FIELDS})


class DeliverableCreateForm(DeliverablePlanForm):
    """A new deliverable: its plan and a description. It starts as planned."""

    description = forms.CharField(label=_label("description"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class DeliverableEditForm(DeliverablePlanForm, DeliverableProgressForm):
    """Everything about a deliverable, for the coordinators: its plan and its progress."""

    PROGRESS_FIELDS = ("status", "submitted_on", "url", "file", "remove_file", "description")
    field_order = [*DeliverablePlanForm.LAYOUT, *PROGRESS_FIELDS]
    GROUPS = ((_("Plan"), DeliverablePlanForm.LAYOUT), (_("Progress"), PROGRESS_FIELDS))

    @classmethod
    def initial_for(cls, deliverable: Deliverable) -> dict[str, Any]:
        return {**DeliverableProgressForm.initial_for(deliverable), **cls.plan_initial(deliverable)}


# --- Meetings ------------------------------------------------------------------------------


class MeetingForm(FieldsetsMixin, forms.Form):
    """A meeting: what, when, where, who may come and how registration works."""

    title = _model_field(Meeting, "title", widget=_text_in("en"), help_text=TITLE_IN_ONE_LANGUAGE)
    title_de = _model_field(Meeting, "title_de", widget=_text_in("de"))
    kind = _model_field(Meeting, "kind")
    community = forms.ModelChoiceField(
        label=capfirst(Meeting._meta.get_field("community").verbose_name),
        queryset=Community.objects.none(),
        required=False,
        help_text=_("Leave empty for a meeting of the whole project."),
    )
    audience = _model_field(Meeting, "audience")
    status = _model_field(Meeting, "status")
    starts_at = _model_field(Meeting, "starts_at", widget=_datetime_input())
    ends_at = _model_field(Meeting, "ends_at", widget=_datetime_input())
    timezone = forms.ChoiceField(
        label=capfirst(Meeting._meta.get_field("timezone").verbose_name),
        # The zones a person may choose in their profile, European ones first.
        choices=user_time_zone_choices,
        help_text=Meeting._meta.get_field("timezone").help_text,
    )
    format = _model_field(Meeting, "format")
    language = _model_field(Meeting, "language")
    venue = _model_field(Meeting, "venue")
    address = _model_field(Meeting, "address")
    city = _model_field(Meeting, "city")
    country = _model_field(Meeting, "country")
    online_link = _model_field(Meeting, "online_link")
    # At least one place; the database refuses 0 as well (meeting_capacity_positive).
    capacity = _model_field(Meeting, "capacity", min_value=1)
    registration_opens_at = _model_field(Meeting, "registration_opens_at", widget=_datetime_input())
    registration_closes_at = _model_field(Meeting, "registration_closes_at", widget=_datetime_input())
    waitlist_enabled = _model_field(Meeting, "waitlist_enabled")
    description = _model_field(Meeting, "description", widget=_text_in("en", rows=5))
    description_de = _model_field(Meeting, "description_de", widget=_text_in("de", rows=5))
    agenda = _model_field(Meeting, "agenda", widget=_text_in("en", rows=5))
    agenda_de = _model_field(Meeting, "agenda_de", widget=_text_in("de", rows=5))

    # Groups of fields, each shown as a fieldset with its legend (templates/workspace/_form.html).
    GROUPS = (
        (_("Meeting"), ("title", "title_de", "kind", "community", "audience", "status")),
        (_("When"), ("starts_at", "ends_at", "timezone")),
        (_("Where"), ("format", "venue", "address", "city", "country", "online_link", "language")),
        (_("Registration"), ("capacity", "registration_opens_at", "registration_closes_at", "waitlist_enabled")),
        (_("Description"), ("description", "description_de", "agenda", "agenda_de")),
    )
    TIME_FIELDS = ("starts_at", "ends_at", "registration_opens_at", "registration_closes_at")

    def __init__(
        self,
        *args: Any,
        communities: QuerySet[Community],
        community_required: bool = False,
        with_status: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        if community_required:
            # A facilitator's meeting belongs to one of their communities.
            self.fields["community"].required = True
            self.fields["community"].help_text = ""
        if not with_status:
            # A new meeting is scheduled; cancelling is an edit.
            del self.fields["status"]
        zone_note = _in_current_time_zone()
        for name in self.TIME_FIELDS:
            self.fields[name].help_text = zone_note
        # The place's zone is most often the organiser's own.
        self.fields["timezone"].initial = timezone.get_current_timezone_name()
        stored = self.initial.get("timezone")
        if stored and stored not in {value for value, label in self.fields["timezone"].choices}:
            # A zone stored before (e.g. "EST") stays selectable rather than silently becoming
            # the first choice; the model's rules still check it on saving.
            self.fields["timezone"].choices = [(stored, stored), *self.fields["timezone"].choices]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _one_language_given(self, "title", TITLE_IN_ONE_LANGUAGE)
        # Said here, next to the field, as well as by the database's rules.
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error(
                "ends_at", forms.ValidationError(_("The meeting cannot end before it starts."), code="end_before_start")
            )
        opens, closes = cleaned.get("registration_opens_at"), cleaned.get("registration_closes_at")
        if opens and closes and closes < opens:
            self.add_error(
                "registration_closes_at",
                forms.ValidationError(_("Registration cannot close before it opens."), code="closes_before_opens"),
            )
        return cleaned

    @classmethod
    def initial_for(cls, meeting: Meeting) -> dict[str, Any]:
        return {name: getattr(meeting, name) for name in cls.base_fields}

    @property
    def details(self) -> MeetingDetails:
        values = {name: self.cleaned_data[name] for name in self.fields}
        return MeetingDetails(**values)


# --- Updates (news and press mentions) -------------------------------------------------


class UpdateForm(FieldsetsMixin, forms.Form):
    """A news item or press mention, in English, German or both."""

    kind = _model_field(Update, "kind")
    published_on = _model_field(Update, "published_on", widget=_date_input())
    title = _model_field(Update, "title", widget=_text_in("en"))
    title_de = _model_field(Update, "title_de", widget=_text_in("de"))
    body = _model_field(Update, "body", widget=_text_in("en", rows=8))
    body_de = _model_field(Update, "body_de", widget=_text_in("de", rows=8))
    link = _model_field(Update, "link")
    source = _model_field(Update, "source")
    is_public = _model_field(Update, "is_public")

    GROUPS = (
        (_("Update"), ("kind", "published_on", "is_public")),
        (_("In English"), ("title", "body")),
        (_("In German"), ("title_de", "body_de")),
        (_("Source"), ("link", "source")),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].help_text = TITLE_IN_ONE_LANGUAGE

    @classmethod
    def initial_for(cls, update: Update) -> dict[str, Any]:
        return {name: getattr(update, name) for name in cls.base_fields}

    @property
    def details(self) -> UpdateDetails:
        return UpdateDetails(**{name: self.cleaned_data[name] for name in self.fields})


# --- Communities ---------------------------------------------------------------------------


class CommunityForm(FieldsetsMixin, forms.Form):
    """A Community of Practice's settings; the slug only when it is founded."""

    name = _model_field(Community, "name", widget=_text_in("en"), help_text=NAME_IN_ONE_LANGUAGE)
    name_de = _model_field(Community, "name_de", widget=_text_in("de"))
    slug = _model_field(
        Community,
        "slug",
        required=False,
        help_text=_("The community's address on the portal. Leave empty to make one from the name."),
    )
    territory = _model_field(Community, "territory")
    country = _model_field(Community, "country")
    visibility = _model_field(Community, "visibility", widget=forms.RadioSelect)
    membership_policy = _model_field(Community, "membership_policy", widget=forms.RadioSelect)
    description = _model_field(Community, "description", widget=_text_in("en", rows=5))
    description_de = _model_field(Community, "description_de", widget=_text_in("de", rows=5))

    DETAIL_FIELDS = (
        "name",
        "name_de",
        "territory",
        "country",
        "visibility",
        "membership_policy",
        "description",
        "description_de",
    )

    def __init__(self, *args: Any, with_slug: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not with_slug:
            # Links to the community (invitations, calendars, feeds) use the slug; it stays.
            del self.fields["slug"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        _one_language_given(self, "name", NAME_IN_ONE_LANGUAGE)
        return cleaned

    @classmethod
    def initial_for(cls, community: Community) -> dict[str, Any]:
        return {name: getattr(community, name) for name in cls.DETAIL_FIELDS}

    @property
    def details(self) -> CommunityDetails:
        return CommunityDetails(**{name: self.cleaned_data[name] for name in self.DETAIL_FIELDS})
