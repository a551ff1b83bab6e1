"""Refusing, at the door, input that nothing in the portal can take.

- **NUL characters.** No form field, slug or search text ever holds a NUL character, and
  PostgreSQL refuses it in any text it is asked to compare ("text fields cannot contain NUL
  bytes"), which would turn a crafted address such as ``/search/?q=a%00b`` into a server
  error wherever a value from the query string reaches a query without passing a form
  first. Uploaded files are not looked at (binary files hold NULs); forms already refuse
  NUL in text.
- **Bodies that cannot be decoded**: a form posted as ``charset=utf-16`` or ``latin-1``
  (Django accepts only UTF-8 for urlencoded forms), a multipart body that does not parse.
  Django raises ``BadRequest`` the first time anything reads ``request.POST``, which here
  would be the CSRF check; the "400" page then reads it again while it renders (its
  context asks for the CSRF token and the language form), raises a second time, and the
  visitor got a server error on every URL. Reading the body once here, and leaving an
  empty ``request.POST`` behind when it does not decode, lets every later reader (the
  CSRF check, django-axes, the error views) see an empty form instead of an exception.

- **Uploads larger than any form takes.** Django checks an uploaded file's size only after
  it has read the whole body to disk; a multipart request whose declared length is over
  ``UPLOAD_MAX_REQUEST_SIZE`` is answered "413 Too large" before a byte of it is read.

One check here covers every view: the request is answered "400 Bad request" in the
visitor's language, and nothing is read or written.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.datastructures import MultiValueDict

NUL = "\x00"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def _has_nul(data) -> bool:
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def _read_form(request: HttpRequest) -> None:
    """Parse the form body now; on failure leave it empty for every later reader and refuse.

    The limits on size and field count (RequestDataTooBig, TooManyFieldsSent) are Django's
    own suspicious-operation answers, which already render as 400; they pass through.
    """
    try:
        request.POST  # noqa: B018 - reading parses the body once, here
    except (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent):
        raise
    except (BadRequest, MultiPartParserError, UnicodeDecodeError, LookupError, ValueError) as error:
        request._post, request._files = QueryDict(), MultiValueDict()
        raise BadRequest("The request body cannot be decoded") from error


def _declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0  # Django itself treats an unreadable length as an empty body


def _too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.UPLOAD_MAX_REQUEST_SIZE
    return render(request, "413.html", {"limit_mb": limit // (1024 * 1024)}, status=413)


class RefuseUnreadableInputMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if NUL in request.path or _has_nul(request.GET):
            raise BadRequest("NUL character in the address")
        if (
            request.content_type == "multipart/form-data"
            and _declared_length(request) > settings.UPLOAD_MAX_REQUEST_SIZE
        ):
            return _too_large(request)
        if request.method == "POST" and request.content_type in FORM_TYPES:
            _read_form(request)
            if _has_nul(request.POST):
                raise BadRequest("NUL character in the form data")
        return self.get_response(request)
