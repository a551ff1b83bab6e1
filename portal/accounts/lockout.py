"""What django-axes counts failures against."""

from django.http import HttpRequest


def username_from_request(request: HttpRequest, credentials: dict | None = None) -> str:
    """The address someone tried to log in with, case-folded like our e-mail logins.

    allauth's form posts it as ``login``, the admin's as ``username``; either way one
    person's failures add up to one counter per IP address.
    """
    credentials = credentials or {}
    value = (
        credentials.get("email")
        or credentials.get("username")
        or credentials.get("login")
        or request.POST.get("login")
        or request.POST.get("username")
        or ""
    )
    return str(value).strip().lower()
