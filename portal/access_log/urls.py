"""The access log of personal data: a project's, and one meeting's (linked from its attendance page).

Mounted under access-log/ by portal/urls.py.
"""

from django.urls import path

from . import views

app_name = "access_log"
urlpatterns = [
    path("projects/<slug:slug>/", views.ProjectAccessLogView.as_view(), name="project"),
    path("meetings/<int:pk>/", views.MeetingAccessLogView.as_view(), name="meeting"),
]
