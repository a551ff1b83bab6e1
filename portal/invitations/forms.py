"""Invitation forms: they check the input; the views and services decide what happens."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from events.models import Membership
from partners.models import Organisation
from portal.select_widget import QuickSelectsMixin
from projects.models import ProjectRole


class _EmailMixin:
    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class ProjectInvitationForm(QuickSelectsMixin, _EmailMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=ProjectRole.Role.choices)
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("For partner staff: the partner organisation they work for."),
    )

    def __init__(self, *args, organisations: QuerySet[Organisation], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the project's own consortium: staff act for one of its partners.
        self.fields["organisation"].queryset = organisations

    def clean(self) -> dict:
        cleaned = super().clean()
        role, organisation = cleaned.get("role"), cleaned.get("organisation")
        if role == ProjectRole.Role.PARTNER_STAFF and organisation is None:
            self.add_error("organisation", _("Choose the partner organisation this person works for."))
        elif role and role != ProjectRole.Role.PARTNER_STAFF and organisation is not None:
            self.add_error("organisation", _("Only partner staff act for an organisation; leave this empty."))
        return cleaned


class CommunityInvitationForm(QuickSelectsMixin, _EmailMixin, forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.MEMBER)

    def __init__(self, *args: Any, can_appoint_facilitator: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not can_appoint_facilitator:
            # Only the project's coordinators make facilitators (events.permissions.can_appoint_facilitator):
            # a facilitator is offered no such choice, and a forged one is not a valid choice.
            self.fields["role"].choices = [(Membership.Role.MEMBER, Membership.Role.MEMBER.label)]
