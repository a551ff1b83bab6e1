"""The door of a meeting, by keyboard only: type a name, Enter, Enter, and the person is in."""

from __future__ import annotations

from tests.demo_pages import _attendance, _epic_up_registration


def test_a_coordinator_checks_a_person_in_with_two_key_presses(open_page):
    registration = _epic_up_registration()
    tab = open_page("en", "coordinator.epicup@example.org")
    tab.goto(_attendance())
    # The search field has the focus when the page opens.
    tab.keyboard.type(registration.user.last_name)
    with tab.expect_navigation():
        tab.keyboard.press("Enter")  # search
    with tab.expect_navigation():
        tab.keyboard.press("Enter")  # the one person left: their "Check in" button has the focus
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    assert "is checked in" in tab.content()
