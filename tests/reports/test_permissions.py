"""Progress reports: coordinators and the project's funder officers only."""

import pytest

from reports import permissions as perms
from reports import selectors
from reports.models import ProgressReport
from tests.factories import ProgressReportFactory
from tests.permission_world import build_world, fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_world()


@pytest.mark.parametrize(
    "person, view_a, request_a",
    [
        ("admin", True, True),
        ("coordinator_A", True, True),
        ("funder_A", True, False),
        ("staff_A", False, False),
        ("coordinator_B", False, False),
        ("member_A", False, False),
        ("anonymous", False, False),
    ],
)
def test_report_access(world, person, view_a, request_a):
    user = fresh(world.users[person])
    report = world.reports["A"]
    assert perms.can_view_report(user, report) is view_a
    assert perms.can_download_report(user, report) is view_a  # report A is done
    assert perms.can_request_report(user, world.projects["A"]) is request_a


def test_an_unfinished_report_cannot_be_downloaded(world):
    assert not perms.can_download_report(fresh(world.users["coordinator_B"]), world.reports["B"])
    assert perms.can_view_report(fresh(world.users["coordinator_B"]), world.reports["B"])


@pytest.mark.parametrize("person", ["admin", "coordinator_A", "funder_A", "staff_A", "coordinator_B", "anonymous"])
def test_visible_reports_agree_with_the_permission(world, person):
    user = fresh(world.users[person])
    assert set(selectors.visible_reports(user)) == {
        r for r in ProgressReport.objects.all() if perms.can_view_report(user, r)
    }


def test_funders_never_see_drafts(world):
    draft = ProgressReportFactory(project=world.projects["A"], done=True, version=2)
    funder, coordinator = fresh(world.users["funder_A"]), fresh(world.users["coordinator_A"])
    assert not perms.can_view_report(funder, draft) and not perms.can_download_report(funder, draft)
    assert perms.can_view_report(coordinator, draft)
    assert draft not in selectors.visible_reports(funder)
    assert set(selectors.project_report_versions(world.projects["A"], funder)) == {world.reports["A"]}
    assert selectors.latest_done_reports(world.projects["A"], submitted_only=True) == [world.reports["A"]]
    assert selectors.latest_done_reports(world.projects["A"]) == [draft]
