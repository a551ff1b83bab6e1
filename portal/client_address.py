"""The client's address, for the sign-in lockout (django-axes) and allauth's rate limits.

Behind a reverse proxy every request comes from the proxy: REMOTE_ADDR is the proxy's
address, shared by everybody. Counting failed sign-ins or sign-in attempts per address
would then lock out the real user because of an attacker's five bad passwords, or block
everybody's sign-in once anyone sends thirty a minute.

Each trusted proxy appends the address it received the request from to X-Forwarded-For,
so with ``PORTAL_TRUSTED_PROXY_COUNT`` = n proxies in front of the application the
client's address is the n-th entry from the right. Everything left of it came from the
client and can be forged; it is never used. With 0 (no proxy, the embedded default)
REMOTE_ADDR is the client. One setting, one function, used by both libraries.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address the outermost trusted proxy received the request from (or REMOTE_ADDR)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    count = getattr(settings, "PORTAL_TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        # The request did not pass every trusted proxy (e.g. a health check from inside the
        # network): its own sender is the best we know, and never a forged header entry.
        return remote
    return _valid(hops[-count]) or remote
