"""portal/urls.py says which web package serves which URL prefix."""

from __future__ import annotations

from django.urls import URLResolver, get_resolver


def _top_level_mounts() -> list[tuple[str, str]]:
    """(prefix, namespace or module) of every include in portal/urls.py, through _prefixes."""
    mounts = []
    for entry in get_resolver().url_patterns:
        if not isinstance(entry, URLResolver):
            continue
        if str(entry.pattern):
            mounts.append((str(entry.pattern), entry.namespace or entry.urlconf_name.__name__))
            continue
        for inner in entry.url_patterns:
            assert isinstance(inner, URLResolver), f"{entry.namespace}: a pattern without a prefix"
            mounts.append((str(inner.pattern), entry.namespace))
    return mounts


def test_every_include_has_its_prefix_in_portal_urls():
    for prefix, owner in _top_level_mounts():
        assert prefix, f"{owner} is included without a prefix: name it in portal/urls.py"


def test_each_web_package_is_mounted_under_the_prefixes_it_serves():
    mounts = set(_top_level_mounts())
    assert {
        ("projects/", "catalogue"),
        ("organisations/", "directory"),
        ("search/", "search"),
        ("attendance/", "attendance"),
        ("invitations/", "invitations"),
        ("communities/", "calendar"),
        ("meetings/", "calendar"),
        ("communities/", "registrations"),
        ("meetings/", "registrations"),
        ("registrations/", "registrations"),
        ("my/", "registrations"),
        ("dashboard/", "workspace"),
        ("workspace/", "workspace"),
        ("deliverables/", "workspace"),
        ("workspace/projects/<slug:slug>/reports/", "reporting"),
        ("reports/", "reporting"),
    } <= mounts
