"""The workspace: dashboard, the internal pages of a project, and its create and edit forms.

portal/urls.py mounts each list under its prefix.
"""

from django.urls import path

from portal.reporting import views as reporting_views

from . import views

app_name = "workspace"

# dashboard/
dashboard_urls = [
    path("", views.DashboardView.as_view(), name="dashboard"),
]
# workspace/
workspace_urls = [
    path("projects/<slug:slug>/", views.ProjectWorkspaceView.as_view(), name="project"),
    # The reports page lives in portal/reporting (request form, versions, downloads).
    path("projects/<slug:slug>/reports/", reporting_views.ProjectReportsView.as_view(), name="reports"),
    # Requests to join the project's communities, and the decisions on them (POST only).
    path("projects/<slug:slug>/requests/", views.MembershipRequestsView.as_view(), name="membership_requests"),
    path("memberships/<int:pk>/approve/", views.MembershipApproveView.as_view(), name="membership_approve"),
    path("memberships/<int:pk>/reject/", views.MembershipRejectView.as_view(), name="membership_reject"),
    # Create and edit forms.
    path("projects/<slug:slug>/meetings/new/", views.MeetingCreateView.as_view(), name="meeting_create"),
    path("meetings/<int:pk>/edit/", views.MeetingEditView.as_view(), name="meeting_edit"),
    path("projects/<slug:slug>/deliverables/new/", views.DeliverableCreateView.as_view(), name="deliverable_create"),
    path("deliverables/<int:pk>/edit/", views.DeliverableEditView.as_view(), name="deliverable_edit"),
    path("projects/<slug:slug>/updates/new/", views.UpdateCreateView.as_view(), name="update_create"),
    path("updates/<int:pk>/edit/", views.UpdateEditView.as_view(), name="update_edit"),
    path("projects/<slug:slug>/communities/new/", views.CommunityCreateView.as_view(), name="community_create"),
    path("communities/<slug:slug>/edit/", views.CommunityEditView.as_view(), name="community_edit"),
]
# deliverables/
deliverable_urls = [
    path("<int:pk>/file/", views.DeliverableFileView.as_view(), name="deliverable_file"),
]
