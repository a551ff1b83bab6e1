"""Every thing links to itself: a crawl, as each demo role, following links as a person would.

From the home page (and, signed in, the dashboard) the crawl follows the portal's own
links, breadth first, a few pages of each kind. On every page it finds the names of
projects, organisations, communities and meetings that the role may open, and fails
where such a name stands as plain text instead of a link: the dead ends people met
("partners, communities and meetings are plain bold text").

A name counts when an element's whole text is the name (a table cell, a list item, a
bold word, a heading below the page's own title). The page's own title (h1), the
current breadcrumb, buttons, form controls and labels are not links by nature and are
left out; so is the name of the page's own subject.

It also fails on a link, in the page's content, that leads the same role to a refusal
(403 or 404): a link must only be shown to those who may follow it; and on an inner page
(any page but the starting points) without breadcrumbs ending in the current page.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import html5lib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import Client
from django.urls import Resolver404, resolve, reverse

pytestmark = pytest.mark.django_db

ROLES = {
    "anonymous": None,
    "member": "member@example.org",
    "coordinator": "coordinator@example.org",
    "funder": "funder@example.org",
    "partner": "partner@example.org",
    # German pages show the German names (display_title, display_name): they must link too.
    "coordinator-de": "coordinator@example.org",
}
GERMAN = {"coordinator-de"}
# Pages per kind of page (URL name) the crawl opens, and pages in all per role: every
# project page, a few of every other kind.
PER_KIND = 3
PER_KIND_OVERRIDES = {"catalogue:detail": 10}
MAX_PAGES = 80
# Never followed: leaving, switching language, files and feeds, the admin (its own world).
# /api/: JSON, and the Swagger UI of the API (a tool page of its own, linked from the tokens page).
SKIP_PREFIXES = ("/admin/", "/static/", "/media/", "/i18n/", "/accounts/logout", "/api/")
SKIP_SUFFIXES = (".ics", ".pdf", ".csv", ".xlsx", ".zip", ".xml", ".rss", ".atom", "/feed/", "/download/")
NOT_LINKABLE = {"a", "h1", "title", "button", "option", "select", "label", "summary", "textarea", "script", "style"}


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data with its accounts, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "PORTAL_DEMO_ACCOUNTS", True, raising=False)
            call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def entity_pages() -> dict[str, str]:
    """{name: its page} for every project, organisation, community and meeting."""
    from events.models import Community, Meeting
    from partners.models import Organisation
    from projects.models import Project

    pages: dict[str, str] = {}
    for project in Project.objects.all():
        pages[project.acronym] = reverse("catalogue:detail", args=[project.slug])
    # A short name that is also a place ("Dietzenbach", the town's administration) names the
    # town as often as the organisation: in a City column it is no dead end. Full names count.
    places = set(Organisation.objects.values_list("city", flat=True))
    for organisation in Organisation.objects.all():
        for name in {organisation.name, organisation.display_name}:
            if name == organisation.name or name not in places:
                pages[name] = reverse("directory:detail", args=[organisation.pk])
    for community in Community.objects.all():
        for name in {community.name, community.name_de} - {""}:
            pages[name] = reverse("calendar:community", args=[community.slug])
    for meeting in Meeting.objects.all():
        # A meeting title shared by several meetings names none of them in particular.
        url = reverse("calendar:meeting", args=[meeting.pk])
        for title in {meeting.title, meeting.title_de} - {""}:
            pages[title] = "" if title in pages else url
    return {name: url for name, url in pages.items() if url and len(name) >= 3}


@dataclass
class Crawl:
    client: Client
    status: dict[str, int] = field(default_factory=dict)

    def status_of(self, url: str) -> int:
        if url not in self.status:
            self.status[url] = self.client.get(url).status_code
        return self.status[url]


def _kind(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _followable(href: str) -> str | None:
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return None
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.endswith(SKIP_SUFFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query and "page=" not in parts.query else "")


def _texts(element, ancestors=()):
    """(element, its whole text, its ancestors and itself) for every element inside ``main``."""
    chain = (*ancestors, element)
    text = "".join(element.itertext()).strip()
    yield element, " ".join(text.split()), chain
    for child in element:
        yield from _texts(child, chain)


def _row_links_to(chain, url: str) -> bool:
    """Whether the table row or list item around the element already links to ``url``.

    A second mention in the same row (an organisation's city that happens to be its short
    name, next to its linked full name) is no dead end: the row leads to the page.
    """
    row = next((element for element in reversed(chain) if element.tag in ("tr", "li")), None)
    return row is not None and any(urlsplit(a.get("href") or "").path == url for a in row.iter("a"))


def _problems_on(page: str, html: str, names: dict[str, str], crawl: Crawl) -> tuple[list[str], list[str]]:
    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)
    main = document.find(".//main")
    if main is None:
        return [], []
    unlinked, refused = [], []
    own = urlsplit(page).path
    for element, text, chain in _texts(main):
        if text not in names or names[text] == own:
            continue
        tags = {ancestor.tag for ancestor in chain if isinstance(ancestor.tag, str)}
        if NOT_LINKABLE & tags or element.get("hidden") is not None:
            continue
        if any(child.get("aria-current") for child in element.iter()):
            continue  # the current breadcrumb (or the item around it) names this very page
        if any(child.tag == "a" for child in element.iter()):
            continue  # the name is, or contains, a link
        if _row_links_to(chain, names[text]):
            continue
        if crawl.status_of(names[text]) == 200:
            unlinked.append(f"{page}: “{text}” is not a link (its page: {names[text]})")
    for anchor in main.iter("a"):
        target = _followable(anchor.get("href") or "")
        if target and _kind(urlsplit(target).path) and crawl.status_of(target) in (403, 404):
            refused.append(f"{page}: the link to {target} answers {crawl.status_of(target)}")
    return unlinked, refused


def _breadcrumb_problems(page: str, html: str) -> list[str]:
    """An inner page shows where it is: a breadcrumb trail from home, this page last and current."""
    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)
    trail = next((nav for nav in document.iter("nav") if "breadcrumbs" in (nav.get("class") or "").split()), None)
    if trail is None:
        return [f"{page}: no breadcrumbs"]
    items = list(trail.iter("li"))
    if len(items) < 2 or items[0].find("a") is None:
        return [f"{page}: the breadcrumbs do not start at home"]
    if not any(element.get("aria-current") == "page" for element in items[-1].iter()):
        return [f"{page}: the last breadcrumb is not marked as the current page"]
    return []


@pytest.mark.parametrize("role", ROLES)
def test_every_named_thing_links_to_its_page(demo_data, role):
    client = Client()
    if ROLES[role]:
        client.force_login(get_user_model().objects.get(email=ROLES[role]))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de" if role in GERMAN else "en"
    crawl = Crawl(client)
    names = entity_pages()
    start = [reverse("home")] + ([reverse("workspace:dashboard")] if ROLES[role] else [])
    queue, seen, per_kind = deque(start), set(start), {}
    unlinked, refused, lost, visited = [], [], [], 0
    while queue and visited < MAX_PAGES:
        page = queue.popleft()
        response = client.get(page)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        visited += 1
        html = response.content.decode()
        found_unlinked, found_refused = _problems_on(page, html, names, crawl)
        unlinked += found_unlinked
        refused += found_refused
        if page not in start:
            lost += _breadcrumb_problems(page, html)
        document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)
        for anchor in document.iter("a"):
            target = _followable(anchor.get("href") or "")
            kind = target and _kind(urlsplit(target).path)
            if not kind or target in seen or per_kind.get(kind, 0) >= PER_KIND_OVERRIDES.get(kind, PER_KIND):
                continue
            seen.add(target)
            per_kind[kind] = per_kind.get(kind, 0) + 1
            queue.append(target)
    assert visited >= 5, f"{role}: the crawl reached only {visited} pages"
    problems = sorted(set(unlinked)) + sorted(set(refused)) + sorted(set(lost))
    assert not problems, f"{role}: {len(problems)} dead ends in {visited} pages:\n" + "\n".join(problems[:60])


def test_breadcrumbs_link_each_step_and_mark_the_current_page():
    from django.template import Context, Template

    html = Template("{% load links %}{% breadcrumbs 'Meetings' '/meetings/' 'Hidden' '' 'This meeting' %}").render(
        Context({})
    )
    document = html5lib.HTMLParser(namespaceHTMLElements=False).parse(html)
    items = list(document.iter("li"))
    assert [" ".join("".join(item.itertext()).split()) for item in items] == [
        "Home",
        "Meetings",
        "Hidden",
        "This meeting",
    ]
    assert [item.find("a").get("href") if item.find("a") is not None else None for item in items] == [
        reverse("home"),
        "/meetings/",
        None,
        None,
    ]
    assert items[-1].find("span").get("aria-current") == "page"


def test_breadcrumbs_refuse_a_step_without_its_url():
    from django.template import Context, Template, TemplateSyntaxError

    with pytest.raises(TemplateSyntaxError):
        Template("{% load links %}{% breadcrumbs 'Meetings' 'This meeting' %}").render(Context({}))
