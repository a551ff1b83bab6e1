"""A member's side of communities and meetings: joining, registering, cancelling.

portal/urls.py mounts each list under its prefix; community_urls and meeting_urls share
theirs with portal/calendar (the community and meeting pages these buttons sit on).
"""

from django.urls import path

from . import views

app_name = "registrations"

# communities/ (POST only: the buttons on the community page)
community_urls = [
    path("<slug:slug>/join/", views.CommunityJoinView.as_view(), name="community_join"),
    path("<slug:slug>/leave/", views.CommunityLeaveView.as_view(), name="community_leave"),
]
# meetings/
meeting_urls = [
    path("<int:pk>/register/", views.RegisterView.as_view(), name="register"),
]
# registrations/
registration_urls = [
    path("<int:pk>/", views.RegistrationView.as_view(), name="registration"),
    # POST only: the cancel buttons on the meeting, registration and "My meetings" pages.
    path("<int:pk>/cancel/", views.RegistrationCancelView.as_view(), name="registration_cancel"),
]
# my/
my_urls = [
    path("meetings/", views.MyMeetingsView.as_view(), name="my_meetings"),
]
