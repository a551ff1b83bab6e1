"""Every public page and the main logged-in pages are valid HTML, in German and English.

Each page of tests/demo_pages.py is rendered with the test client over the demo data
and parsed by html5lib in strict mode: any parse error (a stray end tag, an unclosed
element, a duplicate attribute, …) fails the test, which then lists every error with its
line. On top of the parser, ids must be unique and the ids that labels and ARIA
attributes point to must exist, and ``<html lang>`` must be the language the page is
shown in, error pages included.

Logged-in pages use ``client.force_login``: never the login form, which django-axes
watches.
"""

from __future__ import annotations

from collections import Counter

import html5lib
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import translation
from django.views.defaults import server_error
from html5lib.constants import E as PARSE_ERROR_MESSAGES

from tests.demo_pages import (
    ERROR_PAGES,
    FORM_ERROR_PAGES,
    LANGUAGES,
    LOGGED_IN_PAGES,
    PUBLIC_PAGES,
    Page,
)

PAGES = PUBLIC_PAGES + FORM_ERROR_PAGES + LOGGED_IN_PAGES + ERROR_PAGES
ID_REFERENCES = ("for", "aria-labelledby", "aria-describedby", "aria-controls", "aria-owns", "list", "form")


@pytest.fixture(scope="module")
def demo_data(django_db_setup, django_db_blocker):
    """The demo data with its accounts, loaded once for the module and rolled back after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(settings, "PORTAL_DEMO_ACCOUNTS", True, raising=False)
            call_command("load_demo", verbosity=0)
        yield
        transaction.set_rollback(True)


def render(client, page: Page, language: str) -> str:
    if page.user:
        client.force_login(get_user_model().objects.get(email=page.user))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(page.url())
    assert response.status_code == page.status, f"{page}: {response.status_code} at {page.url()}"
    assert response["Content-Type"].startswith("text/html")
    return response.content.decode()


def _describe(html: str, errors: list) -> str:
    lines = html.splitlines()
    report = []
    for (line, column), code, data in errors:
        message = PARSE_ERROR_MESSAGES.get(code, code) % (data or {})
        source = lines[line - 1].strip() if 0 < line <= len(lines) else ""
        report.append(f"  line {line}, column {column}: {message}\n      {source[:200]}")
    return "\n".join(report)


def parse_strictly(html: str, where: str):
    """The document tree; any parse error fails the test and lists all of them with their lines."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(html)
    except html5lib.html5parser.ParseError:
        lenient = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
        lenient.parse(html)
        errors = lenient.errors
        pytest.fail(f"{where} is not valid HTML ({len(errors)} parse errors):\n{_describe(html, errors)}")


def check_ids(document, where: str) -> None:
    ids = Counter(element.get("id") for element in document.iter() if element.get("id") is not None)
    duplicates = sorted(name for name, count in ids.items() if count > 1)
    assert not duplicates, f"{where}: ids used more than once: {duplicates}"
    assert "" not in ids, f"{where}: an element has an empty id"
    dangling = []
    for element in document.iter():
        for attribute in ID_REFERENCES:
            value = element.get(attribute)
            if value is None or not isinstance(element.tag, str):
                continue
            if attribute == "for" and element.tag != "label" and element.tag != "output":
                continue
            dangling += [f'<{element.tag} {attribute}="{value}">' for ref in value.split() if ref not in ids]
    assert not dangling, f"{where}: these point to ids that are not on the page: {dangling}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page", PAGES, ids=str)
def test_page_is_valid_html_in_its_language(demo_data, client, page: Page, language: str):
    html = render(client, page, language)
    where = f"{page} ({language}, {page.url()})"
    document = parse_strictly(html, where)
    root = document if document.tag == "html" else document.find("html")
    assert root.get("lang") == language, f"{where}: <html lang={root.get('lang')!r}>, expected {language!r}"
    check_ids(document, where)


def test_the_checks_catch_what_they_are_for():
    """The checks above fail on broken markup, with the line of each error."""
    with pytest.raises(pytest.fail.Exception, match=r"line 3, column \d+: .*div"):
        parse_strictly("<!doctype html>\n<html lang=en><title>x</title>\n<p>one</div>\n", "broken")
    document = parse_strictly("<!doctype html><html lang=en><title>x</title><p id=a><p id=a>", "twice")
    with pytest.raises(AssertionError, match="more than once"):
        check_ids(document, "twice")
    document = parse_strictly("<!doctype html><html lang=en><title>x</title><label for=gone>x</label>", "dangling")
    with pytest.raises(AssertionError, match="not on the page"):
        check_ids(document, "dangling")


@pytest.mark.parametrize("language", LANGUAGES)
def test_server_error_page_is_valid_html_in_its_language(rf, language):
    """500.html is rendered without a request context, so it asks for the language itself."""
    with translation.override(language):
        response = server_error(rf.get("/"))
    assert response.status_code == 500
    document = parse_strictly(response.content.decode(), f"500.html ({language})")
    assert document.get("lang") == language
