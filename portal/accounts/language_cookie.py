"""The language cookie: how a person's choice of language is remembered on a device."""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def set_language_cookie(response: HttpResponseBase, language: str) -> None:
    """Remember the language the way django.views.i18n.set_language does, so LocaleMiddleware uses it."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def has_language_cookie(request: HttpRequest) -> bool:
    """Whether the visitor has picked a language on this device (the switch or the profile)."""
    return bool(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
