"""Refusing, at the door, input that nothing in the portal can take: NUL characters.

No form field, slug or search text ever holds a NUL character, and PostgreSQL refuses it
in any text it is asked to compare ("text fields cannot contain NUL bytes"), which would
turn a crafted address such as ``/search/?q=a%00b`` into a server error wherever a value
from the query string reaches a query without passing a form first. One check here covers
every view: the request is answered "400 Bad request", and nothing is read or written.
Uploaded files are not looked at (binary files hold NULs); forms already refuse NUL in text.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

NUL = "\x00"


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RefuseNulCharactersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or _has_nul(request.GET):
            raise BadRequest("NUL character in the address")
        if (
            request.method == "POST"
            and request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")
            and _has_nul(request.POST)
        ):
            raise BadRequest("NUL character in the form data")
        return self.get_response(request)
