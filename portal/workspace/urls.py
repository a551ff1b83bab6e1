"""The workspace: dashboard and the internal pages of a project."""

from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("workspace/projects/<slug:slug>/", views.ProjectWorkspaceView.as_view(), name="project"),
    path("workspace/projects/<slug:slug>/reports/", views.ProjectReportsView.as_view(), name="reports"),
    path("workspace/deliverables/<int:pk>/edit/", views.DeliverableEditView.as_view(), name="deliverable_edit"),
    path("deliverables/<int:pk>/file/", views.DeliverableFileView.as_view(), name="deliverable_file"),
]
