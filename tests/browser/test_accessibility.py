"""axe-core finds no serious or critical accessibility problem on any page, in German and English.

Every public page and the main logged-in pages of tests/demo_pages.py, each language a
test of its own. Each page is checked twice: on a desktop screen and 320 CSS pixels wide
(WCAG 1.4.10 Reflow: a phone, or a desktop zoomed to 400 %), where the page must not
scroll sideways either. axe-core comes bundled with axe-playwright-python, so nothing is
fetched at run time. On failure the test prints each violation with the elements
concerned, what is wrong with them and where axe explains the rule.
"""

from __future__ import annotations

import pytest

from tests.demo_pages import (
    ERROR_PAGES,
    FORM_ERROR_PAGES,
    LANGUAGES,
    LOGGED_IN_PAGES,
    PUBLIC_PAGES,
    Page,
)

BLOCKING = {"serious", "critical"}
NARROW = "320px"
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, NARROW: {"width": 320, "height": 720}}

# The 403 page is the 404 page with other words: one of them is enough here.
PAGES = PUBLIC_PAGES + FORM_ERROR_PAGES + LOGGED_IN_PAGES + ERROR_PAGES[:1]


class KnownProblem(Exception):
    """A violation listed in KNOWN_PROBLEMS was found: the case fails as expected (xfail)."""


# Problems of pages being rewritten elsewhere (the workspace, templates/workspace/) can be
# recorded here instead of fixed: {page id: {(axe rule, viewport): why}}. Only these exact
# findings make the case xfail; anything else on the page still fails it. None is open now.
KNOWN_PROBLEMS: dict[str, dict[tuple[str, str], str]] = {}


@pytest.fixture
def demo_site(shared_demo_site) -> str:
    """The pages are only read here: one load of the demo data serves every case (see conftest)."""
    return shared_demo_site


def report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(
            f"\n[{violation['impact']}] {violation['id']} at {violation['viewport']}: {violation['help']}\n"
            f"  {violation['helpUrl']}"
        )
        for node in violation["nodes"]:
            lines.append(f"  - {' '.join(map(str, node['target']))}\n      {node['html'][:300]}")
            summary = (node.get("failureSummary") or "").replace("\n", "\n      ")
            if summary:
                lines.append(f"      {summary}")
    return "\n".join(lines)


def wider_than_the_screen(tab) -> list[str]:
    """The elements that make the page scroll sideways (none, if it reflows)."""
    return tab.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            if (document.documentElement.scrollWidth <= width) return [];
            return [...document.body.querySelectorAll('*')]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > width + 0.5))
                .slice(0, 10)
                .map(e => `${Math.round(e.getBoundingClientRect().right)}px: ${e.outerHTML.slice(0, 160)}`);
        }"""
    )


def _cases() -> list:
    def marks(page: Page) -> list:
        if page.id not in KNOWN_PROBLEMS:
            return []
        problems = KNOWN_PROBLEMS[page.id].items()
        reasons = "; ".join(f"{rule} at {viewport}: {why}" for (rule, viewport), why in problems)
        return [pytest.mark.xfail(reason=reasons, raises=KnownProblem, strict=False)]

    return [
        pytest.param(page, language, id=f"{page}-{language}", marks=marks(page))
        for page in PAGES
        for language in LANGUAGES
    ]


@pytest.mark.parametrize(("page", "language"), _cases())
def test_no_serious_accessibility_violations(open_page, axe, page: Page, language: str):
    tab = open_page(language, page.user)
    response = tab.goto(page.url())
    where = f"{page} ({language}, {page.url()})"
    assert response.status == page.status, f"{where}: HTTP {response.status}"
    assert tab.locator("html").get_attribute("lang") == language

    known = KNOWN_PROBLEMS.get(page.id, {})
    blocking, expected, others, overflow = [], [], [], []
    for viewport, size in VIEWPORTS.items():
        tab.set_viewport_size(size)
        for violation in axe.run(tab).response["violations"]:
            violation["viewport"] = viewport
            if (violation["id"], viewport) in known:
                expected.append(violation)
            elif violation["impact"] in BLOCKING:
                blocking.append(violation)
            else:
                others.append(violation)
        if viewport == NARROW:
            overflow = wider_than_the_screen(tab)

    if others:
        print(f"{where}: less serious findings:{report(others)}")
    assert not blocking, f"{where}: axe found {len(blocking)} serious problems:{report(blocking)}"
    assert not overflow, f"{where}: at {NARROW} the page scrolls sideways (WCAG 1.4.10); too wide:\n" + "\n".join(
        overflow
    )
    if expected:
        raise KnownProblem(f"{where}: known problems:{report(expected)}")
