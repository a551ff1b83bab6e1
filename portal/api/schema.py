"""The OpenAPI schema's operations, with the error answers every operation may give."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

from .problems import PROBLEM_CONTENT_TYPE, ProblemSerializer

# Every operation may meet a bad parameter, an unknown object or cursor, a wrong method or its rate limit.
ERRORS = {
    "400": "Invalid parameters.",
    "401": "The personal token is not valid, was revoked or has expired; or this needs a login or a token.",
    "403": "Not allowed: the token lacks the scope, or the caller may see the object but not do this.",
    "404": "Not found, or not visible to the caller.",
    "405": "Method not allowed.",
    "406": "Not acceptable: the API answers JSON only.",
    "429": "Too many requests from this address; see Retry-After.",
}


class ProblemAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        component = self.resolve_serializer(ProblemSerializer, "response")
        content = {PROBLEM_CONTENT_TYPE: {"schema": component.ref}}
        for code, description in ERRORS.items():
            responses.setdefault(code, {"description": description, "content": content})
        # Refused by the HTTP server before the API sees it (gunicorn: a request line over 4094
        # bytes), with the server's own page: the one answer that is not problem+json.
        responses.setdefault("414", {"description": "URI too long for the server."})
        if getattr(self.view, "action", None) == "retrieve":
            responses.setdefault("304", {"description": "Not modified: the If-None-Match ETag still holds."})
        return responses


# The pagination's and ordering's parameters, which do not take an empty value as "any".
NOT_FILTERS = {"page", "page_size", "cursor", "ordering"}


def empty_filter_means_any(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """Say in the schema what the filters do: an empty value (``?kind=``) filters nothing.

    The pages' filter forms send empty values for "All kinds", and the API shares their filter sets.
    """
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "query" or parameter["name"] in NOT_FILTERS:
                    continue
                parameter["schema"] = {"anyOf": [parameter["schema"], {"type": "string", "maxLength": 0}]}
    return result
