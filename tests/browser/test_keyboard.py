"""The portal works with the keyboard alone, and shows where the focus is.

The journey "home → catalogue → Italian partners → ECCIPA → German" uses only the keys a
keyboard user has (Tab, Shift+Tab, Enter, Space, arrow keys): no clicks, and no address
typed after the first page. Every control the journey uses must show its focus
(WCAG 2.4.7 Focus Visible).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

MAX_TABS = 80

# The element that has the focus, described for messages.
DESCRIBE = """el => el === document.body ? '<body>' :
    `<${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}> `
    + (el.textContent || el.value || '').trim().slice(0, 60)"""


def focused(tab) -> str:
    return tab.evaluate(f"({DESCRIBE})(document.activeElement)")


def press_tab_until(tab, predicate: str, what: str, *, backwards: bool = False) -> None:
    """Press Tab (Shift+Tab) until the focused element satisfies the JavaScript ``predicate``."""
    key = "Shift+Tab" if backwards else "Tab"
    visited = []
    for _ in range(MAX_TABS):
        tab.keyboard.press(key)
        if tab.evaluate(f"({predicate})(document.activeElement)"):
            return
        visited.append(focused(tab))
    path = "\n  ".join(visited)
    pytest.fail(f"{MAX_TABS} presses of {key} never reached {what}; the focus went to:\n  {path}")


def assert_visibly_focused(tab) -> None:
    """The focused element matches :focus-visible and draws an outline or a ring around itself."""
    style = tab.evaluate(
        """() => {
            const el = document.activeElement, css = getComputedStyle(el);
            return {
                focusVisible: el.matches(':focus-visible'),
                outline: css.outlineStyle !== 'none' && parseFloat(css.outlineWidth) > 0,
                boxShadow: css.boxShadow !== 'none',
                css: `outline: ${css.outlineStyle} ${css.outlineWidth} ${css.outlineColor}; `
                    + `box-shadow: ${css.boxShadow}`,
            };
        }"""
    )
    assert style["focusVisible"], f"{focused(tab)} has the focus but does not match :focus-visible"
    assert style["outline"] or style["boxShadow"], f"{focused(tab)} shows no focus indicator ({style['css']})"


def press_and_wait(tab, key: str) -> None:
    """Press a key that follows a link or submits a form, and wait for the new page."""
    with tab.expect_navigation():
        tab.keyboard.press(key)


def test_keyboard_journey_from_home_to_a_german_project_page(open_page):
    tab = open_page("en")
    tab.goto(reverse("home"))

    # The first stop is the skip link, shown when focused.
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.matches('a.skip-link')"), f"first Tab reached {focused(tab)}"
    assert_visibly_focused(tab)
    box = tab.evaluate("(r => [r.left, r.top, r.right])(document.activeElement.getBoundingClientRect())")
    assert box[0] >= 0 and box[1] >= 0 and box[2] <= 1280, f"the focused skip link is off screen at {box}"

    # Home → the catalogue, through the main navigation.
    catalogue = reverse("catalogue:list")
    press_tab_until(
        tab,
        f"el => el.matches('header nav a') && el.getAttribute('href') === '{catalogue}'",
        "the Projects link of the main navigation",
    )
    assert_visibly_focused(tab)
    press_and_wait(tab, "Enter")
    assert tab.evaluate("location.pathname") == catalogue

    # Filter by partner country: the arrow keys change a closed select's choice.
    press_tab_until(tab, "el => el.id === 'id_country'", "the partner country filter")
    assert_visibly_focused(tab)
    for _ in range(tab.locator("#id_country option").count()):
        if tab.evaluate("document.activeElement.value") == "IT":
            break
        tab.keyboard.press("ArrowDown")
    assert tab.evaluate("document.activeElement.value") == "IT", "the arrow keys never chose Italy"
    press_tab_until(
        tab,
        "el => el.type === 'submit' && el.closest('.catalogue-filter') !== null",
        "the button that applies the filters",
    )
    assert_visibly_focused(tab)
    press_and_wait(tab, "Enter")
    assert "country=IT" in tab.url

    # The results lead to ECCIPA.
    press_tab_until(
        tab,
        "el => el.closest('.cards') !== null && el.textContent.trim() === 'ECCIPA'",
        "the ECCIPA link among the results",
    )
    assert_visibly_focused(tab)
    press_and_wait(tab, "Enter")
    project = reverse("catalogue:detail", args=["eccipa"])
    assert tab.evaluate("location.pathname") == project

    # Switch to German with the language buttons in the header, pressing Space.
    press_tab_until(tab, "el => el.name === 'language' && el.value === 'de'", "the German language button")
    assert_visibly_focused(tab)
    press_and_wait(tab, "Space")

    assert tab.evaluate("location.pathname") == project, "switching the language left the project page"
    assert tab.locator("html").get_attribute("lang") == "de"
    with translation.override("de"):
        facts, projects = translation.gettext("Facts"), translation.gettext("Projects")
    assert (facts, projects) != ("Facts", "Projects"), "the German catalogue lacks these strings"
    assert tab.locator("h1").inner_text().startswith("ECCIPA")
    assert tab.locator("#facts-heading").inner_text() == facts
    assert tab.locator("header nav").get_by_role("link", name=projects, exact=True).count() == 1
    assert tab.locator("button[name=language][value=de]").get_attribute("aria-current") == "true"


def test_skip_link_leads_past_the_header_to_the_content(open_page):
    tab = open_page("de")
    tab.goto(reverse("catalogue:list"))
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.activeElement.matches('a.skip-link')"), f"first Tab reached {focused(tab)}"
    tab.keyboard.press("Enter")
    tab.keyboard.press("Tab")
    assert tab.evaluate("document.querySelector('main').contains(document.activeElement)"), (
        f"after the skip link, Tab reached {focused(tab)} instead of the first control in <main>"
    )
    assert_visibly_focused(tab)
    # And back again: Shift+Tab from the content returns to the header's last control.
    press_tab_until(tab, "el => el.closest('header') !== null", "a control in the header", backwards=True)
    assert_visibly_focused(tab)
