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


def test_a_coordinator_moves_a_person_with_the_one_move_to_choice(open_page):
    """The list has one "Move to" choice for all its rows; a row's Move button sends it."""
    from events.models import Registration
    from events.services.registrations import registration_move
    from portal.attendance.selectors import move_targets

    first = _epic_up_registration()
    registration = (
        Registration.objects.filter(meeting=first.meeting, status=Registration.Status.CONFIRMED, checked_in_at=None)
        .exclude(pk=first.pk)
        .select_related("meeting", "user")
        .order_by("-pk")
        .first()
    )
    target = move_targets(registration.meeting).first()
    assert registration is not None and target is not None, "the demo has another upcoming EPIC UP meeting"
    tab = open_page("en", "coordinator.epicup@example.org")
    tab.goto(_attendance())
    tab.select_option("#move-to", str(target.pk))
    with tab.expect_navigation():
        tab.locator(f"#registration-{registration.pk} button", has_text="Move").click()
    registration.refresh_from_db()
    assert registration.meeting_id == target.pk
    assert "is moved to" in tab.content()
    # Back where it was, for the other tests that read the demo's attendance list.
    registration_move(registration=registration, actor=_coordinator(), to_meeting=first.meeting)


def _coordinator():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(email="coordinator.epicup@example.org")
