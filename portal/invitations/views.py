"""Invitation pages: invite, list and revoke (for the people in charge), accept (for the invitee).

Refusals follow portal/access.py. An invitation has no page of its own, so it is as
visible as the project or community it invites to.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.forms import Form
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from events.models import Community
from events.permissions import can_appoint_facilitator, can_invite_to_community, can_view_community
from portal.access import object_or_404, project_or_404
from portal.confirmation import Confirmation, confirmation_page
from portal.models import Invitation
from portal.permissions import can_manage_invitation, can_revoke_invitation, inviter_may_still_grant
from projects.permissions import can_grant_role, can_manage_roles, can_view_project

from . import selectors, services
from .forms import CommunityInvitationForm, ProjectInvitationForm
from .tokens import InvalidToken

# --- For the people in charge -----------------------------------------------------------


class _ProjectTargetMixin(LoginRequiredMixin):
    kind = "project"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.target = project_or_404(request, kwargs["slug"], allowed=can_manage_roles)
        return super().dispatch(request, *args, **kwargs)

    def list_url(self) -> str:
        return reverse("invitations:project_list", kwargs={"slug": self.target.slug})

    def invitations(self):
        return selectors.project_invitations(project=self.target)


class _CommunityTargetMixin(LoginRequiredMixin):
    kind = "community"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.target = object_or_404(
            request,
            lambda: Community.objects.select_related("project").get(slug=kwargs["slug"]),
            visible=can_view_community,
            allowed=can_invite_to_community,
        )
        return super().dispatch(request, *args, **kwargs)

    def list_url(self) -> str:
        return reverse("invitations:community_list", kwargs={"slug": self.target.slug})

    def invitations(self):
        return selectors.community_invitations(community=self.target)


def _target_visible(user: Any, invitation: Invitation) -> bool:
    """Whether the person may see what the invitation invites to (see the module docstring)."""
    if invitation.project_id:
        return can_view_project(user, invitation.project)
    return can_view_community(user, invitation.community)


def _add_service_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names if the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class _InvitationCreateView(FormView):
    template_name = "invitations/invitation_form.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(target=self.target, kind=self.kind, list_url=self.list_url(), **kwargs)

    def target_kwargs(self, form: Form) -> dict[str, Any]:
        raise NotImplementedError

    def form_valid(self, form: Form) -> HttpResponse:
        try:
            services.invitation_create(
                invited_by=self.request.user,
                email=form.cleaned_data["email"],
                base_url=self.request.build_absolute_uri("/"),
                **self.target_kwargs(form),
            )
        except ValidationError as error:
            _add_service_errors(form, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The invitation to %(email)s is on its way.") % {"email": form.cleaned_data["email"]},
        )
        return redirect(self.list_url())


class ProjectInvitationCreateView(_ProjectTargetMixin, _InvitationCreateView):
    form_class = ProjectInvitationForm

    def get_form_kwargs(self) -> dict[str, Any]:
        organisations = selectors.project_organisations(project=self.target)
        return super().get_form_kwargs() | {"organisations": organisations}

    def form_valid(self, form: Form) -> HttpResponse:
        invitee = selectors.user_for_email(email=form.cleaned_data["email"])
        if invitee is not None and not can_grant_role(self.request.user, self.target, invitee):
            form.add_error("email", _("You cannot invite yourself to a role."))
            return self.form_invalid(form)
        return super().form_valid(form)

    def target_kwargs(self, form: Form) -> dict[str, Any]:
        return {
            "project": self.target,
            "role": form.cleaned_data["role"],
            "organisation": form.cleaned_data.get("organisation"),
        }


class CommunityInvitationCreateView(_CommunityTargetMixin, _InvitationCreateView):
    form_class = CommunityInvitationForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return super().get_form_kwargs() | {
            "can_appoint_facilitator": can_appoint_facilitator(self.request.user, self.target)
        }

    def target_kwargs(self, form: Form) -> dict[str, Any]:
        return {"community": self.target, "community_role": form.cleaned_data["role"]}


class _InvitationListView(TemplateView):
    template_name = "invitations/invitation_list.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return super().get_context_data(
            target=self.target,
            kind=self.kind,
            invitations=self.invitations(),
            create_url=reverse(f"invitations:{self.kind}_create", kwargs={"slug": self.target.slug}),
            **kwargs,
        )


class ProjectInvitationListView(_ProjectTargetMixin, _InvitationListView):
    pass


class CommunityInvitationListView(_CommunityTargetMixin, _InvitationListView):
    pass


class InvitationRevokeView(LoginRequiredMixin, View):
    """Revoke an invitation: asks first (GET), then acts (POST)."""

    http_method_names = ["get", "post"]

    @staticmethod
    def _invitation(request: HttpRequest, pk: int) -> Invitation:
        return object_or_404(
            request,
            lambda: selectors.invitation_with_target(pk=pk),
            visible=_target_visible,
            allowed=can_revoke_invitation,
        )

    @staticmethod
    def _list_url(invitation: Invitation) -> str:
        if invitation.project_id:
            return reverse("invitations:project_list", kwargs={"slug": invitation.project.slug})
        return reverse("invitations:community_list", kwargs={"slug": invitation.community.slug})

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        invitation = self._invitation(request, pk)
        if not invitation.is_usable:
            messages.error(request, _("This invitation was already accepted or revoked."))
            return redirect(self._list_url(invitation))
        confirmation = Confirmation(
            title=_("Revoke the invitation?"),
            question=_("The invitation to %(email)s will stop working.") % {"email": invitation.email},
            consequences=[_("The link in the e-mail leads nowhere any more. You can invite the person again.")],
            confirm_label=_("Revoke the invitation"),
            keep_label=_("Keep the invitation"),
            action_url=request.path,
            back_url=self._list_url(invitation),
        )
        return confirmation_page(request, confirmation)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        invitation = self._invitation(request, pk)
        try:
            services.invitation_revoke(invitation_id=invitation.pk, revoked_by=request.user)
        except services.InvitationNotUsable:
            messages.error(request, _("This invitation was already accepted or revoked."))
        else:
            messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
        if not can_manage_invitation(request.user, invitation):
            return redirect("workspace:dashboard")
        if invitation.project_id:
            return redirect("invitations:project_list", slug=invitation.project.slug)
        return redirect("invitations:community_list", slug=invitation.community.slug)


# --- For the invitee ----------------------------------------------------------------------

# Why a link no longer works, for the 410 page.
GONE_REASONS = {
    Invitation.Status.ACCEPTED: _("This invitation has already been used."),
    Invitation.Status.REVOKED: _("This invitation was withdrawn."),
    Invitation.Status.EXPIRED: _("This invitation has expired."),
    "withdrawn": _("This invitation is no longer valid."),
}


def _gone(request: HttpRequest, reason: str, invitation: Invitation | None = None) -> HttpResponse:
    return render(
        request,
        "invitations/gone.html",
        {"reason": GONE_REASONS[reason], "status": reason, "invitation": invitation},
        status=410,
    )


class _TokenMixin:
    """Resolves the token in the URL; every way it can fail ends on a page, never a 500."""

    invitation: Invitation

    def dispatch(self, request: HttpRequest, *args: Any, token: str = "", **kwargs: Any) -> HttpResponseBase:
        try:
            invitation = selectors.invitation_for_token(token=token)
        except InvalidToken:
            return render(request, "invitations/invalid.html", status=400)
        if invitation is None:
            # Signed by us, but the invitation was deleted or its link replaced.
            return _gone(request, "withdrawn")
        self.invitation = invitation
        return super().dispatch(request, *args, token=token, **kwargs)


class InvitationAcceptView(_TokenMixin, View):
    template_name = "invitations/accept.html"

    def _accept_url(self) -> str:
        return self.request.path

    def _offer_context(self) -> dict[str, Any]:
        invitation = self.invitation
        return {
            "invitation": invitation,
            "target": invitation.target,
            "project": invitation.project or invitation.community.project,
            "role": invitation.offered_role_label,
            "inviter": invitation.invited_by,
        }

    def _refusal(self, invitee: Any) -> HttpResponse | None:
        """The page to show instead of the offer, if any."""
        invitation = self.invitation
        if not invitation.is_usable:
            return _gone(self.request, invitation.status, invitation)
        if invitee.is_authenticated and services.normalise_email(invitee.email) != invitation.email:
            return render(self.request, "invitations/wrong_account.html", self._offer_context(), status=403)
        if not inviter_may_still_grant(invitation, invitee):
            return _gone(self.request, "withdrawn", invitation)
        return None

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        refusal = self._refusal(request.user)
        if refusal is not None:
            return refusal
        accept_url = self._accept_url()
        context = self._offer_context() | {
            "login_url": f"{reverse('account_login')}?{urlencode({'next': accept_url})}",
            "signup_url": reverse("invitations:accept_signup", kwargs={"token": token}),
        }
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(self._accept_url())
        refusal = self._refusal(request.user)
        if refusal is not None:
            return refusal
        try:
            services.invitation_accept(invitation_id=self.invitation.pk, user=request.user)
        except services.InvitationNotUsable as error:
            # Someone else's request (or a double click) got there first.
            return _gone(request, error.status, self.invitation)
        except services.InvitationForAnotherAddress:
            return render(request, "invitations/wrong_account.html", self._offer_context(), status=403)
        messages.success(
            request,
            _("Invitation accepted: %(role)s in %(target)s.")
            % {"role": self.invitation.offered_role_label, "target": self.invitation.target},
        )
        return redirect("workspace:dashboard")


class InvitationSignupView(_TokenMixin, View):
    """ "Create an account": the link proves the address, so allauth may treat it as verified."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        accept_url = reverse("invitations:accept", kwargs={"token": token})
        if not self.invitation.is_usable:
            return _gone(request, self.invitation.status, self.invitation)
        if request.user.is_authenticated:
            return HttpResponseRedirect(accept_url)
        # allauth's sign-up marks the address verified when it matches the stash, so the
        # new account needs no confirmation e-mail, and the form starts with the address.
        get_adapter(request).stash_verified_email(request, self.invitation.email)
        query = urlencode({"email": self.invitation.email, "next": accept_url})
        return HttpResponseRedirect(f"{reverse('account_signup')}?{query}")
