"""``{% two_factor_continue_url as next_url %}``: where a person sent to set up two-factor
sign-in was going (portal/accounts/two_factor.py), for the recovery codes page's button."""

from __future__ import annotations

from django import template

from portal.accounts.two_factor import continue_url

register = template.Library()


@register.simple_tag(takes_context=True)
def two_factor_continue_url(context: template.Context) -> str:
    request = context.get("request")
    return continue_url(request) if request is not None else ""
