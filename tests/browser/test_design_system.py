"""The design system's page (/design-system/): each component renders, and its screenshot
is saved for the README's "Design system" section.

The images land in ``var/screenshots/design/`` (test artifacts). The README shows copies
in ``static/img/design/``; after a change to a component, copy the new images over.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

COMPONENTS = ("form", "buttons", "table", "badges", "card", "empty")
SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots" / "design"


@pytest.fixture
def demo_site(shared_demo_site) -> str:
    return shared_demo_site


def test_every_component_renders_and_is_photographed(open_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab = open_page("en")
    assert tab.goto("/design-system/").status == 200
    for component in COMPONENTS:
        section = tab.locator(f"#component-{component}")
        assert section.is_visible(), component
        box = section.bounding_box()
        assert box and box["height"] > 40, f"{component} is empty"
        section.screenshot(path=str(SHOTS / f"{component}.png"))
    # The form shows its components as they come back with errors.
    assert tab.locator("#component-form .errorlist").count() >= 2
    assert tab.locator("#component-form .helptext").count() >= 1
