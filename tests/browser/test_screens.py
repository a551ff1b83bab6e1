"""Screens a person has looked at: the key pages of each role, as screenshots, checked for
the faults a person sees at once.

Each page is opened at 360 and 1280 CSS pixels, in German and English, and saved to
``var/screenshots/`` (a test artifact, never committed) so that a person can look at them.
The test fails on:

- horizontal scrolling (an element wider than the screen);
- overlapping elements: two visible siblings of one row (header, navigation, buttons,
  table cells, form rows) whose boxes cross;
- text cut off: an element that clips its own text (``overflow: hidden`` or ellipsis with
  more content than room);
- at 1280 px, a site header whose navigation wraps onto a second line.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from tests.demo_pages import LANGUAGES, LOGGED_IN_PAGES, PUBLIC_PAGES, Page

SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
WIDTHS = {"360": {"width": 360, "height": 800}, "1280": {"width": 1280, "height": 900}}

KEY_PUBLIC = {"home", "catalogue", "project", "directory", "organisation", "community", "meetings", "meeting", "login"}
KEY_SIGNED_IN = {
    "dashboard",
    "dashboard-funder",
    "dashboard-member",
    "workspace-project",
    "reports",
    "reports-funder",
    "deliverable-edit",
    "profile",
    "my-meetings",
    "registration",
    "register",
    "attendance",
    "invitations",
    "access-log",
}
PAGES = [page for page in PUBLIC_PAGES if page.id in KEY_PUBLIC] + [
    page for page in LOGGED_IN_PAGES if page.id in KEY_SIGNED_IN
]


@pytest.fixture
def demo_site(shared_demo_site) -> str:
    """The pages are only read here: one load of the demo data serves every case (see conftest)."""
    return shared_demo_site


FAULTS_JS = """() => {
    const width = document.documentElement.clientWidth;
    const visible = e => {
        const r = e.getBoundingClientRect();
        const s = getComputedStyle(e);
        return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'
            && !e.closest('.visually-hidden, .skip-link, [hidden]');
    };
    const label = e => e.outerHTML.slice(0, 140).replace(/\\s+/g, ' ');
    const faults = [];
    // Sideways scrolling: the innermost elements sticking out of the screen.
    if (document.documentElement.scrollWidth > width) {
        [...document.body.querySelectorAll('*')]
            .filter(e => e.getBoundingClientRect().right > width + 0.5)
            .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 0.5))
            .slice(0, 5)
            .forEach(e => faults.push(
                `wider than the screen (${Math.round(e.getBoundingClientRect().right)}px): ${label(e)}`));
    }
    // Overlaps between siblings laid out side by side or stacked.
    const rows = document.querySelectorAll(
        'header *, nav, nav ul, .buttons, .confirm-actions, form, fieldset, tr, dl, ul.cards, .cards, .figures, p');
    for (const parent of rows) {
        // Inline boxes (links in a sentence) wrap across lines and share a line box: not an overlap.
        const kids = [...parent.children].filter(visible).filter(e => getComputedStyle(e).display !== 'inline');
        for (let i = 0; i < kids.length; i++) {
            const a = kids[i].getBoundingClientRect();
            for (let j = i + 1; j < kids.length; j++) {
                const b = kids[j].getBoundingClientRect();
                const x = Math.min(a.right, b.right) - Math.max(a.left, b.left);
                const y = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
                if (x > 2 && y > 2) faults.push(`overlap: ${label(kids[i])} AND ${label(kids[j])}`);
            }
        }
    }
    // Text cut off by its own box.
    for (const e of document.body.querySelectorAll('*')) {
        if (!visible(e) || !e.textContent.trim()) continue;
        const s = getComputedStyle(e);
        const clips = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
        if (clips && e.scrollWidth > e.clientWidth + 1) faults.push(`text cut off: ${label(e)}`);
    }
    return faults.slice(0, 15);
}"""

# The header's parts (name, navigation items, language switch) stand on one line when
# every item's vertical middle lies within the first item's height.
HEADER_LINES_JS = """() => {
    const items = [...document.querySelectorAll(
        '.site-header .wrap > .brand, .site-header nav > ul > li, .site-header .wrap > form')]
        .filter(e => e.getBoundingClientRect().width > 0);
    const lines = [];
    for (const item of items) {
        const r = item.getBoundingClientRect();
        const middle = (r.top + r.bottom) / 2;
        if (!lines.some(([top, bottom]) => middle >= top && middle <= bottom)) lines.push([r.top, r.bottom]);
    }
    return lines.length;
}"""


@pytest.mark.parametrize(
    ("page", "language"),
    [pytest.param(page, language, id=f"{page}-{language}") for page in PAGES for language in LANGUAGES],
)
def test_key_screens_have_no_visible_faults(open_page, page: Page, language: str):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    tab = open_page(language, page.user)
    response = tab.goto(page.url())
    assert response.status == page.status, f"{page} ({language}): HTTP {response.status}"
    problems = []
    for name, size in WIDTHS.items():
        tab.set_viewport_size(size)
        tab.screenshot(path=str(SCREENSHOTS / f"{page.id}-{language}-{name}.png"), full_page=True)
        problems += [f"{name}px: {fault}" for fault in tab.evaluate(FAULTS_JS)]
        if name == "1280":
            lines = tab.evaluate(HEADER_LINES_JS)
            if lines > 1:
                problems.append(f"1280px: the header navigation wraps onto {lines} lines")
    assert not problems, f"{page} ({language}, {page.url()}):\n" + "\n".join(problems)
