"""Every page works under the Content-Security-Policy: Chromium reports no violation.

The policy (CONTENT_SECURITY_POLICY in portal/settings/base.py) allows scripts, styles,
fonts and images from the portal only, never inline. A template with a ``style=``
attribute, an inline ``<script>``, or an admin widget that writes one (select2, the
calendar, "add another", the related-object pop-up) would be blocked silently in a real
browser; here it fails the test. Violations are caught twice: a
``securitypolicyviolation`` listener installed before any page script runs, and
Chromium's console message about a refused resource.

The public pages, the main signed-in pages and the design-system page of
tests/demo_pages.py, then the admin's lists and change forms with their widgets in use.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.demo_pages import (
    COORDINATOR,
    ERROR_PAGES,
    FORM_ERROR_PAGES,
    LOGGED_IN_PAGES,
    MEMBER,
    PUBLIC_PAGES,
    Page,
    _named,
)

# Installed in every page of the context before its own scripts, pop-ups included.
LISTENER = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(
        `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile || e.documentURI}:` +
        `${e.lineNumber} ${e.sample || ''}`
    );
});
"""

ADMIN = "admin@example.org"
# The account pages allauth renders with the portal's templates (its own ones carry style= attributes).
ACCOUNT_PAGES = [
    Page("account-email", _named("account_email"), COORDINATOR),
    Page("account-password-change", _named("account_change_password"), COORDINATOR),
    Page("account-logout", _named("account_logout"), COORDINATOR),
    # A member without an authenticator app: the set-up page with its QR code (a data: image).
    Page("two-factor-activate", _named("mfa_activate_totp"), MEMBER),
]
PAGES = PUBLIC_PAGES + FORM_ERROR_PAGES + LOGGED_IN_PAGES + ACCOUNT_PAGES + ERROR_PAGES


@pytest.fixture
def demo_site(shared_demo_site) -> str:
    """The pages are only read (the admin forms are never saved): one load of the demo data."""
    return shared_demo_site


class Watcher:
    """Collects the violations of every page opened in one browser context."""

    def __init__(self, context) -> None:
        self.console: list[str] = []
        self.pages: list = []
        context.add_init_script(LISTENER)
        context.on("page", self.watch)

    def watch(self, page) -> None:
        self.pages.append(page)
        page.on("console", self.on_console)

    def on_console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.console.append(message.text)

    def violations(self) -> list[str]:
        found = list(self.console)
        for page in self.pages:
            if not page.is_closed():
                found += page.evaluate("() => window.__cspViolations || []")
        return found


def open_watched(open_page, language: str, user: str | None):
    tab = open_page(language, user)
    watcher = Watcher(tab.context)
    watcher.watch(tab)
    return tab, watcher


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_no_csp_violation_on_the_portal_pages(open_page, page: Page):
    tab, watcher = open_watched(open_page, "en", page.user)
    response = tab.goto(page.url())
    assert response.status == page.status
    assert "'unsafe-inline'" not in response.headers["content-security-policy"]
    tab.wait_for_load_state("networkidle")
    assert watcher.violations() == [], f"{page} ({page.url()})"


def admin_url(model: str, view: str, *args) -> str:
    app, name = model.split(".")
    return reverse(f"admin:{app}_{name}_{view}", args=args)


@pytest.mark.parametrize(
    "model",
    ["projects.project", "events.meeting", "partners.organisation", "reports.progressreport", "portal.user"],
)
def test_no_csp_violation_on_admin_lists(open_page, model: str):
    tab, watcher = open_watched(open_page, "en", ADMIN)
    tab.goto(admin_url(model, "changelist"))
    tab.wait_for_load_state("networkidle")
    # The filter sidebar and the actions bar are scripted: use them.
    checkbox = tab.locator("#action-toggle")
    if checkbox.count():
        checkbox.check()
    assert watcher.violations() == []


def test_no_csp_violation_in_the_admin_home_and_its_sidebar(open_page):
    tab, watcher = open_watched(open_page, "en", ADMIN)
    tab.goto(reverse("admin:index"))
    tab.goto(admin_url("projects.project", "changelist"))
    # The navigation sidebar: its filter, then folding it away.
    tab.locator("#nav-filter").fill("proj")
    tab.locator("#toggle-nav-sidebar").click()
    tab.wait_for_load_state("networkidle")
    assert watcher.violations() == []


def test_the_listener_sees_a_violation(open_page):
    """The test above would pass with a deaf listener: an inline style must be reported."""
    tab, watcher = open_watched(open_page, "en", None)
    tab.goto(reverse("home"))
    tab.evaluate("() => { document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>'); }")
    tab.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    tab.wait_for_timeout(200)
    found = watcher.violations()
    assert any("style-src" in violation for violation in found), found
    assert any("script-src" in violation for violation in found), found


def test_no_csp_violation_on_the_project_change_form_with_its_widgets_in_use(open_page):
    from projects.models import Project

    project = Project.objects.get(slug="eccipa")
    tab, watcher = open_watched(open_page, "en", ADMIN)
    tab.goto(admin_url("projects.project", "change", project.pk))
    tab.wait_for_load_state("networkidle")

    # select2 autocomplete: open it, search, pick a result.
    tab.locator("#id_programme").locator("xpath=following-sibling::span[contains(@class, 'select2')]").click()
    tab.locator(".select2-search__field").fill("A")
    tab.locator(".select2-results__option").first.wait_for()
    tab.keyboard.press("Escape")

    # The calendar widget of a date field.
    tab.locator("#id_start_date").locator("xpath=following-sibling::span//a[contains(@id, 'calendarlink')]").click()
    tab.locator(".calendarbox").first.wait_for(state="visible")
    tab.keyboard.press("Escape")

    # "Add another" rows of the inlines, each with its own autocomplete.
    for link in tab.locator(".add-row a").all()[:3]:
        link.click()
    tab.locator(".inline-deletelink").first.wait_for()

    # The related-object pop-up ("+" next to the programme): a window of its own.
    with tab.context.expect_page() as popup_info:
        tab.locator("#add_id_programme").click()
    popup = popup_info.value
    popup.wait_for_load_state("networkidle")
    assert "_popup=1" in popup.url
    popup.close()
    tab.wait_for_load_state("networkidle")
    assert watcher.violations() == []


def test_no_csp_violation_on_the_meeting_change_form(open_page):
    from events.models import Meeting

    meeting = Meeting.objects.order_by("pk").first()
    tab, watcher = open_watched(open_page, "en", ADMIN)
    tab.goto(admin_url("events.meeting", "change", meeting.pk))
    tab.wait_for_load_state("networkidle")
    # The date-time widgets: "Now" and the clock.
    now = tab.locator(".datetimeshortcuts a").first
    if now.count():
        now.click()
    clock = tab.locator("a[id^='clocklink']").first
    if clock.count():
        clock.click()
        tab.locator(".clockbox").first.wait_for(state="visible")
    tab.wait_for_load_state("networkidle")
    assert watcher.violations() == []


def test_no_csp_violation_on_admin_add_forms(open_page):
    tab, watcher = open_watched(open_page, "en", ADMIN)
    for model in ("projects.project", "events.meeting", "partners.organisation"):
        tab.goto(admin_url(model, "add"))
        tab.wait_for_load_state("networkidle")
    # A form sent with errors shows the error list and keeps the widgets working.
    tab.locator("input[name='_save']").click()
    tab.wait_for_load_state("networkidle")
    assert watcher.violations() == []


def test_no_csp_violation_on_the_api_docs(open_page):
    """Swagger UI at /api/v1/docs/: local assets, its start script from its own address, no inline code."""
    tab, watcher = open_watched(open_page, "en", None)
    response = tab.goto("/api/v1/docs/")
    assert response.status == 200
    # The schema was fetched and rendered: the operations are listed; open one.
    tab.locator(".opblock-summary").first.wait_for()
    tab.locator(".opblock-summary").first.click()
    tab.locator(".opblock-body").first.wait_for()
    tab.wait_for_load_state("networkidle")
    assert watcher.violations() == []
