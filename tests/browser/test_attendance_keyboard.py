"""The door of a meeting, by keyboard only: type a name, Enter, Enter, and the person is in."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.demo_pages import _attendance, _epic_up_registration


def test_a_coordinator_checks_a_person_in_with_two_key_presses(open_page):
    registration = _epic_up_registration()
    tab = open_page("en", "coordinator.epicup@example.org")
    tab.goto(_attendance())
    # The search field has the focus when the page opens. Chromium applies `autofocus`
    # in a rendering step after "load", so a person (and the test) waits to see the
    # focus before typing; pressing keys earlier would send them to the page body.
    expect(tab.locator("#attendance-q")).to_be_focused()
    tab.keyboard.type(registration.user.last_name)
    with tab.expect_navigation():
        tab.keyboard.press("Enter")  # search
    # The one person left: their "Check in" button has the focus.
    expect(tab.locator(f"#registration-{registration.pk} button.button-primary")).to_be_focused()
    with tab.expect_navigation():
        tab.keyboard.press("Enter")
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert "is checked in" in tab.content()
