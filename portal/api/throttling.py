"""Rate limits per client address (anonymous callers), per person (signed-in callers) and per
personal token (requests made with one, counted on top of their owner's limit).

The counts live in the default cache. There, a Redis outage reads as a miss and a write
that is lost (portal/resilient_cache.py): the limits stop counting instead of refusing
every request, so the API degrades rather than fails.
"""

from __future__ import annotations

from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle, UserRateThrottle

from portal.client_address import client_ip

from .counting import CountingThrottle  # one round trip per request instead of DRF's two


class AddressRateThrottle(CountingThrottle, AnonRateThrottle):
    scope = "address"

    def get_ident(self, request) -> str:
        # The portal's one reading of the client's address (PORTAL_TRUSTED_PROXY_COUNT),
        # not DRF's NUM_PROXIES, so the API and the sign-in limits agree on who is asking.
        return client_ip(request)


class PersonRateThrottle(CountingThrottle, UserRateThrottle):
    scope = "person"

    def get_cache_key(self, request, view) -> str | None:
        if not request.user or not request.user.is_authenticated:
            return None  # counted per address above
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}


class TokenRateThrottle(CountingThrottle, SimpleRateThrottle):
    scope = "token"

    def get_cache_key(self, request, view) -> str | None:
        token_id = getattr(getattr(request, "auth", None), "pk", None)
        if token_id is None:
            return None  # a browser session: counted per person above
        return self.cache_format % {"scope": self.scope, "ident": token_id}
