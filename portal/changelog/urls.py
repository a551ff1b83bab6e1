"""Mounted under workspace/projects/<slug>/changes/ by portal/urls.py."""

from django.urls import path

from . import views

app_name = "changelog"
urlpatterns = [
    path("", views.ProjectChangesView.as_view(), name="project"),
]
