"""The API's writes: a member's registration, a coordinator's meetings and deliverables.

The API has no rules of its own. Each write finds its object with the browser's access
policy (portal/access.py: 404 for who may not see it, 403 for who may see but not do),
validates with the browser's own form (portal/registrations/forms.py, portal/workspace/forms.py)
and calls the same domain service as the browser's view, which checks the permission again,
writes the change log and queues the e-mails through the outbox.

The request serializers below only read JSON: each field's type, and whether it must be
given, taken from the browser's form field; the form then decides everything else (lengths,
choices, dates in order, consent). A form's or a service's ValidationError comes back as a
problem+json 400 with the messages per field.

Every write needs a signed-in person (401 otherwise) and, with a personal token, the token's
scope (portal/api/scopes.py): REGISTER for one's own registrations, MANAGE for meetings and
deliverables. A session write is checked for its CSRF token by DRF's SessionAuthentication.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.choices import CallableChoiceIterator
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from events.models import Community, Meeting, Registration
from events.permissions import can_create_meeting, can_manage_meeting, can_view_meeting
from events.services import meeting_create, meeting_update
from events.services.registrations import (
    DUPLICATE_CODE,
    registration_cancel,
    registration_create,
    waitlist_position,
)
from portal.access import object_or_404, project_or_404
from portal.calendar.selectors import meeting_for_form
from portal.registrations.forms import RegistrationForm
from portal.time_zones import user_time_zone_choices
from portal.workspace import selectors as workspace_selectors
from portal.workspace.forms import DeliverableCreateForm, DeliverableEditForm, DeliverableProgressForm, MeetingForm
from projects.models import Deliverable, WorkPackage
from projects.permissions import (
    can_change_deliverable,
    can_create_deliverable,
    can_manage_project,
    can_plan_deliverable,
    can_view_deliverable,
)
from projects.services import deliverable_create, deliverable_update

from . import selectors
from .problems import PROBLEM_CONTENT_TYPE, ProblemSerializer
from .scopes import MANAGE, READ, REGISTER, requires_scope, token_allows
from .serializers import DeliverableSerializer, MeetingSerializer

# The challenge of a 401 when no authentication class names one (the session has none):
# a 401 must say how to authenticate (RFC 9110, 11.6.1); a token class that names its own wins.
FALLBACK_CHALLENGE = 'Bearer realm="api"'


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The request conflicts with the current state of the resource.")
    default_code = "conflict"


# --- Reading JSON: strict types, the rest is the form's --------------------------------------


class _StrictString(serializers.CharField):
    """A JSON string and nothing else (DRF's own would take a number and make it a string)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("trim_whitespace", False)
        kwargs.setdefault("allow_blank", True)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class _StrictBoolean(serializers.BooleanField):
    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class _StrictInteger(serializers.IntegerField):
    def to_internal_value(self, data: Any) -> int:
        if isinstance(data, bool) or not isinstance(data, int):
            self.fail("invalid")
        return super().to_internal_value(data)


class _StrictChoice(serializers.ChoiceField):
    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid_choice", input=data)
        return super().to_internal_value(data)


def _json_field(form_field: forms.Field, *, partial: bool) -> serializers.Field:
    """The JSON type of one form field, its requiredness and (for fixed choices) its choices."""
    required = form_field.required and not partial
    common: dict[str, Any] = {"required": required, "help_text": form_field.help_text or None}
    if isinstance(form_field, forms.BooleanField):
        return _StrictBoolean(**common)  # unticked is false, never null
    if not form_field.required:
        common["allow_null"] = True
    if isinstance(form_field, forms.IntegerField):
        return _StrictInteger(min_value=form_field.min_value, max_value=form_field.max_value, **common)
    if isinstance(form_field, forms.DateTimeField):
        return serializers.DateTimeField(**common)
    if isinstance(form_field, forms.DateField):
        return serializers.DateField(**common)
    if isinstance(form_field, forms.ChoiceField) and not isinstance(form_field._choices, CallableChoiceIterator):
        # A fixed list (a model's choices, the countries): listed in the schema. A list built
        # when the form is shown (languages, time zones) is a string the form checks.
        choices = [(value, label) for value, label in form_field.choices if value != ""]
        return _StrictChoice(choices=choices, allow_blank=not form_field.required, **common)
    return _StrictString(max_length=getattr(form_field, "max_length", None), **common)


def _input_serializer(
    name: str,
    form_class: type[forms.Form],
    *,
    fields: tuple[str, ...],
    partial: bool = False,
    extra: dict[str, serializers.Field] | None = None,
    doc: str = "",
) -> type[serializers.Serializer]:
    """A request-body serializer for ``fields`` of ``form_class`` (their JSON types only)."""
    extra = extra or {}
    attrs: dict[str, Any] = {
        name_: _json_field(form_class.base_fields[name_], partial=partial)
        for name_ in fields
        if name_ in form_class.base_fields and name_ not in extra
    }
    attrs.update(extra)
    attrs["__doc__"] = doc
    attrs["__module__"] = __name__
    return type(name, (serializers.Serializer,), attrs)


def _read(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise exceptions.ValidationError({"non_field_errors": [str(_("Send a JSON object."))]})
    body = serializer_class(data=request.data)
    body.is_valid(raise_exception=True)
    # Only what was sent (no defaults): a PATCH changes the fields it names.
    return dict(body.validated_data)


def _form_errors(form: forms.Form) -> exceptions.ValidationError:
    return exceptions.ValidationError(
        {
            ("non_field_errors" if field == "__all__" else field): [str(message) for message in messages]
            for field, messages in form.errors.items()
        }
    )


def _service_errors(error: ValidationError) -> exceptions.ValidationError:
    if hasattr(error, "error_dict"):
        return exceptions.ValidationError(
            {
                ("non_field_errors" if field == "__all__" else field): [str(m) for m in ValidationError(msgs).messages]
                for field, msgs in error.error_dict.items()
            }
        )
    return exceptions.ValidationError({"non_field_errors": [str(message) for message in error.messages]})


def _pk(value: Any) -> int:
    try:
        return int(str(value))
    except ValueError:
        raise exceptions.NotFound() from None


def _problems(*codes: int) -> dict[Any, Any]:
    descriptions = {
        400: "Invalid input: the messages per field are in errors.",
        401: "Not signed in: a session or a personal token is needed.",
        403: "Not allowed: the person may see the object but not do this, the token lacks the scope, "
        "or a session request lacks its CSRF token.",
        404: "Not found, or not visible to the caller.",
        409: "Conflicts with the object's current state.",
    }
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(ProblemSerializer, description=descriptions[code])
        for code in codes
    }


class WriteAuthMixin:
    """Anonymous callers get 401 with a challenge, even when the first authentication class
    (the session) names none; DRF would make that a 403."""

    def get_authenticate_header(self, request: Request) -> str:
        for authenticator in request.authenticators:
            header = authenticator.authenticate_header(request)
            if header:
                return header
        return FALLBACK_CHALLENGE


def _write_permissions(scope: str) -> list[Any]:
    return [IsAuthenticated(), requires_scope(scope)()]


class _ManagedWritesMixin(WriteAuthMixin):
    """create and partial_update of a read-only viewset, for a signed-in caller with ``manage``."""

    action: str

    def get_permissions(self) -> list[Any]:
        if self.action in {"create", "partial_update"}:
            return _write_permissions(MANAGE)
        return super().get_permissions()


def _answer(request: Request, obj: Any, visible: Any, serializer_class: Any, code: int) -> Response:
    """The written object as the read endpoint shows it to the caller (with its figures)."""
    shown = visible(request.user).filter(pk=obj.pk).first()
    return Response(serializer_class(shown or obj, context={"request": request}).data, status=code)


class _EitherScope(BasePermission):
    message = _("This token may not be used for this.")

    def has_permission(self, request: Any, view: Any) -> bool:
        return token_allows(request, READ) or token_allows(request, REGISTER)


# --- A member's registration ------------------------------------------------------------------

REGISTRATION_FIELDS = ("sector", "access_needs", "access_needs_consent", "interpretation_language", "consent_to_list")
RegistrationInput = _input_serializer(
    "RegistrationInput",
    RegistrationForm,
    fields=REGISTRATION_FIELDS,
    partial=True,  # the sector defaults to the profile's, as the browser's form is filled in
    extra={
        "access_needs_consent": _StrictBoolean(
            required=False, help_text="The consent to store the access needs: needed when access needs are given."
        ),
        # About 7,000 languages: the form checks the code.
        "interpretation_language": _StrictString(
            required=False,
            allow_null=True,
            max_length=3,
            help_text="An ISO 639-3 code (e.g. ara, ukr), or empty for no interpretation.",
        ),
    },
    doc="What the person says about themselves when registering, as on the browser's form.",
)


class RegistrationStateSerializer(serializers.ModelSerializer):
    """The caller's own registration: its status and place in line."""

    meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    position = serializers.SerializerMethodField(help_text="Place on the waiting list, 1 = next; null with a seat.")

    class Meta:
        model = Registration
        fields = [
            "id",
            "meeting",
            "status",
            "position",
            "created_at",
            "sector",
            "access_needs",
            "interpretation_language",
            "consent_to_list",
        ]
        read_only_fields = fields

    def get_position(self, registration: Registration) -> int | None:
        known = self.context.get("position")
        return known if known is not None else waitlist_position(registration)


@extend_schema(parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH, description="The meeting's id.")])
class MeetingRegistrationView(WriteAuthMixin, APIView):
    # /api/v1/meetings/{id}/registration/: the caller's own registration for the meeting.
    # (A comment: drf-spectacular would print a docstring as every operation's description.)

    def get_permissions(self) -> list[Any]:
        if self.request.method in SAFE_METHODS:
            # Reading one's own registration: what the browser shows, or what a registering token needs to know.
            return [IsAuthenticated(), _EitherScope()]
        return _write_permissions(REGISTER)

    def _meeting(self, request: Request, pk: Any) -> Meeting:
        # The browser's registration form finds its meeting the same way (kept per content version).
        return object_or_404(request, lambda: meeting_for_form(_pk(pk)), visible=can_view_meeting)

    @staticmethod
    def _active(meeting: Meeting, user: Any) -> Registration | None:
        return (
            Registration.objects.select_related("meeting", "meeting__project", "meeting__community")
            .filter(meeting=meeting, user=user, status__in=Registration.ACTIVE)
            .order_by("pk")
            .first()
        )

    @extend_schema(
        summary="My registration for the meeting",
        description="Its status and place in line; 404 when not registered. Token scope: `read` or `register`.",
        tags=["registrations"],
        responses={200: RegistrationStateSerializer, **_problems(401, 403, 404)},
    )
    def get(self, request: Request, pk: Any) -> Response:
        meeting = self._meeting(request, pk)
        registration = self._active(meeting, request.user)
        if registration is None:
            raise exceptions.NotFound(_("You are not registered for this meeting."))
        return Response(RegistrationStateSerializer(registration).data)

    @extend_schema(
        summary="Register me for the meeting",
        description=(
            "A seat if one is free, else the waiting list (when the meeting keeps one), as in the browser; "
            "the same confirmation e-mail follows. Needs the token scope `register`."
        ),
        tags=["registrations"],
        request=RegistrationInput,
        responses={201: RegistrationStateSerializer, **_problems(400, 401, 403, 404, 409)},
    )
    def post(self, request: Request, pk: Any) -> Response:
        meeting = self._meeting(request, pk)
        values = _read(RegistrationInput, request)
        # The browser's form, filled in as the browser fills it: the profile's sector first.
        data = {"sector": getattr(request.user, "sector", "") or RegistrationForm.base_fields["sector"].initial}
        data.update({key: "" if value is None else value for key, value in values.items()})
        form = RegistrationForm(data=data)
        if not form.is_valid():
            raise _form_errors(form)
        try:
            result = registration_create(meeting=meeting, user=request.user, details=form.details)
        except PermissionDenied:
            # The service's own can_view_meeting, asked again: not seen, so 404 (as the browser).
            raise exceptions.NotFound() from None
        except ValidationError as error:
            message = " ".join(str(text) for text in error.messages)
            code = getattr(error, "code", None)
            if code == DUPLICATE_CODE:
                raise Conflict(message) from None
            if code == "audience":
                raise exceptions.PermissionDenied(message) from None
            if code in {"closed", "full"}:
                raise Conflict(message) from None
            raise _service_errors(error) from None
        body = RegistrationStateSerializer(result.registration, context={"position": result.position}).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel my registration for the meeting",
        description="A seat it held goes to the first person waiting, at once. Needs the token scope `register`.",
        tags=["registrations"],
        responses={204: None, **_problems(401, 403, 404, 409)},
    )
    def delete(self, request: Request, pk: Any) -> Response:
        meeting = self._meeting(request, pk)
        registration = self._active(meeting, request.user)
        if registration is None:
            raise exceptions.NotFound(_("You are not registered for this meeting."))
        try:
            registration_cancel(registration=registration, actor=request.user)
        except ValidationError as error:
            raise Conflict(" ".join(str(text) for text in error.messages)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- Meetings ------------------------------------------------------------------------------------

MEETING_FIELDS = tuple(name for name in MeetingForm.base_fields if name != "community")
_COMMUNITY = _StrictString(
    required=False, allow_null=True, help_text="The community's slug; empty or null for a meeting of the whole project."
)
_TIMEZONE_HELP = "An IANA time zone, e.g. Europe/Berlin."
# The zones the form offers (a list built per language for the page; the values are these).
_TIME_ZONES = [zone for zone, _label in user_time_zone_choices()]


def _meeting_input(
    name: str, *, fields: tuple[str, ...], partial: bool, extra: dict[str, serializers.Field]
) -> type[serializers.Serializer]:
    return _input_serializer(
        name,
        MeetingForm,
        fields=fields,
        partial=partial,
        extra={
            "community": _COMMUNITY,
            "timezone": _StrictChoice(choices=_TIME_ZONES, required=not partial, help_text=_TIMEZONE_HELP),
            **extra,
        },
        doc="A meeting as on the workspace's form; times in ISO 8601 (without an offset: the caller's time zone).",
    )


MeetingCreateInput = _meeting_input(
    "MeetingCreateInput",
    # A new meeting is scheduled, as in the browser: cancelling is a change.
    fields=tuple(name for name in MEETING_FIELDS if name != "status"),
    partial=False,
    extra={"project": _StrictString(allow_blank=False, help_text="The project's slug.")},
)
MeetingUpdateInput = _meeting_input("MeetingUpdateInput", fields=MEETING_FIELDS, partial=True, extra={})


def _community_pk(slug: str | None) -> Any:
    """The form chooses communities by id; an unknown slug stays a value the form refuses."""
    if not slug:
        return ""
    found = Community.objects.filter(slug=slug).values_list("pk", flat=True).first()
    return found if found is not None else slug


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    return {key: "" if value is None else value for key, value in values.items()}


def _prefilled(form_class: type[forms.Form], values: dict[str, Any]) -> dict[str, Any]:
    """A new object's form data: the values sent, over what the browser's empty form shows
    (e.g. the waiting list ticked), so leaving a field out means what it means in the browser."""
    shown = {
        name: field.initial
        for name, field in form_class.base_fields.items()
        if field.initial is not None and not callable(field.initial)
    }
    return _form_data({**shown, **values})


class MeetingWritesMixin(_ManagedWritesMixin):
    # create and partial_update for MeetingViewSet (portal/api/views.py).

    request: Request

    @extend_schema(
        summary="Schedule a meeting",
        description=(
            "A coordinator schedules a meeting of their project, validated by the workspace's meeting form "
            "and written by the same service (change log included). Needs the token scope `manage`."
        ),
        tags=["meetings"],
        request=MeetingCreateInput,
        responses={201: MeetingSerializer, **_problems(400, 401, 403, 404)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = _read(MeetingCreateInput, request)
        project = project_or_404(request, values.pop("project"), allowed=can_create_meeting)
        data = _prefilled(MeetingForm, values)
        data["community"] = _community_pk(values.get("community"))
        form = MeetingForm(
            data=data,
            communities=workspace_selectors.meeting_communities(request.user, project),
            with_status=False,
        )
        if not form.is_valid():
            raise _form_errors(form)
        try:
            meeting = meeting_create(project=project, actor=request.user, details=form.details)
        except ValidationError as error:
            raise _service_errors(error) from None
        return _answer(request, meeting, selectors.meetings, MeetingSerializer, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a meeting",
        description=(
            "The fields given change, the others stay; validated by the workspace's meeting form and written by "
            "the same service (change notices to everyone registered, the waiting list filled when seats are "
            "added, change log). Needs the token scope `manage`."
        ),
        tags=["meetings"],
        request=MeetingUpdateInput,
        responses={200: MeetingSerializer, **_problems(400, 401, 403, 404)},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        meeting = object_or_404(
            request,
            lambda: Meeting.objects.select_related("project", "community").get(pk=_pk(kwargs.get("pk"))),
            visible=can_view_meeting,
            allowed=can_manage_meeting,
        )
        values = _read(MeetingUpdateInput, request)
        data = _form_data({**MeetingForm.initial_for(meeting), **values})
        data["community"] = _community_pk(values["community"]) if "community" in values else meeting.community_id
        form = MeetingForm(
            data=data,
            initial=MeetingForm.initial_for(meeting),
            communities=workspace_selectors.meeting_communities(request.user, meeting.project),
            community_required=not can_manage_project(request.user, meeting.project_id),
        )
        if not form.is_valid():
            raise _form_errors(form)
        try:
            saved = meeting_update(meeting=meeting, actor=request.user, details=form.details)
        except ValidationError as error:
            raise _service_errors(error) from None
        return _answer(request, saved, selectors.meetings, MeetingSerializer, status.HTTP_200_OK)


# --- Deliverables --------------------------------------------------------------------------------

_PLAN_FIELDS = DeliverableCreateForm.PLAN_FIELDS
_PROGRESS_FIELDS = ("status", "submitted_on", "url", "description")
_WORK_PACKAGE = _StrictInteger(required=False, allow_null=True, help_text="The work package's number in the project.")
_LEAD = _StrictInteger(required=False, allow_null=True, help_text="The lead organisation's id: one of the consortium.")
_CONFIRM = _StrictBoolean(
    required=False, help_text="True to confirm a due date after the project's end (the form asks for it)."
)


def _deliverable_input(
    name: str, form_class: type[forms.Form], fields: tuple[str, ...], *, partial: bool, **extra: serializers.Field
) -> type[serializers.Serializer]:
    return _input_serializer(
        name,
        form_class,
        fields=fields,
        partial=partial,
        extra={
            "work_package": _WORK_PACKAGE,
            "lead_organisation": _LEAD,
            "confirm_due_after_end": _CONFIRM,
            **extra,
        },
        doc="A deliverable as on the workspace's form (files are uploaded in the browser).",
    )


DeliverableCreateInput = _deliverable_input(
    "DeliverableCreateInput",
    DeliverableCreateForm,
    (*_PLAN_FIELDS, "description"),
    partial=False,
    project=_StrictString(allow_blank=False, help_text="The project's slug."),
)
DeliverableUpdateInput = _deliverable_input(
    "DeliverableUpdateInput", DeliverableEditForm, (*_PLAN_FIELDS, *_PROGRESS_FIELDS), partial=True
)


def _work_package_pk(project_id: int, number: int | None) -> Any:
    """The form chooses work packages by id; an unknown number stays a value the form refuses."""
    if number is None:
        return ""
    found = WorkPackage.objects.filter(project_id=project_id, number=number).values_list("pk", flat=True).first()
    return found if found is not None else f"#{number}"


class DeliverableWritesMixin(_ManagedWritesMixin):
    # create and partial_update for DeliverableViewSet (portal/api/views.py).

    request: Request

    @extend_schema(
        summary="Add a deliverable",
        description=(
            "A coordinator adds a planned deliverable to their project, validated by the workspace's form and "
            "written by the same service (status history, change log). Needs the token scope `manage`."
        ),
        tags=["deliverables"],
        request=DeliverableCreateInput,
        responses={201: DeliverableSerializer, **_problems(400, 401, 403, 404)},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        values = _read(DeliverableCreateInput, request)
        project = project_or_404(request, values.pop("project"), allowed=can_create_deliverable)
        data = _prefilled(DeliverableCreateForm, values)
        data["work_package"] = _work_package_pk(project.pk, values.get("work_package"))
        form = DeliverableCreateForm(
            data=data,
            work_packages=workspace_selectors.project_work_packages(project),
            organisations=workspace_selectors.consortium_organisations(project),
            project_end=project.end_date,
        )
        if not form.is_valid():
            raise _form_errors(form)
        try:
            deliverable = deliverable_create(
                project=project, user=request.user, plan=form.plan, description=form.cleaned_data["description"]
            )
        except ValidationError as error:
            raise _service_errors(error) from None
        return _answer(request, deliverable, selectors.deliverables, DeliverableSerializer, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a deliverable",
        description=(
            "Its progress (status, submission date, link, description) for the staff of its lead organisation, "
            "its plan as well for the coordinators, as on the workspace's form; the fields given change, the "
            "others stay. Needs the token scope `manage`."
        ),
        tags=["deliverables"],
        request=DeliverableUpdateInput,
        responses={200: DeliverableSerializer, **_problems(400, 401, 403, 404)},
    )
    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        deliverable = object_or_404(
            request,
            lambda: Deliverable.objects.select_related("project", "work_package", "lead_organisation").get(
                pk=_pk(kwargs.get("pk"))
            ),
            visible=can_view_deliverable,
            allowed=can_change_deliverable,
        )
        values = _read(DeliverableUpdateInput, request)
        plans = can_plan_deliverable(request.user, deliverable)
        if not plans and set(values) & {*_PLAN_FIELDS, "confirm_due_after_end"}:
            # The browser offers these fields to the coordinators only (the service refuses a plan too).
            raise exceptions.PermissionDenied(_("Only the project's coordinators may change a deliverable's plan."))
        project = deliverable.project
        form_class = DeliverableEditForm if plans else DeliverableProgressForm
        stored = form_class.initial_for(deliverable)
        data = _form_data({**stored, **values})
        kwargs_: dict[str, Any] = {"has_file": bool(deliverable.file)}
        if plans:
            data["work_package"] = (
                _work_package_pk(project.pk, values["work_package"])
                if "work_package" in values
                else deliverable.work_package_id or ""
            )
            data["lead_organisation"] = (
                data["lead_organisation"] if "lead_organisation" in values else deliverable.lead_organisation_id or ""
            )
            kwargs_.update(
                work_packages=workspace_selectors.project_work_packages(project),
                organisations=workspace_selectors.consortium_organisations(
                    project, also=deliverable.lead_organisation_id
                ),
                project_end=project.end_date,
                current_due_date=deliverable.due_date,
            )
        form = form_class(data=data, **kwargs_)
        if not form.is_valid():
            raise _form_errors(form)
        cleaned = form.cleaned_data
        try:
            saved = deliverable_update(
                deliverable=deliverable,
                user=request.user,
                status=cleaned["status"],
                submitted_on=cleaned["submitted_on"],
                url=cleaned["url"],
                description=cleaned["description"],
                plan=form.plan if plans else None,
            )
        except ValidationError as error:
            raise _service_errors(error) from None
        return _answer(request, saved, selectors.deliverables, DeliverableSerializer, status.HTTP_200_OK)
