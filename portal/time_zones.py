"""Times in the zone the person reading them chose, else the portal's (Europe/Berlin).

Stored datetimes are UTC. Django renders them in the *current* time zone, which this
middleware activates per request from the user's profile.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import cache

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

# The zones people of European consortia live in are offered first in the profile form.
_PREFERRED_REGIONS = ("Europe/",)


@cache
def user_time_zone_choices_set() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


@cache
def user_time_zone_choices() -> list[tuple[str, str]]:
    """(value, label) pairs: European zones first, then UTC and the rest of the world."""
    zones = sorted(user_time_zone_choices_set())
    european = [z for z in zones if z.startswith(_PREFERRED_REGIONS)]
    others = [z for z in zones if not z.startswith(_PREFERRED_REGIONS) and "/" in z or z == "UTC"]
    return [(z, z.replace("_", " ")) for z in [*european, *others]]


class UserTimeZoneMiddleware:
    """Activate the signed-in user's time zone; anonymous visitors get settings.TIME_ZONE."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        zone = getattr(user, "time_zone", "") if user is not None and user.is_authenticated else ""
        if zone and zone in user_time_zone_choices_set():
            timezone.activate(zoneinfo.ZoneInfo(zone))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # Worker threads serve the next request; it must not inherit this person's zone.
            timezone.deactivate()
