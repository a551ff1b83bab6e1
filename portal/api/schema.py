"""The OpenAPI schema's operations, with the error answers every operation may give."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema

from .problems import PROBLEM_CONTENT_TYPE, ProblemSerializer

# Every operation may meet a bad parameter, an unknown object or cursor, a wrong method or its rate limit.
ERRORS = {
    "400": "Invalid parameters.",
    "404": "Not found, or not visible to the caller.",
    "405": "Method not allowed: the API is read-only.",
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
        if getattr(self.view, "action", None) == "retrieve":
            responses.setdefault("304", {"description": "Not modified: the If-None-Match ETag still holds."})
        return responses
