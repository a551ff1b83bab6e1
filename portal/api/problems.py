"""Errors as application/problem+json (RFC 9457): type, title, status, detail.

DRF's own handler still decides the status and the headers (Retry-After on a 429, Allow on a
405); this only rewrites the body. The types are ``about:blank``: each error means what its
HTTP status says, so the title is the status phrase. Invalid parameters add ``errors``,
the messages per parameter, as DRF's validation gives them.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext
from django.views import defaults
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"


class ProblemSerializer(serializers.Serializer):
    """The body of every error answer (documented in the schema, never used to parse input)."""

    type = serializers.CharField(help_text="A URI naming the kind of problem; about:blank: what the status says.")
    title = serializers.CharField(help_text="The HTTP status phrase.")
    status = serializers.IntegerField(help_text="The HTTP status code.")
    detail = serializers.CharField(help_text="What went wrong with this request.")
    errors = serializers.JSONField(
        required=False, help_text="Invalid parameters only: the messages for each parameter."
    )


def problem_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    # Django's own 404 and 403 (get_object_or_404, the access helpers) answer like DRF's.
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        # Not an API error (a bug): Django's 500 handling, logged and mailed as elsewhere.
        return None
    status = response.status_code
    problem: dict[str, Any] = {"type": "about:blank", "title": HTTPStatus(status).phrase, "status": status}
    if isinstance(exc, exceptions.ValidationError):
        problem["detail"] = gettext("The request's parameters are not valid.")
        problem["errors"] = response.data
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        problem["detail"] = str(detail) if detail else problem["title"]
    response.data = problem
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """Django's 400 (a request refused before any view, e.g. a NUL in the address): problem+json under /api/."""
    if not request.path.startswith("/api/"):
        return defaults.bad_request(request, exception)
    problem = {
        "type": "about:blank",
        "title": HTTPStatus.BAD_REQUEST.phrase,
        "status": 400,
        "detail": gettext("The request cannot be read."),
    }
    return JsonResponse(problem, status=400, content_type=PROBLEM_CONTENT_TYPE)
