"""A member's side of communities and meetings: joining, registering, cancelling."""

from django.urls import path

from . import views

app_name = "registrations"
urlpatterns = [
    # POST only: the buttons on the community page.
    path("communities/<slug:slug>/join/", views.CommunityJoinView.as_view(), name="community_join"),
    path("communities/<slug:slug>/leave/", views.CommunityLeaveView.as_view(), name="community_leave"),
    path("meetings/<int:pk>/register/", views.RegisterView.as_view(), name="register"),
    path("registrations/<int:pk>/", views.RegistrationView.as_view(), name="registration"),
    # POST only: the cancel buttons on the meeting, registration and "My meetings" pages.
    path("registrations/<int:pk>/cancel/", views.RegistrationCancelView.as_view(), name="registration_cancel"),
    path("my/meetings/", views.MyMeetingsView.as_view(), name="my_meetings"),
]
