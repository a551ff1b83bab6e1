"""Forms of the workspace. They validate input; who may submit them is the view's question."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from projects.models import Deliverable

# Deliverables are reports and toolkits, not videos; larger files belong on the project's site.
MAX_DELIVERABLE_FILE_SIZE = 25 * 1024 * 1024
SUBMITTED_STATUSES = {Deliverable.Status.SUBMITTED, Deliverable.Status.APPROVED}


def _label(field: str) -> str:
    # The model's own (translated) name of the field, capitalised as a ModelForm would.
    return capfirst(Deliverable._meta.get_field(field).verbose_name)


class DeliverableProgressForm(forms.Form):
    """Status, submission date, link, file and description of one deliverable.

    A plain Form rather than a ModelForm: a ModelForm writes its values into the
    instance while validating, and writes belong to projects.services.
    """

    status = forms.ChoiceField(label=_label("status"), choices=Deliverable.Status.choices)
    submitted_on = forms.DateField(
        label=_label("submitted_on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
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
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        status, day = cleaned.get("status"), cleaned.get("submitted_on")
        # The database insists on a date exactly for submitted and approved deliverables;
        # saying so here, next to the field, beats an error page.
        if "submitted_on" in cleaned and status in SUBMITTED_STATUSES and day is None:
            self.add_error(
                "submitted_on",
                forms.ValidationError(
                    _("A submitted or approved deliverable needs the date it was submitted."), code="date_missing"
                ),
            )
        elif status and status not in SUBMITTED_STATUSES and day is not None:
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
